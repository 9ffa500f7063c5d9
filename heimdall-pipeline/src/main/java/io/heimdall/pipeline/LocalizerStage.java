package io.heimdall.pipeline;

import io.heimdall.InvalidInputException;
import io.heimdall.inference.InferenceEngine;
import io.heimdall.inference.Location;
import io.heimdall.inference.MicroBatcher;
import io.heimdall.inference.Receiver;
import io.heimdall.inference.TensorSpec;
import io.micrometer.core.instrument.Timer;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The features and localisation of one transmission: the receiver chain of each recording, then
 * the received powers, one column per receiver in the localiser's order, through the micro-batcher
 * (which groups the concurrent workers' requests into one ONNX Runtime run) to the localiser.
 */
final class LocalizerStage implements AutoCloseable {

  /** Power given to the localiser for a receiver with no recording: its weight becomes nil. */
  static final float ABSENT_POWER_DBM = -250f;

  private final List<Receiver> receivers;
  private final Map<String, Integer> receiverColumns = new HashMap<>();
  private final FeatureStage features;
  private final InferenceEngine engine;
  private final boolean ownsEngine;
  private final MicroBatcher batcher;
  private final Duration inferenceTimeout;
  private final double confidenceRadiusMetres;
  private final Timer dspTimer;
  private final Timer inferenceTimer;

  LocalizerStage(
      List<Receiver> receivers,
      FeatureStage features,
      InferenceEngine engine,
      boolean ownsEngine,
      MicroBatcher batcher,
      Duration inferenceTimeout,
      double confidenceRadiusMetres,
      Timer dspTimer,
      Timer inferenceTimer) {
    this.receivers = List.copyOf(receivers);
    for (int i = 0; i < receivers.size(); i++) {
      receiverColumns.put(receivers.get(i).name(), i);
    }
    this.features = features;
    this.engine = engine;
    this.ownsEngine = ownsEngine;
    this.batcher = batcher;
    this.inferenceTimeout = inferenceTimeout;
    this.confidenceRadiusMetres = confidenceRadiusMetres;
    this.dspTimer = dspTimer;
    this.inferenceTimer = inferenceTimer;
  }

  List<Receiver> receivers() {
    return receivers;
  }

  InferenceEngine engine() {
    return engine;
  }

  Localization localize(List<IqRecording> recordings, FloatBuffer featureBuffer) {
    float[] powers = checkedColumns(recordings);

    long t0 = System.nanoTime();
    List<StationReading> readings = features.extract(recordings, featureBuffer);
    dspTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);

    for (int i = 0; i < recordings.size(); i++) {
      powers[receiverColumns.get(recordings.get(i).receiver().name())] =
          (float) readings.get(i).powerDbm();
    }
    long t1 = System.nanoTime();
    Location location = infer(powers);
    inferenceTimer.record(System.nanoTime() - t1, TimeUnit.NANOSECONDS);
    return new Localization(location, confidence(location), readings);
  }

  /**
   * Room for the spectrograms of one transmission. On the heap: the localiser reads powers, not
   * spectrograms, so nothing here goes to ONNX Runtime and a direct buffer would only add native
   * memory to manage.
   */
  FloatBuffer allocateFeatures() {
    return FloatBuffer.allocate(Math.multiplyExact(receivers.size(), features.melSize()));
  }

  /** The localiser's input row, every column absent, after checking the recordings fit it. */
  private float[] checkedColumns(List<IqRecording> recordings) {
    if (recordings == null || recordings.isEmpty()) {
      throw new InvalidInputException("a transmission needs at least one recording, got none");
    }
    if (recordings.size() > receivers.size()) {
      throw new InvalidInputException(
          "got "
              + recordings.size()
              + " recordings, but the localiser takes at most "
              + receivers.size()
              + " (one per receiver)");
    }
    boolean[] seen = new boolean[receivers.size()];
    double sampleRate = recordings.get(0).sampleRateHz();
    for (IqRecording recording : recordings) {
      Integer column = receiverColumns.get(recording.receiver().name());
      if (column == null) {
        throw new InvalidInputException(
            "recording from unknown receiver '"
                + recording.receiver().name()
                + "'; the localiser knows "
                + receiverColumns.keySet());
      }
      if (seen[column]) {
        throw new InvalidInputException(
            "two recordings from receiver '"
                + recording.receiver().name()
                + "'; expected at most one each");
      }
      seen[column] = true;
      if (recording.sampleRateHz() != sampleRate) {
        throw new InvalidInputException(
            "recordings of one transmission must share a sample rate: "
                + recording.receiver().name()
                + " has "
                + recording.sampleRateHz()
                + " Hz, the first has "
                + sampleRate
                + " Hz");
      }
    }
    float[] powers = new float[receivers.size()];
    Arrays.fill(powers, ABSENT_POWER_DBM);
    return powers;
  }

  private Location infer(float[] powers) {
    try {
      return Location.decode(
              batcher.submit(powers).get(inferenceTimeout.toNanos(), TimeUnit.NANOSECONDS))
          .get(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the localiser", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the localiser did not answer within " + inferenceTimeout, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException("the localiser failed: " + cause, cause);
    }
  }

  /**
   * Probability that the transmitter lies within the confidence radius of the estimate, taking the
   * uncertainty as a circular Gaussian with σ² the mean of the two axes' variances (Rayleigh).
   */
  private double confidence(Location location) {
    double variance =
        (square(location.latitudeUncertaintyM()) + square(location.longitudeUncertaintyM())) / 2;
    if (variance == 0) {
      return 1;
    }
    return 1 - Math.exp(-square(confidenceRadiusMetres) / (2 * variance));
  }

  private static double square(double x) {
    return x * x;
  }

  /** Closes the batcher and the feature stage, then the engine if this stage owns it. */
  @Override
  public void close() {
    try {
      batcher.close();
    } finally {
      try {
        features.close();
      } finally {
        if (ownsEngine) {
          engine.close();
        }
      }
    }
  }

  /** Checks that the engine takes one power per receiver and outputs positions and uncertainties. */
  static void checkLocalizer(InferenceEngine engine, List<Receiver> receivers) {
    List<String> inputs = engine.modelInfo().inputNames();
    if (inputs.size() != 1) {
      throw new InvalidInputException(
          "the localiser must have one input (received powers), it has " + inputs);
    }
    TensorSpec input = engine.modelInfo().input(inputs.get(0));
    if (input.rank() != 2 || input.sampleSize() != receivers.size()) {
      throw new InvalidInputException(
          "the localiser's input '"
              + input.name()
              + "' is "
              + input.shapeText()
              + "; expected [N,"
              + receivers.size()
              + "] (one power per receiver)");
    }
    List<String> outputs = engine.modelInfo().outputNames();
    if (!outputs.contains(Location.POSITIONS) || !outputs.contains(Location.UNCERTAINTIES)) {
      throw new InvalidInputException(
          "the localiser must output '"
              + Location.POSITIONS
              + "' and '"
              + Location.UNCERTAINTIES
              + "', it outputs "
              + outputs);
    }
  }
}
