package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.heimdall.dsp.internal.Discriminator;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The discriminator's vector loop (this JVM has {@code jdk.incubator.vector}) against the scalar
 * definition sample by sample, bit for bit: the polynomial angle of x[n]·conj(x[n−1]) minus the
 * carrier's phase step, wrapped into (−π, π], times the gain. Accuracy against NumPy is in {@link
 * ReceiverChainScipyTest}.
 */
class FmDemodulatorTest {

  @ParameterizedTest
  @CsvSource({"1, 0", "7, 800", "16, -3100", "17, 6250", "1001, 6249.9", "4099, -6250"})
  void theVectorLoopGivesTheScalarDefinitionsBits(int samples, double carrierHz) {
    assertThat(Discriminator.find(new float[] {1, 0, 0, 0, 0})).isNotNull();
    float[] iq = awkwardSamples(samples);
    FmDemodulator demodulator = FmDemodulator.of(12_500, 2_500);
    float[] actual = demodulator.demodulate(ComplexSignal.wrapInterleaved(iq), carrierHz);

    double step = 2 * Math.PI * carrierHz / 12_500;
    float offset = (float) (step - 2 * Math.PI * Math.floor(step / (2 * Math.PI) + 0.5));
    float gain = (float) (12_500 / (2 * Math.PI * 2_500));
    float pi = (float) Math.PI;
    for (int i = 1; i < samples; i++) {
      float re = iq[2 * i];
      float im = iq[2 * i + 1];
      float angle =
          FmDemodulator.atan2(
                  im * iq[2 * i - 2] - re * iq[2 * i - 1], re * iq[2 * i - 2] + im * iq[2 * i - 1])
              - offset;
      if (angle > pi) {
        angle -= 2 * pi;
      } else if (angle <= -pi) {
        angle += 2 * pi;
      }
      assertThat(Float.floatToRawIntBits(actual[i]))
          .as("sample %d of %d: %s vs %s", i, samples, actual[i], gain * angle)
          .isEqualTo(Float.floatToRawIntBits(gain * angle));
    }
    assertThat(actual[0]).isEqualTo(samples > 1 ? actual[1] : 0f);
  }

  /** Noise over 40 decades, with zeros, negative zeros, samples on the axes and repeated ones. */
  private static float[] awkwardSamples(int samples) {
    Random random = new Random(samples);
    float[] iq = new float[2 * samples];
    for (int i = 0; i < 2 * samples; i++) {
      iq[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
      switch (random.nextInt(12)) {
        case 0 -> iq[i] = 0f;
        case 1 -> iq[i] = -0f;
        case 2 -> iq[i] = i > 1 ? iq[i - 2] : 1f;
        default -> {}
      }
    }
    return iq;
  }
}
