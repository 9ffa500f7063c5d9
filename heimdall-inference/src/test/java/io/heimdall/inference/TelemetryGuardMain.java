package io.heimdall.inference;

import java.util.Arrays;

/**
 * Run in a child JVM by {@link TelemetryGuardTest}: builds an engine on the centroid model that
 * {@link ModelGenerator} makes, runs one sample and prints the position; or prints the refusal.
 * Either way it returns normally, so a crash shows as the exit code (139 for SIGSEGV).
 */
public final class TelemetryGuardMain {

  private TelemetryGuardMain() {}

  /**
   * Entry point.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    byte[] model = ModelGenerator.weightedCentroid().toByteArray();
    try (InferenceEngine engine = InferenceEngine.builder(model).build()) {
      float[] power = {-60, -70, -80, -90, -100, -110, -120};
      InferenceResult result = engine.run(new float[][] {power});
      System.out.println(
          "positions " + Arrays.toString(result.output(Location.POSITIONS).toArray()));
    } catch (TelemetryCrashRiskException e) {
      System.out.println("refused: " + e.getMessage());
    }
  }
}
