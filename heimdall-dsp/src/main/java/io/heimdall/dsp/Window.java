package io.heimdall.dsp;

/**
 * Cosine-sum windows, computed as SciPy's {@code scipy.signal.get_window} does (which librosa
 * uses): {@code w = Σ a_k cos(k·φ)} with φ evenly spaced over [−π, π]. A periodic window of length
 * n (SciPy's {@code fftbins=True}, librosa's default for spectra) is the first n points of the
 * symmetric window of length n+1; for Hann that is {@code 0.5 − 0.5·cos(2πj/n)}.
 */
public enum Window {
  /** Hann: a = (0.5, 0.5). */
  HANN(0.5, 0.5),
  /** Hamming: a = (0.54, 0.46). */
  HAMMING(0.54, 0.46),
  /** Blackman: a = (0.42, 0.50, 0.08). */
  BLACKMAN(0.42, 0.50, 0.08);

  private final double[] coefficients;

  Window(double... coefficients) {
    this.coefficients = coefficients;
  }

  /**
   * The periodic window of {@code n} points in float64 (for spectral analysis).
   *
   * @param n number of points, at least 1 (a single point is 1.0)
   * @return a new array of {@code n} window values
   * @throws DspException if {@code n <= 0}
   */
  public double[] periodicDouble(int n) {
    return values(n, true);
  }

  /**
   * The symmetric window of {@code n} points in float64 (for filter design).
   *
   * @param n number of points, at least 1 (a single point is 1.0)
   * @return a new array of {@code n} window values, symmetric about its centre
   * @throws DspException if {@code n <= 0}
   */
  public double[] symmetricDouble(int n) {
    return values(n, false);
  }

  /**
   * The periodic window of {@code n} points, computed in float64 and rounded to float32.
   *
   * @param n number of points, at least 1 (a single point is 1.0)
   * @return a new array of {@code n} window values
   * @throws DspException if {@code n <= 0}
   */
  public float[] periodic(int n) {
    return toFloats(values(n, true));
  }

  /**
   * The symmetric window of {@code n} points, computed in float64 and rounded to float32.
   *
   * @param n number of points, at least 1 (a single point is 1.0)
   * @return a new array of {@code n} window values, symmetric about its centre
   * @throws DspException if {@code n <= 0}
   */
  public float[] symmetric(int n) {
    return toFloats(values(n, false));
  }

  private double[] values(int n, boolean periodic) {
    Checks.positive("window length", n);
    if (n == 1) {
      return new double[] {1.0};
    }
    int points = periodic ? n + 1 : n;
    double step = (Math.PI - -Math.PI) / (points - 1);
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      double phi = i == points - 1 ? Math.PI : i * step + -Math.PI;
      double sum = coefficients[0];
      for (int k = 1; k < coefficients.length; k++) {
        sum += coefficients[k] * Math.cos(k * phi);
      }
      w[i] = sum;
    }
    return w;
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }
}
