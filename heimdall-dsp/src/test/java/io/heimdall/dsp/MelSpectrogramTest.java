package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MelSpectrogramTest {

  /**
   * librosa's algorithm written out naively in float64: zero-pad n/2 each side when centred, frame,
   * window, direct DFT, |X|², dense filterbank product.
   */
  static double[] naiveMel(
      float[] x,
      double sr,
      int nFft,
      int hop,
      int nMels,
      double fmin,
      double fmax,
      boolean htk,
      boolean center) {
    int pad = center ? nFft / 2 : 0;
    double[] padded = new double[x.length + 2 * pad];
    for (int i = 0; i < x.length; i++) {
      padded[pad + i] = x[i];
    }
    int frames = 1 + (padded.length - nFft) / hop;
    double[] window = Window.HANN.periodicDouble(nFft);
    float[] basis = MelFilterbank.create(sr, nFft, nMels, fmin, fmax, htk).toDense();
    int bins = nFft / 2 + 1;
    double[] mel = new double[nMels * frames];
    for (int t = 0; t < frames; t++) {
      double[] power = new double[bins];
      for (int k = 0; k < bins; k++) {
        double re = 0;
        double im = 0;
        for (int j = 0; j < nFft; j++) {
          double v = padded[t * hop + j] * window[j];
          double angle = -2 * Math.PI * ((long) k * j % nFft) / nFft;
          re += v * Math.cos(angle);
          im += v * Math.sin(angle);
        }
        power[k] = re * re + im * im;
      }
      for (int m = 0; m < nMels; m++) {
        double sum = 0;
        for (int k = 0; k < bins; k++) {
          sum += basis[m * bins + k] * power[k];
        }
        mel[m * frames + t] = sum;
      }
    }
    return mel;
  }

  static float[] chirp(int n, double sr) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      double t = i / sr;
      x[i] =
          (float)
              (0.6 * Math.sin(2 * Math.PI * (200 * t + 900 * t * t)) + 0.05 * Math.sin(i * 1.7));
    }
    return x;
  }

  static void assertCloseRelativeToMax(float[] actual, double[] expected, double relative) {
    assertThat(actual).hasSize(expected.length);
    double max = 0;
    for (double v : expected) {
      max = Math.max(max, v);
    }
    for (int i = 0; i < expected.length; i++) {
      assertThat(Math.abs(actual[i] - expected[i]))
          .as("element %d", i)
          .isLessThanOrEqualTo(relative * max);
    }
  }

  @ParameterizedTest(
      name = "len={0} nFft={1} hop={2} nMels={3} fmin={4} fmax={5} htk={6} center={7}")
  @CsvSource({
    "4000, 256, 64, 20, 0, 4000, false, true",
    "4000, 256, 100, 16, 300, 3000, true, true",
    "4000, 255, 64, 12, 0, 4000, false, true",
    "4000, 256, 64, 20, 0, 4000, false, false",
    "3001, 200, 50, 10, 50, 3900, false, false",
    "100, 256, 64, 20, 0, 4000, false, true",
    "1, 256, 64, 20, 0, 4000, false, true",
    "700, 512, 1000, 24, 0, 4000, false, true"
  })
  void matchesTheNaiveLibrosaAlgorithm(
      int length,
      int nFft,
      int hop,
      int nMels,
      double fmin,
      double fmax,
      boolean htk,
      boolean center) {
    double sr = 8000;
    float[] x = chirp(length, sr);
    MelSpectrogram mel =
        MelSpectrogram.builder()
            .sampleRate(sr)
            .nFft(nFft)
            .hop(hop)
            .nMels(nMels)
            .fmin(fmin)
            .fmax(fmax)
            .htk(htk)
            .center(center)
            .build();
    double[] expected = naiveMel(x, sr, nFft, hop, nMels, fmin, fmax, htk, center);
    assertThat(mel.frames(length)).isEqualTo(expected.length / nMels);
    assertCloseRelativeToMax(mel.compute(x), expected, 2e-6);
  }

  @Test
  void frameCountFollowsLibrosa() {
    MelSpectrogram mel = MelSpectrogram.builder().build();
    assertThat(mel.frames(220500)).isEqualTo(431);
    assertThat(mel.frames(1)).isEqualTo(1);
    assertThat(mel.frames(511)).isEqualTo(1);
    assertThat(mel.frames(512)).isEqualTo(2);
    MelSpectrogram uncentred = MelSpectrogram.builder().center(false).build();
    assertThat(uncentred.frames(2048)).isEqualTo(1);
    assertThat(uncentred.frames(220500)).isEqualTo(1 + (220500 - 2048) / 512);
  }

  @Test
  void intoBufferAndIntoArrayAgreeAndViewsAreNotCopied() {
    MelSpectrogram mel =
        MelSpectrogram.builder().sampleRate(8000).nFft(256).hop(64).nMels(20).build();
    float[] backing = chirp(5000, 8000);
    FloatSignal middle = FloatSignal.wrap(backing, 500, 4000);
    float[] expected = mel.compute(middle.toArray());
    FloatBuffer direct =
        ByteBuffer.allocateDirect((expected.length + 10) * 4)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    mel.computeInto(middle, direct, 10);
    float[] fromBuffer = new float[expected.length];
    direct.get(10, fromBuffer);
    assertThat(fromBuffer).containsExactly(expected);
    float[] array = new float[expected.length + 3];
    mel.computeInto(middle.slice(0, 4000), array, 3);
    assertThat(java.util.Arrays.copyOfRange(array, 3, array.length)).containsExactly(expected);
    backing[1000] = 0.99f;
    assertThat(middle.get(500)).isEqualTo(0.99f);
  }

  @Test
  void namesTheIndexOfNonFiniteSamples() {
    MelSpectrogram mel = MelSpectrogram.builder().build();
    float[] x = new float[22050];
    x[12345] = Float.NaN;
    assertThatThrownBy(() -> mel.compute(x))
        .isInstanceOf(NonFiniteSampleException.class)
        .hasMessageContaining("index 12345")
        .hasMessageContaining("NaN")
        .satisfies(e -> assertThat(((NonFiniteSampleException) e).index()).isEqualTo(12345));
    x[12345] = 0;
    x[0] = Float.POSITIVE_INFINITY;
    assertThatThrownBy(() -> mel.compute(x)).hasMessageContaining("Infinity at index 0");
    x[0] = 0;
    // uncentred frames never read the tail; it is still validated
    MelSpectrogram uncentred = MelSpectrogram.builder().center(false).build();
    x[22049] = Float.NEGATIVE_INFINITY;
    assertThatThrownBy(() -> uncentred.compute(x)).hasMessageContaining("-Infinity at index 22049");
  }

  @Test
  void rejectsEmptyAndTooShortSignals() {
    assertThatThrownBy(() -> MelSpectrogram.builder().build().compute(new float[0]))
        .isInstanceOf(DspException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(
            () -> MelSpectrogram.builder().center(false).build().compute(new float[2047]))
        .isInstanceOf(DspException.class)
        .hasMessageContaining("2047 samples is shorter than n_fft 2048");
  }

  @Test
  void rejectsBadParametersNamingThem() {
    assertThatThrownBy(() -> MelSpectrogram.builder().fmax(12000).build())
        .isInstanceOf(DspException.class)
        .hasMessageContaining("fmax 12000.0 Hz exceeds the Nyquist frequency 11025.0 Hz");
    assertThatThrownBy(() -> MelSpectrogram.builder().fmin(5000).fmax(4000).build())
        .hasMessageContaining("fmin 5000.0 Hz must be below fmax 4000.0 Hz");
    assertThatThrownBy(() -> MelSpectrogram.builder().hop(0).build())
        .hasMessageContaining("hop length must be > 0, got 0");
    assertThatThrownBy(() -> MelSpectrogram.builder().sampleRate(-1).build())
        .hasMessageContaining("sample rate must be a finite number > 0, got -1.0");
    assertThatThrownBy(() -> MelSpectrogram.builder().nMels(0).build())
        .hasMessageContaining("n_mels must be > 0, got 0");
  }

  @Test
  void emptyMelFiltersAreAnErrorNamingTheFilter() {
    // 128 mel bands over 129 FFT bins: the narrow low bands fall between bins
    assertThatThrownBy(() -> MelSpectrogram.builder().nFft(256).build())
        .isInstanceOf(DspException.class)
        .hasMessageMatching(
            "mel filter \\d+ \\(.*Hz\\) covers no FFT bin at n_fft 256.*lower n_mels \\(128\\).*");
  }

  @Test
  void powerToDbFollowsLibrosa() {
    float[] power = {1f, 0.1f, 1e-12f, 0f, 100f};
    float[] fixed =
        PowerToDb.relativeTo(1.0).withTopDb(Double.POSITIVE_INFINITY).applyInPlace(power.clone());
    assertThat(fixed).containsExactly(0f, -10f, -100f, -100f, 20f);
    float[] topped = PowerToDb.relativeTo(1.0).applyInPlace(power.clone());
    assertThat(topped).containsExactly(0f, -10f, -60f, -60f, 20f);
    float[] relative = PowerToDb.relativeToMax().withAmin(1e-5).applyInPlace(power.clone());
    assertThat(relative).containsExactly(-20f, -30f, -70f, -70f, 0f);
    assertThatThrownBy(() -> PowerToDb.relativeToMax().withTopDb(-1))
        .hasMessageContaining("top_db must be >= 0, got -1.0");
    assertThatThrownBy(() -> PowerToDb.relativeToMax().withAmin(0)).hasMessageContaining("amin");
  }
}
