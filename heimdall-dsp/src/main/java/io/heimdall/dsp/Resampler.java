package io.heimdall.dsp;

/**
 * Rational resampling by {@code up/down} with a polyphase low-pass FIR, the same output as {@code
 * scipy.signal.resample_poly(x, up, down)}: a Kaiser-windowed (β = 5) sinc of {@code 20·max(up,
 * down) + 1} taps with cutoff at the lower of the two Nyquist frequencies, applied with zero phase;
 * the output has {@code ceil(n·up/down)} samples. Integer decimation is the case {@code up = 1}.
 * Only the taps that meet real input samples are computed (about {@code 20·max(up,down)/up} per
 * output). Immutable and thread-safe.
 */
public final class Resampler {

  private static final double KAISER_BETA = 5.0;
  private static final int HALF_LENGTH_PER_RATE = 10;

  private final int up;
  private final int down;
  private final int halfLength;
  private final float[] taps;

  private Resampler(int up, int down) {
    int gcd = gcd(up, down);
    this.up = up / gcd;
    this.down = down / gcd;
    int maxRate = Math.max(this.up, this.down);
    this.halfLength = HALF_LENGTH_PER_RATE * maxRate;
    this.taps = lowPass(2 * halfLength + 1, 1.0 / maxRate, this.up);
  }

  /**
   * Resampling by {@code up/down} (reduced by their greatest common divisor).
   *
   * @throws DspException unless both are positive
   */
  public static Resampler rational(int up, int down) {
    Checks.positive("upsampling factor", up);
    Checks.positive("downsampling factor", down);
    return new Resampler(up, down);
  }

  /** Decimation by an integer {@code factor} with the anti-aliasing low-pass filter. */
  public static Resampler decimator(int factor) {
    return rational(1, factor);
  }

  /**
   * Resampling from one integral sample rate to another, e.g. 12 500 Hz → 22 050 Hz is 441/250.
   *
   * @throws DspException unless both rates are positive whole numbers of Hz
   */
  public static Resampler between(double fromHz, double toHz) {
    Checks.positive("input sample rate", fromHz);
    Checks.positive("output sample rate", toHz);
    if (fromHz != Math.rint(fromHz)
        || toHz != Math.rint(toHz)
        || fromHz > Integer.MAX_VALUE
        || toHz > Integer.MAX_VALUE) {
      throw new DspException(
          "rational resampling needs whole sample rates in Hz, got " + fromHz + " → " + toHz);
    }
    return rational((int) toHz, (int) fromHz);
  }

  /** The upsampling factor after reduction. */
  public int up() {
    return up;
  }

  /** The downsampling factor after reduction. */
  public int down() {
    return down;
  }

  /** A copy of the FIR taps at the upsampled rate (scaled by {@code up}). */
  public float[] taps() {
    return taps.clone();
  }

  /** Output length for {@code inputLength} samples: {@code ceil(inputLength·up/down)}. */
  public int outputLength(int inputLength) {
    long upsampled = (long) inputLength * up;
    return Math.toIntExact(upsampled / down + (upsampled % down == 0 ? 0 : 1));
  }

  /** Resamples a real signal. */
  public float[] process(float[] signal) {
    return process(FloatSignal.wrap(signal));
  }

  /** Resamples a real signal. */
  public float[] process(FloatSignal signal) {
    Checks.nonEmpty("signal", signal.length());
    float[] out = new float[outputLength(signal.length())];
    filter(signal.array(), signal.offset(), 1, signal.length(), out, 1);
    return out;
  }

  /** Resamples a complex signal (I and Q with the same filter). */
  public ComplexSignal process(ComplexSignal signal) {
    Checks.nonEmpty("IQ signal", signal.length());
    float[] out = new float[2 * outputLength(signal.length())];
    int from = 2 * signal.offset();
    filter(signal.array(), from, 2, signal.length(), out, 2);
    filter(signal.array(), from + 1, 2, signal.length(), out, 2, 1);
    return ComplexSignal.wrapInterleaved(out);
  }

  private void filter(float[] x, int offset, int stride, int n, float[] out, int outStride) {
    filter(x, offset, stride, n, out, outStride, 0);
  }

  /**
   * y[m] = Σ_k x[k]·h[m·down + halfLength − k·up]: the zero-phase convolution of the zero-stuffed
   * input with the filter, evaluated only where x has samples.
   */
  private void filter(
      float[] x, int offset, int stride, int n, float[] out, int outStride, int outOffset) {
    int outputs = out.length / outStride;
    int last = taps.length - 1;
    for (int m = 0; m < outputs; m++) {
      long t = (long) m * down + halfLength;
      long kMax = Math.min(n - 1, t / up);
      long kMin = Math.max(0, ceilDiv(t - last, up));
      float sum = 0f;
      int tap = (int) (t - kMax * up);
      int src = offset + (int) kMax * stride;
      for (long k = kMax; k >= kMin; k--, tap += up, src -= stride) {
        sum += x[src] * taps[tap];
      }
      out[outOffset + m * outStride] = sum;
    }
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /**
   * SciPy's {@code firwin(numtaps, cutoff, window=("kaiser", 5.0)) * gain}, cutoff relative to
   * Nyquist.
   */
  static float[] lowPass(int numtaps, double cutoff, double gain) {
    double alpha = 0.5 * (numtaps - 1);
    double[] h = new double[numtaps];
    double sum = 0;
    double i0Beta = besselI0(KAISER_BETA);
    for (int i = 0; i < numtaps; i++) {
      double m = i - alpha;
      double ratio = alpha == 0 ? 0 : (i - alpha) / alpha;
      double window = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / i0Beta;
      h[i] = cutoff * sinc(cutoff * m) * window;
      sum += h[i];
    }
    float[] out = new float[numtaps];
    for (int i = 0; i < numtaps; i++) {
      out[i] = (float) (h[i] / sum * gain);
    }
    return out;
  }

  private static double sinc(double x) {
    if (x == 0) {
      return 1.0;
    }
    double px = Math.PI * x;
    return Math.sin(px) / px;
  }

  /** Modified Bessel function of the first kind, order 0 (power series). */
  static double besselI0(double x) {
    double term = 1;
    double sum = 1;
    double quarterSquare = x * x / 4;
    for (int k = 1; term > sum * 1e-17; k++) {
      term *= quarterSquare / ((double) k * k);
      sum += term;
    }
    return sum;
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int r = a % b;
      a = b;
      b = r;
    }
    return a;
  }
}
