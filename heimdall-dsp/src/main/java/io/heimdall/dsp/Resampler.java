package io.heimdall.dsp;

import io.heimdall.dsp.internal.Polyphase;
import java.util.Arrays;

/**
 * Rational resampling by {@code up/down} with a polyphase low-pass FIR, the same output as {@code
 * scipy.signal.resample_poly(x, up, down)}: a Kaiser-windowed (β = 5) sinc of {@code 20·max(up,
 * down) + 1} taps with cutoff at the lower of the two Nyquist frequencies, applied with zero phase;
 * the output has {@code ceil(n·up/down)} samples. Integer decimation is the case {@code up = 1}.
 *
 * <p>Only the kept outputs are computed, each from the {@code ceil(taps/up)} taps of its phase that
 * meet real input samples (21 multiply-adds per output for 441/250, instead of the 8821 of a
 * zero-stuffed convolution). Outputs of one phase {@code r} (every {@code up}-th output) read the
 * input at a stride of {@code down}; the input is first split into {@code down} streams ({@code
 * s_j[q] = x[q·down + j]}) so that each tap becomes one contiguous multiply-add over all outputs of
 * its phase, a loop the JIT compiles to SIMD instructions. With the Vector API ({@code
 * --add-modules jdk.incubator.vector}) a real signal instead goes through a vector of consecutive
 * phases at a time, written in output order. Immutable and thread-safe.
 */
public final class Resampler {

  private static final double KAISER_BETA = 5.0;
  private static final int HALF_LENGTH_PER_RATE = 10;

  /** Outputs per phase interleaved together: one cache line of each phase's row. */
  private static final int INTERLEAVE_TILE = 16;

  private final int up;
  private final int down;
  private final int halfLength;
  private final float[] taps;

  /** Taps per phase (the longest phase; shorter ones are padded with zeros at the front). */
  private final int phaseTaps;

  /** {@code phaseFilters[r·phaseTaps + i]}: phase r's taps, oldest input sample first. */
  private final float[] phaseFilters;

  /**
   * For output {@code m = q·up + r}: the newest input sample is {@code q·down + newest[r]}; its
   * oldest is that minus {@code phaseTaps − 1}.
   */
  private final int[] newest;

  /** The Vector API loop for real signals where the JVM has it, else null. */
  private final Polyphase vector;

  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  private Resampler(int up, int down) {
    int gcd = gcd(up, down);
    this.up = up / gcd;
    this.down = down / gcd;
    int maxRate = Math.max(this.up, this.down);
    this.halfLength = HALF_LENGTH_PER_RATE * maxRate;
    this.taps = lowPass(2 * halfLength + 1, 1.0 / maxRate, this.up);
    // y[m] = Σ_k x[k]·h[t − k·up], t = m·down + halfLength: the newest k is floor(t/up), at tap
    // phase t mod up, and older samples step up by `up` taps
    this.phaseTaps = (taps.length + this.up - 1) / this.up;
    this.phaseFilters = new float[this.up * phaseTaps];
    this.newest = new int[this.up];
    for (int r = 0; r < this.up; r++) {
      long t = (long) r * this.down + halfLength;
      newest[r] = (int) (t / this.up);
      int phase = (int) (t % this.up);
      for (int j = 0; j < phaseTaps; j++) {
        int tap = phase + j * this.up;
        phaseFilters[r * phaseTaps + phaseTaps - 1 - j] = tap < taps.length ? taps[tap] : 0f;
      }
    }
    this.vector = Polyphase.find(this.up, this.down, phaseTaps, phaseFilters, newest);
  }

  /**
   * Resampling by {@code up/down} (reduced by their greatest common divisor).
   *
   * @param up upsampling factor
   * @param down downsampling factor
   * @return the resampler
   * @throws DspException unless both are positive
   */
  public static Resampler rational(int up, int down) {
    Checks.positive("upsampling factor", up);
    Checks.positive("downsampling factor", down);
    return new Resampler(up, down);
  }

  /**
   * Decimation by an integer {@code factor} with the anti-aliasing low-pass filter.
   *
   * @param factor the decimation factor
   * @return the resampler
   * @throws DspException unless the factor is positive
   */
  public static Resampler decimator(int factor) {
    return rational(1, factor);
  }

  /**
   * Resampling from one integral sample rate to another, e.g. 12 500 Hz → 22 050 Hz is 441/250.
   *
   * @param fromHz the input sample rate
   * @param toHz the output sample rate
   * @return the resampler
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

  /**
   * The upsampling factor after reduction.
   *
   * @return up
   */
  public int up() {
    return up;
  }

  /**
   * The downsampling factor after reduction.
   *
   * @return down
   */
  public int down() {
    return down;
  }

  /**
   * The FIR taps at the upsampled rate (scaled by {@code up}).
   *
   * @return a copy
   */
  public float[] taps() {
    return taps.clone();
  }

  /**
   * Output length for {@code inputLength} samples.
   *
   * @param inputLength input samples
   * @return {@code ceil(inputLength·up/down)}
   */
  public int outputLength(int inputLength) {
    long upsampled = (long) inputLength * up;
    return Math.toIntExact(upsampled / down + (upsampled % down == 0 ? 0 : 1));
  }

  /**
   * Resamples a real signal.
   *
   * @param signal the input samples
   * @return {@link #outputLength} samples
   * @throws DspException for an empty signal
   */
  public float[] process(float[] signal) {
    return process(FloatSignal.wrap(signal));
  }

  /**
   * Resamples a real signal.
   *
   * @param signal the input samples
   * @return {@link #outputLength} samples
   * @throws DspException for an empty signal
   */
  public float[] process(FloatSignal signal) {
    Checks.nonEmpty("signal", signal.length());
    float[] out = new float[outputLength(signal.length())];
    filter(signal.array(), signal.offset(), 1, signal.length(), out, 0, 1, out.length);
    return out;
  }

  /**
   * Resamples a complex signal (I and Q with the same filter).
   *
   * @param signal the input samples
   * @return {@link #outputLength} samples
   * @throws DspException for an empty signal
   */
  public ComplexSignal process(ComplexSignal signal) {
    Checks.nonEmpty("IQ signal", signal.length());
    int outputs = outputLength(signal.length());
    float[] out = new float[2 * outputs];
    int from = 2 * signal.offset();
    filter(signal.array(), from, 2, signal.length(), out, 0, 2, outputs);
    filter(signal.array(), from + 1, 2, signal.length(), out, 1, 2, outputs);
    return ComplexSignal.wrapInterleaved(out);
  }

  /**
   * Resamples {@code n} real samples of {@code x} into {@code out[outOffset, outOffset+count)},
   * the first {@code count} outputs (fewer than {@link #outputLength} cuts, more pads with the
   * filter's tail and then zeros). Reuses this thread's scratch arrays.
   */
  void processInto(float[] x, int offset, int n, float[] out, int outOffset, int count) {
    Checks.nonEmpty("signal", n);
    Checks.range("resampler input", x.length, offset, n);
    Checks.range("resampler output", out.length, outOffset, count);
    filter(x, offset, 1, n, out, outOffset, 1, count);
  }

  /**
   * y[m] = Σ_k x[k]·h[m·down + halfLength − k·up] for m in [0, outputs): for each phase r, each of
   * its taps is one multiply-add over the outputs q·up + r, reading stream (k mod down) at k / down.
   */
  private void filter(
      float[] x,
      int offset,
      int stride,
      int n,
      float[] out,
      int outOffset,
      int outStride,
      int outputs) {
    int lead = phaseTaps - 1;
    int perPhase = (outputs + up - 1) / up;
    // padded input xp[lead + k] = x[k], zero elsewhere, as far as the last output reads
    long lastRead = (long) (perPhase - 1) * down + newest[up - 1] + lead;
    long paddedLength = Math.max(lastRead + 1, lead + n);
    Scratch s = scratch.get();
    if (vector != null && stride == 1 && outStride == 1) {
      int size = Math.toIntExact(paddedLength);
      vector.filter(s.padded.zeroPadded(x, offset, n, lead, size), out, outOffset, outputs);
      return;
    }
    // split into `down` streams of `length`
    int length = Math.toIntExact((paddedLength + down - 1) / down + 1);
    float[] streams = s.streams.atLeast(Math.multiplyExact(down, length));
    Arrays.fill(streams, 0f);
    int stream = lead % down;
    int index = lead / down;
    for (int k = 0, src = offset; k < n; k++, src += stride) {
      streams[stream * length + index] = x[src];
      if (++stream == down) {
        stream = 0;
        index++;
      }
    }
    float[] acc = s.accumulator.atLeast(perPhase);
    float[] slice = s.slice.atLeast(perPhase);
    // phase-major results, interleaved into the output at the end in cache-sized tiles: written
    // straight from each phase, output q·up + r would land 441 floats from the last, a new cache
    // line per store
    float[] phases = s.phases.atLeast(Math.multiplyExact(up, perPhase));
    for (int r = 0; r < up && r < outputs; r++) {
      int count = (outputs - r + up - 1) / up;
      Arrays.fill(acc, 0, count, 0f);
      int filterBase = r * phaseTaps;
      // the oldest padded sample of output q·up + r is q·down + newest[r]
      int first = newest[r];
      for (int i = 0; i < phaseTaps; i++) {
        float coefficient = phaseFilters[filterBase + i];
        if (coefficient == 0f) {
          continue;
        }
        int p = first + i;
        // copied first: with both arrays at the same index the JIT proves the loop free of
        // aliasing and vectorises it (reading streams[base + q] directly, it stays scalar)
        System.arraycopy(streams, (p % down) * length + p / down, slice, 0, count);
        for (int q = 0; q < count; q++) {
          acc[q] += coefficient * slice[q];
        }
      }
      System.arraycopy(acc, 0, phases, r * perPhase, count);
    }
    for (int tile = 0; tile < perPhase; tile += INTERLEAVE_TILE) {
      int tileEnd = Math.min(perPhase, tile + INTERLEAVE_TILE);
      for (int q = tile; q < tileEnd; q++) {
        int phasesHere = Math.min(up, outputs - q * up);
        int o = outOffset + q * up * outStride;
        for (int r = 0; r < phasesHere; r++, o += outStride) {
          out[o] = phases[r * perPhase + q];
        }
      }
    }
  }

  /** Per-thread scratch arrays, grown on demand and reused. */
  private static final class Scratch {
    final FloatScratch streams = new FloatScratch();
    final FloatScratch accumulator = new FloatScratch();
    final FloatScratch slice = new FloatScratch();
    final FloatScratch phases = new FloatScratch();
    final FloatScratch padded = new FloatScratch();
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
