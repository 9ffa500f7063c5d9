package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.heimdall.npy.Npy;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Compares against SciPy 1.10.1 output committed in {@code scipy/} (see make_fixtures.py there).
 */
class ScipyReferenceTest {

  static float[] fixture(String name) {
    return floats("/scipy/" + name);
  }

  /** The float32 or complex64 values (interleaved) of a test resource's {@code .npy} file. */
  static float[] floats(String resource) {
    try {
      return Npy.read(resourcePath(resource)).toFloatArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The path of a test resource, e.g. {@code /chain/mel.npy}. */
  static Path resourcePath(String resource) {
    try {
      return Path.of(ScipyReferenceTest.class.getResource(resource).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static double maxAbs(float[] values) {
    double max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  @ParameterizedTest
  @CsvSource({"441, 250, resample_441_250.npy", "1, 8, resample_1_8.npy", "3, 2, resample_3_2.npy"})
  void resamplerMatchesResamplePoly(int up, int down, String expectedFile) {
    float[] x = fixture("real_input.npy");
    float[] expected = fixture(expectedFile);
    Resampler resampler = Resampler.rational(up, down);
    assertThat(resampler.outputLength(x.length)).isEqualTo(expected.length);
    float[] actual = resampler.process(x);
    double scale = maxAbs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) Math.abs(actual[i] - expected[i]))
          .as("sample %d", i)
          .isLessThanOrEqualTo(2e-6 * scale);
    }
  }

  @Test
  void filterTapsMatchFirwinKaiser() {
    float[] expected = fixture("firwin_441_250_taps.npy");
    float[] actual = Resampler.between(12_500, 22_050).taps();
    assertThat(actual).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(Math.abs(actual[i] - expected[i]))
          .as("tap %d", i)
          .isLessThanOrEqualTo(1e-6f * Math.abs(expected[i]) + 1e-9f);
    }
  }

  @Test
  void welchMatchesScipyForComplexInput() {
    ComplexSignal iq = ComplexSignal.wrapInterleaved(fixture("iq_input.npy"));
    float[] expected = fixture("welch_psd.npy");
    WelchPsd psd = WelchPsd.compute(iq, 48_000, 1024);
    assertThat(psd.bins()).isEqualTo(1024);
    double max = maxAbs(expected);
    for (int k = 0; k < expected.length; k++) {
      assertThat(Math.abs(psd.density(k) - expected[k]))
          .as("bin %d", k)
          .isLessThanOrEqualTo(1e-5 * max + 1e-4 * expected[k]);
    }
    assertThat(psd.frequencyHz(64)).isEqualTo(3000.0);
    assertThat(psd.frequencyHz(512)).isEqualTo(-24000.0);
    assertThat(psd.frequencyHz(1023)).isEqualTo(-46.875);
  }
}
