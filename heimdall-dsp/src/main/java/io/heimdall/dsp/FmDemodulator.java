package io.heimdall.dsp;

/**
 * FM demodulation of complex baseband by the quadrature (polar) discriminator: the phase step
 * between consecutive samples, {@code arg(x[n]·conj(x[n−1]))}, scaled so that a frequency deviation
 * of {@code maxDeviationHz} gives ±1. Immutable and thread-safe.
 */
public final class FmDemodulator {

  private final double sampleRate;
  private final double maxDeviationHz;
  private final double gain;

  private FmDemodulator(double sampleRate, double maxDeviationHz) {
    this.sampleRate = Checks.positive("sample rate", sampleRate);
    this.maxDeviationHz = Checks.positive("maximum deviation", maxDeviationHz);
    if (maxDeviationHz > sampleRate / 2) {
      throw new DspException(
          "maximum deviation "
              + maxDeviationHz
              + " Hz exceeds the Nyquist frequency "
              + sampleRate / 2
              + " Hz");
    }
    this.gain = sampleRate / (2 * Math.PI * maxDeviationHz);
  }

  /**
   * A demodulator for {@code sampleRate} with ±1 output at {@code maxDeviationHz} (5 kHz for NBFM).
   */
  public static FmDemodulator of(double sampleRate, double maxDeviationHz) {
    return new FmDemodulator(sampleRate, maxDeviationHz);
  }

  /** The sample rate in Hz. */
  public double sampleRate() {
    return sampleRate;
  }

  /** The deviation that maps to ±1. */
  public double maxDeviationHz() {
    return maxDeviationHz;
  }

  /**
   * The instantaneous frequency of each sample divided by the maximum deviation: as many samples as
   * the input (the first repeats the second, having no predecessor).
   *
   * @throws DspException for an empty signal
   * @throws NonFiniteSampleException naming the first non-finite sample
   */
  public float[] demodulate(ComplexSignal signal) {
    Checks.nonEmpty("IQ signal", signal.length());
    signal.requireFinite();
    int n = signal.length();
    float[] iq = signal.array();
    int base = 2 * signal.offset();
    float[] out = new float[n];
    for (int i = 1; i < n; i++) {
      double re = iq[base + 2 * i];
      double im = iq[base + 2 * i + 1];
      double prevRe = iq[base + 2 * i - 2];
      double prevIm = iq[base + 2 * i - 1];
      // x[n]·conj(x[n-1])
      double productRe = re * prevRe + im * prevIm;
      double productIm = im * prevRe - re * prevIm;
      out[i] = (float) (gain * Math.atan2(productIm, productRe));
    }
    out[0] = n > 1 ? out[1] : 0f;
    return out;
  }
}
