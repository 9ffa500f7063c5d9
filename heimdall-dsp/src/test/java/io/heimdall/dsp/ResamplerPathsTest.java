package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.heimdall.dsp.internal.Polyphase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The resampler's two loops against each other: a real signal goes through the Vector API loop
 * (this JVM has {@code jdk.incubator.vector}), the same samples as the I of a complex signal go
 * through the scalar polyphase loop. Rates with one phase, fewer phases than a vector, a partial
 * last group and 441 phases; lengths that end mid-period. SciPy is the reference for both in
 * {@link ScipyReferenceTest}.
 */
class ResamplerPathsTest {

  @ParameterizedTest
  @CsvSource({
    "1, 8, 4001",
    "3, 2, 999",
    "8, 1, 300",
    "17, 5, 1234",
    "441, 250, 12_345",
    "160, 147, 5000"
  })
  void theVectorLoopMatchesTheScalarLoop(int up, int down, int samples) {
    Resampler resampler = Resampler.rational(up, down);
    assertThat(Polyphase.find(1, 1, 1, new float[] {1}, new int[] {0})).isNotNull();
    float[] x = BlockFftTest.noise(samples, up * 31L + down);
    float[] vector = resampler.process(x);
    float[] interleaved = new float[2 * samples];
    for (int i = 0; i < samples; i++) {
      interleaved[2 * i] = x[i];
    }
    ComplexSignal scalar = resampler.process(ComplexSignal.wrapInterleaved(interleaved));
    assertThat(vector).hasSize(scalar.length());
    for (int m = 0; m < vector.length; m++) {
      // float sums of the same products in another order
      assertThat(vector[m])
          .as("output %d of %d", m, vector.length)
          .isCloseTo(scalar.re(m), within(2e-6f));
      assertThat(scalar.im(m)).isZero();
    }
  }

  @ParameterizedTest
  @CsvSource({"441, 250", "3, 2"})
  void outputsPastTheSignalRunIntoTheFilterTailAndThenZeros(int up, int down) {
    Resampler resampler = Resampler.rational(up, down);
    float[] x = BlockFftTest.noise(500, 3);
    int outputs = resampler.outputLength(x.length);
    // the filter spans taps/down outputs: past that, the outputs read only zero padding
    int tail = resampler.taps().length / resampler.down() + 1;
    float[] longer = new float[outputs + tail + 2];
    java.util.Arrays.fill(longer, Float.NaN);
    resampler.processInto(x, 0, x.length, longer, 0, longer.length);
    float[] exact = resampler.process(x);
    for (int m = 0; m < outputs; m++) {
      assertThat(longer[m]).as("output %d", m).isEqualTo(exact[m]);
    }
    assertThat(longer[outputs]).isNotZero().isFinite();
    for (int m = outputs; m < longer.length; m++) {
      assertThat(longer[m]).as("output %d", m).isFinite();
    }
    assertThat(longer[longer.length - 2]).isZero();
    assertThat(longer[longer.length - 1]).isZero();
  }
}
