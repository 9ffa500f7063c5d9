package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Compares against librosa 0.11 / NumPy output ({@code shared/golden/manifest.json}). */
class LibrosaGoldenTest {

  private static final MelSpectrogram LIBROSA_DEFAULTS = MelSpectrogram.builder().build();

  /** The same spectrogram on the scalar path (one JTransforms FFT per frame). */
  private static final MelSpectrogram SCALAR = BlockFftTest.scalarPath(MelSpectrogram.builder());

  @ParameterizedTest
  @ValueSource(strings = {"a_sines", "b_noise"})
  void melSpectrogramMatchesLibrosaWithinOneHundredThousandthOfTheMaximum(String name) {
    assertMatchesLibrosa(LIBROSA_DEFAULTS, name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a_sines", "b_noise"})
  void scalarPathMatchesLibrosaWithinOneHundredThousandthOfTheMaximum(String name) {
    assertMatchesLibrosa(SCALAR, name);
  }

  private static void assertMatchesLibrosa(MelSpectrogram mel, String name) {
    float[] input = Golden.floats(name + "_input.f32");
    float[] expected = Golden.floats(name + "_mel.f32");
    assertThat(mel.frames(input.length)).isEqualTo(431);
    float[] actual = mel.compute(input);
    assertThat(actual).hasSize(128 * 431);
    float max = 0;
    for (float v : expected) {
      max = Math.max(max, v);
    }
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / max);
    }
    assertThat(worst).as("max |mel - librosa| / max(librosa)").isLessThanOrEqualTo(1e-5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a_sines", "b_noise"})
  void decibelsMatchLibrosaPowerToDbWithMaxReference(String name) {
    float[] input = Golden.floats(name + "_input.f32");
    float[] expected = Golden.floats(name + "_mel_db.f32");
    float[] actual = PowerToDb.relativeToMax().applyInPlace(LIBROSA_DEFAULTS.compute(input));
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    }
    assertThat(worst).as("max |dB - librosa dB|").isLessThanOrEqualTo(2e-3);
  }

  @Test
  void decibelConversionOfLibrosasOwnMelIsExactToFloatRounding() {
    float[] mel = Golden.floats("a_sines_mel.f32");
    float[] expected = Golden.floats("a_sines_mel_db.f32");
    float[] actual = PowerToDb.relativeToMax().applyInPlace(mel.clone());
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i])
          .as("dB at %d", i)
          .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(2e-5f));
    }
  }

  @Test
  void filterbankMatchesLibrosaBitForBit() {
    float[] expected = Golden.floats("mel_basis_sr22050_nfft2048_nmels128.f32");
    float[] actual = MelFilterbank.create(22050, 2048, 128, 0, 11025, false).toDense();
    assertThat(actual).hasSize(expected.length);
    int differing = 0;
    for (int i = 0; i < expected.length; i++) {
      float ulp = Math.ulp(expected[i]);
      assertThat(Math.abs(actual[i] - expected[i])).as("weight %d", i).isLessThanOrEqualTo(ulp);
      differing += actual[i] == expected[i] ? 0 : 1;
    }
    assertThat(differing).as("weights differing by one ulp").isLessThan(expected.length / 1000);
  }

  @Test
  void melBandEdgesMatchLibrosaMelFrequencies() {
    double[] expected = Golden.doubles("mel_center_freqs_hz_nmels130.f64");
    double[] actual = MelFilterbank.melFrequencies(130, 0, 11025, false);
    double[] edges = MelFilterbank.create(22050, 2048, 128, 0, 11025, false).bandEdgesHz();
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i])
          .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(Math.ulp(expected[i]) * 2));
      assertThat(edges[i]).isEqualTo(actual[i]);
    }
  }

  @Test
  void periodicHannMatchesScipy() {
    double[] expected = Golden.doubles("hann2048_periodic.f64");
    double[] actual = Window.HANN.periodicDouble(2048);
    float[] asFloats = Window.HANN.periodic(2048);
    for (int i = 0; i < expected.length; i++) {
      assertThat(Math.abs(actual[i] - expected[i])).as("w[%d]", i).isLessThanOrEqualTo(2.3e-16);
      assertThat(asFloats[i]).isEqualTo((float) expected[i]);
    }
  }

  @Test
  void complexStftMagnitudeMatchesNumpy() {
    ComplexSignal iq = ComplexSignal.wrapInterleaved(Golden.floats("d_iq_input.c64"));
    float[] expected = Golden.floats("d_iq_stft_mag.f32");
    Stft stft = Stft.builder().nFft(1024).hop(256).center(false).build();
    assertThat(stft.frames(iq.length())).isEqualTo(184);
    float[] actual = stft.spectrogram(iq, Stft.Spectrum.MAGNITUDE);
    assertThat(actual).hasSize(1024 * 184);
    float max = 0;
    for (float v : expected) {
      max = Math.max(max, v);
    }
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    }
    assertThat(worst / max).isLessThanOrEqualTo(1e-6);
    // the two tones sit in their bins: +5 kHz at k = 5000/46.875 ≈ 107, −12 kHz at 1024 − 256 = 768
    int frame = 50;
    assertThat(actual[107 * 184 + frame]).isGreaterThan(max / 2);
    assertThat(actual[768 * 184 + frame]).isGreaterThan(max / 4);
  }
}
