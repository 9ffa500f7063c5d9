package io.heimdall.dsp;

/**
 * Two-sided power spectral density of a complex signal by Welch's method, as {@code
 * scipy.signal.welch(x, fs, nperseg=n, window="hann", scaling="density")} computes it for complex
 * input: periodic Hann segments of n samples overlapping by n/2, each segment's mean removed
 * (detrend "constant"), |FFT|² scaled by {@code 1/(fs·Σw²)}, averaged. Bins are in NumPy's FFT
 * order: bin k is frequency {@code k·fs/n}, bins from n/2 up are negative.
 */
public final class WelchPsd {

  private final double sampleRate;
  private final double[] density;

  private WelchPsd(double sampleRate, double[] density) {
    this.sampleRate = sampleRate;
    this.density = density;
  }

  /**
   * Estimates the PSD with segments of {@code min(segmentLength, signal.length())} samples.
   *
   * @throws DspException for an empty signal or a non-positive sample rate or segment length
   */
  public static WelchPsd compute(ComplexSignal signal, double sampleRate, int segmentLength) {
    Checks.positive("sample rate", sampleRate);
    Checks.positive("segment length", segmentLength);
    Checks.nonEmpty("IQ signal", signal.length());
    int n = Math.min(segmentLength, signal.length());
    int overlap = n / 2;
    int step = n - overlap;
    int segments = (signal.length() - overlap) / step;
    double[] window = Window.HANN.periodicDouble(n);
    double windowEnergy = 0;
    for (double w : window) {
      windowEnergy += w * w;
    }
    double scale = 1.0 / (sampleRate * windowEnergy);
    FftPlan plan = FftPlan.of(n);
    float[] iq = signal.array();
    float[] frame = new float[2 * n];
    double[] density = new double[n];
    for (int s = 0; s < segments; s++) {
      int base = 2 * (signal.offset() + s * step);
      double meanRe = 0;
      double meanIm = 0;
      for (int i = 0; i < n; i++) {
        meanRe += iq[base + 2 * i];
        meanIm += iq[base + 2 * i + 1];
      }
      meanRe /= n;
      meanIm /= n;
      for (int i = 0; i < n; i++) {
        frame[2 * i] = (float) ((iq[base + 2 * i] - meanRe) * window[i]);
        frame[2 * i + 1] = (float) ((iq[base + 2 * i + 1] - meanIm) * window[i]);
      }
      plan.complexForward(frame, 0);
      for (int k = 0; k < n; k++) {
        double re = frame[2 * k];
        double im = frame[2 * k + 1];
        density[k] += (re * re + im * im) * scale;
      }
    }
    for (int k = 0; k < n; k++) {
      density[k] /= segments;
    }
    return new WelchPsd(sampleRate, density);
  }

  /** Number of frequency bins (the segment length). */
  public int bins() {
    return density.length;
  }

  /** Frequency of bin {@code k} in Hz, as {@code numpy.fft.fftfreq(n, 1/fs)[k]}. */
  public double frequencyHz(int k) {
    int n = density.length;
    int signed = k < (n + 1) / 2 ? k : k - n;
    return signed * (sampleRate / n);
  }

  /** Power spectral density of bin {@code k} (power per Hz, full scale = 1). */
  public double density(int k) {
    return density[k];
  }

  /** A copy of all densities in bin order. */
  public double[] densities() {
    return density.clone();
  }
}
