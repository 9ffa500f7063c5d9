package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PackedPowerKernelTest {

  @ParameterizedTest
  @ValueSource(ints = {8, 16, 64, 2048, 8192})
  void fusedPowerEqualsPowerOfTheFullTransform(int n) {
    float[] x = FftPlanTest.noise(n, n);
    FftPlan plan = FftPlan.of(n);
    float[] packed = x.clone();
    plan.realForward(packed, 0);
    float[] expected = new float[plan.realBins()];
    plan.powerFromPacked(packed, 0, expected, 0);

    int stride = 3;
    float[] block = new float[plan.realBins() * stride];
    new PackedPowerKernel(n).power(x.clone(), block, stride, 2);
    double scale = 0;
    for (float p : expected) {
      scale = Math.max(scale, p);
    }
    for (int k = 0; k < expected.length; k++) {
      assertThat((double) block[k * stride + 2])
          .as("bin %d", k)
          .isCloseTo(expected[k], within(1e-6 * scale));
      assertThat(block[k * stride]).as("other columns untouched").isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 12, 2000})
  void onlyPowersOfTwoFromEight(int n) {
    assertThat(PackedPowerKernel.supports(n)).isFalse();
    assertThatThrownBy(() -> new PackedPowerKernel(n))
        .hasMessageContaining("power of two >= 8, got " + n);
  }
}
