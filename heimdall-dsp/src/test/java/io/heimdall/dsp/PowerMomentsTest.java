package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.heimdall.dsp.internal.PowerMoments;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Vector API sums of |x|², |x|⁴, |x|⁶ and |x|⁸ against a plain float64 loop, from an offset
 * that is not a vector's multiple and over lengths that leave a scalar rest.
 */
class PowerMomentsTest {

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 9, 1_000, 125_001})
  void vectorSumsMatchAPlainLoop(int n) {
    PowerMoments kernel = PowerMoments.find();
    assertThat(kernel).isNotNull();
    float[] iq = BlockFftTest.noise(2 * n + 6, n);
    double[] sums = {1, 2, 3, 4};
    int done = kernel.sum(iq, 6, n, sums);
    assertThat(done).isLessThanOrEqualTo(n).isGreaterThan(n - 8);
    double[] expected = {1, 2, 3, 4};
    for (int i = 0; i < done; i++) {
      double re = iq[6 + 2 * i];
      double im = iq[7 + 2 * i];
      double m = re * re + im * im;
      expected[0] += m;
      expected[1] += m * m;
      expected[2] += m * m * m;
      expected[3] += m * m * m * m;
    }
    for (int k = 0; k < 4; k++) {
      // the same float64 terms summed in another order
      assertThat(sums[k]).as("sum %d", k).isCloseTo(expected[k], within(1e-12 * expected[k]));
    }
  }
}
