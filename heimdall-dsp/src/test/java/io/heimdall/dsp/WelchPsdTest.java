package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.heimdall.dsp.internal.BlockFft;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link WelchPsd} against Welch's method written out segment by segment with JTransforms in
 * float64 sums, for segment counts around the SIMD block of {@value BlockFft#FRAMES} (where the
 * vector kernel and the scalar remainder meet) and past the point where the kernel's float sums
 * are folded into doubles. SciPy itself is the reference in {@link ScipyReferenceTest} and {@link
 * IqMetricsTest}.
 */
class WelchPsdTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 15, 16, 17, 243, 64 * 16 + 5})
  void matchesTheSegmentBySegmentDefinition(int segments) {
    int n = 256;
    int step = n / 2;
    float[] noise = BlockFftTest.noise(2 * (segments * step + step + 3), segments);
    ComplexSignal x =
        ComplexSignal.wrapInterleaved(noise).slice(3, 3 + segments * step + step);
    WelchPsd psd = WelchPsd.compute(x, 8_000, n);
    assertThat(psd.segments()).isEqualTo(segments);

    float[] window = Window.HANN.periodic(n);
    double energy = 0;
    for (float w : window) {
      energy += (double) w * w;
    }
    double[] expected = new double[n];
    float[] frame = new float[2 * n];
    float[] iq = x.array();
    for (int s = 0; s < segments; s++) {
      int base = 2 * (x.offset() + s * step);
      for (int i = 0; i < n; i++) {
        frame[2 * i] = iq[base + 2 * i] * window[i];
        frame[2 * i + 1] = iq[base + 2 * i + 1] * window[i];
      }
      FftPlan.of(n).complexForward(frame, 0);
      for (int k = 0; k < n; k++) {
        double re = frame[2 * k];
        double im = frame[2 * k + 1];
        expected[k] += re * re + im * im;
      }
    }
    double mean = java.util.Arrays.stream(expected).average().orElseThrow();
    for (int k = 0; k < n; k++) {
      double scale = 8_000 * energy * segments;
      // float32 FFT rounding is relative to the segment's whole spectrum, not to one bin
      assertThat(psd.density(k))
          .as("%d segments, bin %d", segments, k)
          .isCloseTo(expected[k] / scale, within((1e-5 * expected[k] + 1e-6 * mean) / scale));
    }
  }
}
