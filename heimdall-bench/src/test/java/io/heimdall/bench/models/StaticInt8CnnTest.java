package io.heimdall.bench.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.heimdall.inference.Device;
import io.heimdall.inference.InferenceEngine;
import io.heimdall.inference.InferenceResult;
import io.heimdall.inference.ReferenceModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed static int8 CNN against the fp32 one it was built from, in ONNX Runtime: a third of
 * the size, outputs within {@value #TOLERANCE} of the largest fp32 output of the same name on mel
 * spectrograms that were not part of the calibration, and the graph ONNX Runtime makes of it.
 */
class StaticInt8CnnTest {

  /**
   * Largest |int8 − fp32| as a fraction of the largest |fp32| output of the same name (measured:
   * 2.6% for positions, 1.9% for uncertainties).
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

  /**
   * What the mixed-precision model's speed rests on: after ONNX Runtime's optimisations (on x86-64
   * with AVX2 or AVX-512, where it has NCHWc kernels) the first convolution and its max pool run in
   * fp32 on the NCHWc layout, the two others as QLinearConv, and no MaxPool runs on uint8 in NCHW
   * order (ONNX Runtime's QDQ propagation produces one, 12–16 ms per batch of 32, when a
   * QuantizeLinear directly follows the fp32 pool).
   */
  @Test
  void onnxRuntimeRunsTheFirstLayerInFp32AndTheOthersAsQLinearConv(@TempDir Path dir)
      throws Exception {
    Path optimised = dir.resolve("optimised.onnx");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setOptimizedModelFilePath(optimised.toString());
      env.createSession(ReferenceModels.localizationCnnInt8Static(), options).close();
    }
    List<String> ops =
        ModelProto.parseFrom(Files.readAllBytes(optimised)).getGraph().getNodeList().stream()
            .map(node -> node.getDomain() + ":" + node.getOpType())
            .toList();
    assertThat(ops)
        .as("operators after ONNX Runtime's optimisations")
        .containsOnlyOnce("com.microsoft.nchwc:Conv", "com.microsoft.nchwc:MaxPool")
        .doesNotContain(":MaxPool")
        .filteredOn(op -> op.endsWith(":QLinearConv"))
        .hasSize(2);
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
