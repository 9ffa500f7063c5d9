package io.heimdall.examples;

import io.heimdall.pipeline.simulation.ReceptionTruth;
import io.heimdall.pipeline.simulation.SimulatedTransmission;
import io.heimdall.pipeline.simulation.TransmissionSimulator;
import io.heimdall.inference.Device;
import io.heimdall.inference.FloatTensor;
import io.heimdall.inference.InferenceEngine;
import io.heimdall.inference.Location;
import io.heimdall.inference.ReferenceModels;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Batch inference: one ONNX Runtime call localises a whole batch of transmissions with the
 * weighted-centroid model ({@code power_dbm [N,7]} → {@code positions}, {@code uncertainties}).
 *
 * <pre>java -cp examples/target/heimdall-examples.jar io.heimdall.examples.BatchInferenceExample [N]</pre>
 */
public final class BatchInferenceExample {

  private BatchInferenceExample() {}

  /** Runs the example; {@code args[0]} is the batch size (default 64). */
  public static void main(String[] args) {
    run(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 64);
  }

  /** Localises {@code batch} simulated transmissions in one batch and prints the errors. */
  public static void run(PrintStream out, int batch) {
    TransmissionSimulator simulator =
        TransmissionSimulator.builder().seed(11).durationSeconds(1).build();
    int receivers = ReferenceModels.RECEIVERS.size();
    float[] powers = new float[batch * receivers];
    SimulatedTransmission[] truth = new SimulatedTransmission[batch];
    for (int i = 0; i < batch; i++) {
      truth[i] = simulator.simulate(i);
      List<ReceptionTruth> receptions = truth[i].truths();
      for (int r = 0; r < receivers; r++) {
        powers[i * receivers + r] = (float) receptions.get(r).receivedPowerDbm();
      }
    }

    try (InferenceEngine engine =
        InferenceEngine.builder(ReferenceModels.weightedCentroid()).device(Device.AUTO).build()) {
      long start = System.nanoTime();
      List<Location> locations =
          Location.decode(engine.run(FloatTensor.of(powers, batch, receivers)));
      long micros = (System.nanoTime() - start) / 1_000;
      double sum = 0;
      for (int i = 0; i < batch; i++) {
        Location l = locations.get(i);
        sum += truth[i].transmitter().errorMetres(l.latitude(), l.longitude());
      }
      Location first = locations.get(0);
      out.printf(Locale.ROOT, "device %s, providers %s%n", engine.device(), engine.providers());
      out.printf(
          Locale.ROOT,
          "first: %.4f N %.4f E ± %.0f m / %.0f m (truth %.4f N %.4f E)%n",
          first.latitude(),
          first.longitude(),
          first.latitudeUncertaintyM(),
          first.longitudeUncertaintyM(),
          truth[0].transmitter().latitude(),
          truth[0].transmitter().longitude());
      out.printf(
          Locale.ROOT,
          "%d locations in one call, %d µs; mean error %.1f km%n",
          locations.size(),
          micros,
          sum / batch / 1000);
    }
  }
}
