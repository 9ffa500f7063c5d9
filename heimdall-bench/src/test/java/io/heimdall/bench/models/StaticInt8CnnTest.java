package io.heimdall.bench.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.heimdall.inference.Device;
import io.heimdall.inference.InferenceEngine;
import io.heimdall.inference.InferenceResult;
import io.heimdall.inference.ReferenceModels;
import org.junit.jupiter.api.Test;

/**
 * The committed static int8 CNN against the fp32 one it was built from, in ONNX Runtime: a third of
 * the size, and outputs within {@value #TOLERANCE} of the largest fp32 output of the same name on
 * mel spectrograms that were not part of the calibration.
 */
class StaticInt8CnnTest {

  /**
   * Largest |int8 − fp32| as a fraction of the largest |fp32| output of the same name (measured:
   * 2.8% for positions, 1.8% for uncertainties).
   */
  static final double TOLERANCE = 0.05;

  /** Held-out spectrograms: a seed the calibration does not use. */
  static final long HELD_OUT_SEED = 7L;

  @Test
  void isAtLeastThreeTimesSmallerThanTheFloatModel() {
    double ratio =
        (double) ReferenceModels.localizationCnn().length
            / ReferenceModels.localizationCnnInt8Static().length;
    assertThat(ratio).as("fp32 bytes / int8 bytes").isGreaterThanOrEqualTo(3.0);
  }

  @Test
  void outputsStayWithinToleranceOfFp32OnHeldOutMelSpectrograms() {
    float[][] mels = CalibrationMels.generate(8, HELD_OUT_SEED);
    try (InferenceEngine fp32 =
            InferenceEngine.builder(ReferenceModels.localizationCnn()).device(Device.CPU).build();
        InferenceEngine int8 =
            InferenceEngine.builder(ReferenceModels.localizationCnnInt8Static())
                .device(Device.CPU)
                .build()) {
      assertThat(int8.modelInfo().inputs()).isEqualTo(fp32.modelInfo().inputs());
      assertThat(int8.modelInfo().outputs()).isEqualTo(fp32.modelInfo().outputs());
      InferenceResult want = fp32.run(mels);
      InferenceResult got = int8.run(mels);
      for (String name : want.outputNames()) {
        float[] expected = want.output(name).toArray();
        float[] actual = got.output(name).toArray();
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
          scale = Math.max(scale, Math.abs(expected[i]));
          worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        System.out.printf("%s: max |int8 - fp32| = %.4g, max |fp32| = %.4g%n", name, worst, scale);
        assertThat(worst / scale)
            .as("%s: max |int8 - fp32| / max |fp32|", name)
            .isLessThanOrEqualTo(TOLERANCE);
      }
    }
  }

  @Test
  void committedModelIsWhatTheGeneratorBuilds() throws Exception {
    byte[] rebuilt =
        StaticInt8Cnn.build(
            CalibrationMels.generate(
                StaticInt8Cnn.CALIBRATION_SAMPLES, StaticInt8Cnn.CALIBRATION_SEED));
    assertThat(rebuilt).isEqualTo(ReferenceModels.localizationCnnInt8Static());
  }
}
