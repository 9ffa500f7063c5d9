package io.heimdall.dsp;

import io.heimdall.dsp.internal.BlockFft;
import java.util.Arrays;

/**
 * Two-sided power spectral density of a complex signal by Welch's method, as {@code
 * scipy.signal.welch(x, fs, nperseg=n, window="hann", detrend=False, return_onesided=False)}
 * computes it: periodic Hann segments of n samples overlapping by n/2, |FFT|² scaled by {@code
 * 1/(fs·Σw²)}, averaged. No mean is removed from the segments: a carrier at exactly 0 Hz is signal,
 * not a trend. Bins are in NumPy's FFT order: bin k is frequency {@code k·fs/n}, bins from n/2 up
 * are negative.
 *
 * <p>With the Vector API ({@code --add-modules jdk.incubator.vector}) and a power-of-two segment
 * length, segments are transformed sixteen at a time, one per SIMD lane; the rest, and every
 * segment on a plain JVM, go through {@link FftPlan}.
 */
public final class WelchPsd {

  private static final int FLOAT_SUM_BLOCKS = 64;

  /** The vector kernel's scratch per thread: about 260 KB for 1,024-point segments. */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private final double sampleRate;
  private final double[] density;
  private final int segments;

  private WelchPsd(double sampleRate, double[] density, int segments) {
    this.sampleRate = sampleRate;
    this.density = density;
    this.segments = segments;
  }

  /**
   * Estimates the PSD with segments of {@code min(segmentLength, signal.length())} samples.
   *
   * @param signal the complex signal
   * @param sampleRate its sample rate in Hz
   * @param segmentLength samples per segment (1024 for the signal metrics)
   * @return the averaged spectrum
   * @throws DspException for an empty signal or a non-positive sample rate or segment length
   */
  public static WelchPsd compute(ComplexSignal signal, double sampleRate, int segmentLength) {
    Checks.positive("sample rate", sampleRate);
    Checks.positive("segment length", segmentLength);
    Checks.nonEmpty("IQ signal", signal.length());
    int n = Math.min(segmentLength, signal.length());
    int step = n - n / 2;
    int segments = (signal.length() - n / 2) / step;
    float[] window = Window.HANN.periodic(n);
    double windowEnergy = 0;
    for (float w : window) {
      windowEnergy += (double) w * w;
    }
    FftPlan plan = FftPlan.of(n);
    double[] density = new double[n];
    BlockFft block = plan.complexBlockKernel();
    int vectorised = block == null ? 0 : segments - segments % BlockFft.FRAMES;
    if (vectorised > 0) {
      accumulateBlocks(block, signal, n, step, vectorised, window, density);
    }
    float[] iq = signal.array();
    float[] frame = new float[2 * n];
    for (int s = vectorised; s < segments; s++) {
      int base = 2 * (signal.offset() + s * step);
      for (int i = 0; i < n; i++) {
        frame[2 * i] = iq[base + 2 * i] * window[i];
        frame[2 * i + 1] = iq[base + 2 * i + 1] * window[i];
      }
      plan.complexForward(frame, 0);
      for (int k = 0; k < n; k++) {
        float re = frame[2 * k];
        float im = frame[2 * k + 1];
        density[k] += re * re + im * im;
      }
    }
    double scale = 1.0 / (sampleRate * windowEnergy * segments);
    for (int k = 0; k < n; k++) {
      density[k] *= scale;
    }
    return new WelchPsd(sampleRate, density, segments);
  }

  /**
   * The first {@code count} segments, {@value BlockFft#FRAMES} at a time in SIMD lanes, into
   * {@code density}: per-lane float sums, folded into the doubles every {@value #FLOAT_SUM_BLOCKS}
   * blocks so that no float sum grows long enough to lose precision.
   */
  private static void accumulateBlocks(
      BlockFft block,
      ComplexSignal signal,
      int n,
      int step,
      int count,
      float[] window,
      double[] density) {
    Scratch reused = SCRATCH.get();
    float[] scratch = reused.kernel.atLeast(block.scratchSize(2 * step));
    // zeroed: the kernel adds to the sums
    float[] sums = reused.sums.atLeast(n * BlockFft.FRAMES);
    Arrays.fill(sums, 0, n * BlockFft.FRAMES, 0f);
    for (int s = 0; s < count; s += BlockFft.FRAMES) {
      int first = 2 * (signal.offset() + s * step);
      block.accumulateComplexPower(signal.array(), first, 2 * step, window, scratch, sums);
      int blocks = s / BlockFft.FRAMES + 1;
      if (blocks % FLOAT_SUM_BLOCKS == 0 || s + BlockFft.FRAMES >= count) {
        for (int k = 0; k < n; k++) {
          double sum = 0;
          for (int j = 0; j < BlockFft.FRAMES; j++) {
            sum += sums[k * BlockFft.FRAMES + j];
          }
          density[k] += sum;
        }
        Arrays.fill(sums, 0, n * BlockFft.FRAMES, 0f);
      }
    }
  }

  /**
   * Number of frequency bins.
   *
   * @return the segment length
   */
  public int bins() {
    return density.length;
  }

  /**
   * Number of segments averaged.
   *
   * @return at least 1
   */
  public int segments() {
    return segments;
  }

  /**
   * The sample rate the spectrum was computed for.
   *
   * @return Hz
   */
  public double sampleRate() {
    return sampleRate;
  }

  /**
   * Frequency of bin {@code k} in Hz, as {@code numpy.fft.fftfreq(n, 1/fs)[k]}.
   *
   * @param k the bin, {@code 0 <= k < bins()}
   * @return the frequency in Hz, negative from {@code n/2} up
   */
  public double frequencyHz(int k) {
    int n = density.length;
    int signed = k < (n + 1) / 2 ? k : k - n;
    return signed * (sampleRate / n);
  }

  /**
   * Power spectral density of bin {@code k}.
   *
   * @param k the bin, {@code 0 <= k < bins()}
   * @return power per Hz, relative to full scale (mean |x|² = 1)
   */
  public double density(int k) {
    return density[k];
  }

  /**
   * All densities in bin order.
   *
   * @return a copy
   */
  public double[] densities() {
    return density.clone();
  }

  /**
   * Degrees of freedom ν of one averaged bin for complex white Gaussian noise: the bin is
   * distributed as the noise density times {@code chi²(ν)/ν}. Each segment's bin is {@code chi²(2)};
   * overlapping Hann segments are correlated, so ν = 2K / (1 + 2 Σ_j (1 − j/K) ρ_j²) with ρ_j the
   * window's overlap correlation at a shift of j steps (Welch 1967; 1/6 for Hann at 50 %).
   */
  double degreesOfFreedom() {
    int n = density.length;
    int step = n - n / 2;
    float[] window = Window.HANN.periodic(n);
    double energy = 0;
    for (float w : window) {
      energy += (double) w * w;
    }
    double sum = 0;
    for (int j = 1; j < segments && (long) j * step < n; j++) {
      double overlap = 0;
      for (int i = 0; i + j * step < n; i++) {
        overlap += (double) window[i] * window[i + j * step];
      }
      double rho = overlap / energy;
      sum += (1 - (double) j / segments) * rho * rho;
    }
    return 2.0 * segments / (1 + 2 * sum);
  }

  /** Arrays grown on demand and reused by one thread's estimates. */
  private static final class Scratch {
    final FloatScratch kernel = new FloatScratch();
    final FloatScratch sums = new FloatScratch();
  }
}
