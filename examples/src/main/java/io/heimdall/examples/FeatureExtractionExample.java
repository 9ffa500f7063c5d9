package io.heimdall.examples;

import io.heimdall.pipeline.IqRecording;
import io.heimdall.pipeline.simulation.TransmissionSimulator;
import io.heimdall.dsp.ComplexSignal;
import io.heimdall.dsp.FeatureExtractor;
import io.heimdall.dsp.IqMetrics;
import io.heimdall.dsp.MelSpectrogram;
import io.heimdall.dsp.PowerToDb;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Features: the signal metrics of IQ recordings, and mel spectrograms of a batch of audio signals
 * computed in parallel into one direct buffer {@code [N, 128, 431]}, the models' input.
 *
 * <pre>java -cp examples/target/heimdall-examples.jar io.heimdall.examples.FeatureExtractionExample [N]
 * </pre>
 */
public final class FeatureExtractionExample {

  private FeatureExtractionExample() {}

  /** Runs the example; {@code args[0]} is the batch size (default 16). */
  public static void main(String[] args) {
    run(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 16);
  }

  /** Prints the metrics of seven simulated recordings and the features of {@code batch} signals. */
  public static void run(PrintStream out, int batch) {
    // IQ metrics of one transmission as the seven reference receivers recorded it (12.5 kHz)
    TransmissionSimulator simulator = TransmissionSimulator.builder().seed(7).build();
    for (IqRecording recording : simulator.simulate(0).recordings()) {
      IqMetrics m =
          IqMetrics.compute(
              ComplexSignal.wrapInterleaved(recording.iq()), recording.sampleRateHz());
      out.printf(
          Locale.ROOT,
          "%-18s power %7.1f dBm  SNR %5.1f dB  offset %6.0f Hz%n",
          recording.station().name(),
          m.powerDbm(simulator.fullScaleDbm()),
          m.snrDb(),
          m.frequencyOffsetHz());
    }

    // mel spectrograms (librosa defaults, in dB) of a batch of 10 s audio signals at 22.05 kHz
    List<float[]> signals = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      signals.add(tone(440 + 110 * i, 22_050, 220_500));
    }
    MelSpectrogram mel = MelSpectrogram.builder().sampleRate(22_050).build();
    try (FeatureExtractor extractor =
        FeatureExtractor.builder(mel).decibels(PowerToDb.relativeToMax()).build()) {
      long start = System.nanoTime();
      FloatBuffer features = extractor.extract(signals);
      long micros = (System.nanoTime() - start) / 1_000;
      long[] shape = extractor.outputShape(batch, 220_500);
      out.printf(
          Locale.ROOT,
          "features [%d, %d, %d] in a direct buffer (%s) in %d ms on %d threads%n",
          shape[0],
          shape[1],
          shape[2],
          features.isDirect() ? "zero-copy ready" : "heap",
          micros / 1_000,
          extractor.parallelism());
    }
  }

  private static float[] tone(double hz, double sampleRate, int samples) {
    float[] x = new float[samples];
    for (int n = 0; n < samples; n++) {
      x[n] = (float) (0.5 * Math.sin(2 * Math.PI * hz * n / sampleRate));
    }
    return x;
  }
}
