package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The receiver chain stage by stage against the NumPy/SciPy chain ({@code chain/make_chain.py},
 * which runs heimdall-bench's peer script): a 1 s, 12.5 kHz FM recording.
 */
class ReceiverChainScipyTest {

  static final double GAIN = 12_500 / (2 * Math.PI * 2_500);

  static Path resource(String name) {
    return ScipyReferenceTest.resourcePath("/chain/" + name);
  }

  static float[] npy(String name) {
    return ScipyReferenceTest.floats("/chain/" + name);
  }

  static JsonNode expected() {
    try {
      return new ObjectMapper().readTree(resource("expected.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void atan2IsWithinItsStatedBoundEverywhere() {
    double worst = 0;
    Random random = new Random(1);
    for (int i = 0; i < 2_000_000; i++) {
      // every direction, magnitudes from 1e-20 to 1e20, and the axes
      double angle = 2 * Math.PI * i / 2_000_000.0 - Math.PI;
      double magnitude = Math.pow(10, 40 * random.nextDouble() - 20);
      float x = (float) (magnitude * Math.cos(angle));
      float y = (float) (magnitude * Math.sin(angle));
      double error = Math.abs(FmDemodulator.atan2(y, x) - Math.atan2(y, x));
      worst = Math.max(worst, Math.min(error, 2 * Math.PI - error));
    }
    assertThat(worst).isLessThanOrEqualTo(FmDemodulator.ATAN2_MAX_ERROR).isGreaterThan(1e-6);
    assertThat(FmDemodulator.atan2(0f, 0f)).isZero();
    assertThat(FmDemodulator.atan2(0f, -1f)).isEqualTo((float) Math.PI);
    assertThat(FmDemodulator.atan2(-0f, -1f)).isEqualTo((float) -Math.PI);
    assertThat(FmDemodulator.atan2(1f, 0f)).isCloseTo((float) (Math.PI / 2), within(1e-6f));
    assertThat(FmDemodulator.atan2(-1f, 1f)).isCloseTo((float) (-Math.PI / 4), within(1.2e-5f));
  }

  @Test
  void demodulationMatchesNumpyAngleOfTheShiftedSignal() {
    ComplexSignal iq = ComplexSignal.wrapInterleaved(npy("fm_1s.npy"));
    float[] expected = npy("demodulated.npy");
    double offset = expected().get("frequency_offset_hz").asDouble();
    float[] actual = FmDemodulator.of(12_500, 2_500).demodulate(iq, offset);
    assertThat(actual).hasSize(expected.length);
    // the polynomial's 1.1e-5 rad, scaled by the gain, plus float32 rounding of the product and
    // of NumPy's complex64 shift (a few 1e-7 rad)
    double tolerance = (FmDemodulator.ATAN2_MAX_ERROR + 2e-6) * GAIN;
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i]).as("sample %d", i).isCloseTo(expected[i], within(tolerance));
    }
  }

  @Test
  void resamplingMatchesResamplePolyOnTheDemodulatedAudio() {
    float[] audio = npy("demodulated.npy");
    float[] expected = npy("resampled.npy");
    float[] actual = Resampler.rational(441, 250).process(audio);
    assertThat(actual).hasSize(expected.length);
    double scale = ScipyReferenceTest.maxAbs(expected);
    for (int i = 0; i < expected.length; i++) {
      // float32 sums of 21 products against SciPy's float64 upfirdn
      assertThat((double) Math.abs(actual[i] - expected[i]))
          .as("sample %d", i)
          .isLessThanOrEqualTo(2e-6 * scale);
    }
  }

  @Test
  void theWholeChainMatchesNumpyAndScipy() {
    ComplexSignal iq = ComplexSignal.wrapInterleaved(npy("fm_1s.npy"));
    JsonNode expected = expected();
    ReceiverChain chain = ReceiverChain.builder().audioSeconds(1).build();
    assertThat(chain.audioSamples()).isEqualTo(22_050);
    assertThat(chain.melFrames()).isEqualTo(expected.get("mel_shape").get(1).asInt());

    float[] mel = new float[chain.melSize() + 3];
    ReceiverChain.Features features = chain.process(iq, mel, 3);
    assertThat(features.metrics().frequencyOffsetHz())
        .isCloseTo(expected.get("frequency_offset_hz").asDouble(), within(0.05));
    assertThat(features.metrics().snrDb()).isCloseTo(expected.get("snr_db").asDouble(), within(1e-3));

    // audio: the demodulator's bound through the resampler (its taps sum to 1, |h| to about 1.3)
    float[] audio = chain.audio(iq, features.metrics().frequencyOffsetHz());
    float[] resampled = npy("resampled.npy");
    double offsetDc = 0.05 / 2_500;
    for (int i = 0; i < resampled.length; i++) {
      assertThat((double) audio[i])
          .as("audio %d", i)
          .isCloseTo(resampled[i], within(1.5 * FmDemodulator.ATAN2_MAX_ERROR * GAIN + offsetDc));
    }
    // mel: relative to the spectrogram's maximum, as float32 mel spectrograms compare
    float[] expectedMel = npy("mel.npy");
    double peak = ScipyReferenceTest.maxAbs(expectedMel);
    for (int i = 0; i < expectedMel.length; i++) {
      assertThat((double) Math.abs(mel[3 + i] - expectedMel[i]))
          .as("mel %d", i)
          .isLessThanOrEqualTo(1e-4 * peak);
    }
    assertThat(features.quality()).isCloseTo(expected.get("quality").asDouble(), within(1e-4));

    // the direct-buffer entry point gives the same
    FloatBuffer buffer = FloatBuffer.allocate(chain.melSize());
    ReceiverChain.Features again = chain.process(iq, buffer, 0);
    assertThat(again).isEqualTo(features);
    for (int i = 0; i < expectedMel.length; i++) {
      assertThat(buffer.get(i)).isEqualTo(mel[3 + i]);
    }
  }

  @Test
  void shortRecordingsArePaddedAndLongOnesCut() {
    ComplexSignal iq = ComplexSignal.wrapInterleaved(npy("fm_1s.npy"));
    float[] resampled = npy("resampled.npy");
    ReceiverChain twoSeconds = ReceiverChain.builder().audioSeconds(2).build();
    float[] padded = twoSeconds.audio(iq, 0);
    assertThat(padded).hasSize(44_100);
    for (int i = 22_050; i < 44_100; i++) {
      assertThat(padded[i]).as("padding %d", i).isZero();
    }
    ReceiverChain half = ReceiverChain.builder().audioSeconds(0.5).build();
    float[] cut = half.audio(iq, 0);
    assertThat(cut).hasSize(11_025);
    float[] full = ReceiverChain.builder().audioSeconds(1).build().audio(iq, 0);
    for (int i = 0; i < cut.length; i++) {
      assertThat(cut[i]).isEqualTo(full[i]);
    }
    // the same samples as the 1 s chain up to the padding
    for (int i = 0; i < 22_050; i++) {
      assertThat(padded[i]).isEqualTo(full[i]);
    }
    assertThat(resampled).hasSize(22_050);
  }

  @Test
  void badChainSettingsAreNamed() {
    assertThatThrownBy(() -> ReceiverChain.builder().sampleRateHz(12_500.5).build())
        .isInstanceOf(DspException.class)
        .hasMessageContaining("whole sample rates");
    assertThatThrownBy(() -> ReceiverChain.builder().fmDeviationHz(7_000).build())
        .hasMessageContaining("exceeds the Nyquist frequency 6250.0 Hz");
    assertThatThrownBy(() -> ReceiverChain.builder().audioSeconds(0).build())
        .hasMessageContaining("audio length in seconds must be a finite number > 0, got 0.0");
    assertThatThrownBy(
            () ->
                ReceiverChain.builder()
                    .mel(MelSpectrogram.builder().sampleRate(16_000).build())
                    .build())
        .hasMessageContaining("mel spectrogram sample rate must be 22050.0 Hz");
    ReceiverChain chain = ReceiverChain.builder().build();
    assertThatThrownBy(() -> chain.process(IqTest.tone(0, 1, 1, 100, 0, 1), new float[10], 0))
        .hasMessageContaining("mel output: range [0, 55168) outside an array of 10");
    float[] bad = new float[200];
    bad[51] = Float.POSITIVE_INFINITY;
    assertThatThrownBy(() -> chain.audio(ComplexSignal.wrapInterleaved(bad), 0))
        .isInstanceOf(NonFiniteSampleException.class)
        .hasMessageContaining("index 25");
  }
}
