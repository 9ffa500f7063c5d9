package io.heimdall.dsp;

import io.heimdall.dsp.internal.BlockFft;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jtransforms.fft.FloatFFT_1D;
import org.visnow.jlargearrays.ConcurrencyUtils;

/**
 * A single-precision FFT of one size, backed by JTransforms. Plans are cached per size ({@link
 * #of}) and safe to share between threads: a JTransforms plan only reads its twiddle tables after
 * construction, and the transforms work in the caller's arrays.
 *
 * <p>Real transforms use JTransforms' packed layout for even {@code n}: {@code a[0]} = Re X₀,
 * {@code a[1]} = Re X_{n/2}, {@code a[2k]} = Re X_k, {@code a[2k+1]} = Im X_k for 0 &lt; k &lt; n/2
 * (for odd {@code n}: {@code a[1]} = Im X_{(n-1)/2}, {@code a[n-1]} = Re X_{(n-1)/2}). The forward
 * transform is unscaled with kernel e^{-2πikj/n}; inverses divide by {@code n} so that
 * inverse(forward(x)) = x.
 *
 * <p>JTransforms splits transforms longer than 8192 points over a global pool of non-daemon
 * threads. Loading this class sets JTransforms to one thread and gives it a daemon pool, so nothing
 * of it can keep the JVM alive; parallelism belongs to the callers (one transform per thread, see
 * {@link FeatureExtractor}).
 */
public final class FftPlan {

  private static final ConcurrentMap<Integer, FftPlan> CACHE = new ConcurrentHashMap<>();

  static {
    ConcurrencyUtils.setThreadPool(daemonPool());
    ConcurrencyUtils.setNumberOfThreads(1);
  }

  private final int n;
  private final FloatFFT_1D fft;

  /** The SIMD kernel for blocks of complex transforms of n points; looked up on first use. */
  private volatile Optional<BlockFft> complexBlock;

  private FftPlan(int n) {
    this.n = n;
    this.fft = new FloatFFT_1D(n);
  }

  /**
   * The shared plan for transforms of {@code n} points (any n ≥ 1).
   *
   * @param n the transform length in points, at least 1
   * @return the cached plan for {@code n}, created on first use
   * @throws DspException if {@code n <= 0}
   */
  public static FftPlan of(int n) {
    Checks.positive("FFT size", n);
    return CACHE.computeIfAbsent(n, FftPlan::new);
  }

  private static ExecutorService daemonPool() {
    AtomicInteger counter = new AtomicInteger();
    return Executors.newCachedThreadPool(
        task -> {
          Thread thread = new Thread(task, "heimdall-jtransforms-" + counter.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * The Vector API kernel that transforms {@value BlockFft#FRAMES} complex segments of {@code n}
   * points at once, or null where it does not apply (see {@link BlockFft#forSize}); looked up once
   * per plan, since the lookup loads a class by name and builds twiddle tables.
   */
  BlockFft complexBlockKernel() {
    Optional<BlockFft> kernel = complexBlock;
    if (kernel == null) {
      kernel = Optional.ofNullable(BlockFft.forSize(2 * n));
      complexBlock = kernel;
    }
    return kernel.orElse(null);
  }

  /**
   * The transform length in points.
   *
   * @return the transform length {@code n} in points
   */
  public int size() {
    return n;
  }

  /**
   * Number of one-sided bins of a real transform: {@code n/2 + 1}.
   *
   * @return {@code n/2 + 1}, the bins from 0 up to the Nyquist frequency (or just below it for odd
   *     {@code n})
   */
  public int realBins() {
    return n / 2 + 1;
  }

  /**
   * In-place forward transform of {@code n} real values at {@code offset}, packed layout.
   *
   * @param data holds the {@code n} real values, overwritten by their packed spectrum
   * @param offset index of the first value
   * @throws DspException if the range reaches outside {@code data}
   */
  public void realForward(float[] data, int offset) {
    Checks.range("real FFT", data.length, offset, n);
    fft.realForward(data, offset);
  }

  /**
   * Forward real transforms of {@code count} consecutive frames of {@code n} values.
   *
   * @param data holds the frames, each overwritten by its packed spectrum
   * @param offset index of the first value of the first frame
   * @param count number of frames, at least 0
   * @throws DspException if the range reaches outside {@code data}
   */
  public void realForward(float[] data, int offset, int count) {
    Checks.range("batched real FFT", data.length, offset, Math.multiplyExact(n, count));
    for (int i = 0; i < count; i++) {
      fft.realForward(data, offset + i * n);
    }
  }

  /**
   * In-place inverse of {@link #realForward(float[], int)} (packed layout in, real values out).
   *
   * @param data holds a packed spectrum of {@code n} floats, overwritten by the real signal
   * @param offset index of the first float
   * @throws DspException if the range reaches outside {@code data}
   */
  public void realInverse(float[] data, int offset) {
    Checks.range("real inverse FFT", data.length, offset, n);
    fft.realInverse(data, offset, true);
  }

  /**
   * The one-sided spectrum of {@code n} real values: {@link #realBins()} complex bins written
   * interleaved to {@code out} from {@code outOffset} ({@code 2*realBins()} floats).
   *
   * @param input the {@code n} real values, not modified
   * @param inputOffset index of the first input value
   * @param out receives the spectrum as (re, im) pairs, bin 0 first
   * @param outOffset index in {@code out} of the real part of bin 0
   * @throws DspException if either range reaches outside its array
   */
  public void realSpectrum(float[] input, int inputOffset, float[] out, int outOffset) {
    Checks.range("real FFT input", input.length, inputOffset, n);
    Checks.range("real FFT output", out.length, outOffset, 2 * realBins());
    System.arraycopy(input, inputOffset, out, outOffset, n);
    fft.realForward(out, outOffset);
    if (n % 2 == 0) {
      out[outOffset + n] = out[outOffset + 1];
      out[outOffset + n + 1] = 0f;
    } else {
      out[outOffset + n] = out[outOffset + 1];
    }
    out[outOffset + 1] = 0f;
  }

  /**
   * Writes |X_k|² for k = 0..n/2 from a packed real transform at {@code packedOffset} to {@code
   * out} from {@code outOffset}.
   *
   * @param packed a real transform in the packed layout, {@code n} floats, not modified
   * @param packedOffset index of the first packed float
   * @param out receives the {@link #realBins()} powers, bin 0 first
   * @param outOffset index in {@code out} of bin 0's power
   * @throws DspException if either range reaches outside its array
   */
  public void powerFromPacked(float[] packed, int packedOffset, float[] out, int outOffset) {
    Checks.range("packed spectrum", packed.length, packedOffset, n);
    Checks.range("power spectrum", out.length, outOffset, realBins());
    float dc = packed[packedOffset];
    out[outOffset] = dc * dc;
    boolean even = n % 2 == 0;
    int lastInterleaved = even ? n / 2 - 1 : (n - 1) / 2 - 1;
    for (int k = 1; k <= lastInterleaved; k++) {
      float re = packed[packedOffset + 2 * k];
      float im = packed[packedOffset + 2 * k + 1];
      out[outOffset + k] = re * re + im * im;
    }
    if (even) {
      float nyquist = packed[packedOffset + 1];
      out[outOffset + n / 2] = nyquist * nyquist;
    } else if (n > 1) {
      float re = packed[packedOffset + n - 1];
      float im = packed[packedOffset + 1];
      out[outOffset + (n - 1) / 2] = re * re + im * im;
    }
  }

  /**
   * In-place forward transform of {@code n} interleaved complex values at float {@code offset}.
   *
   * @param interleaved holds {@code n} (re, im) pairs, overwritten by their spectrum
   * @param offset index of the first float (the real part of the first value)
   * @throws DspException if the range reaches outside {@code interleaved}
   */
  public void complexForward(float[] interleaved, int offset) {
    Checks.range("complex FFT", interleaved.length, offset, 2 * n);
    fft.complexForward(interleaved, offset);
  }

  /**
   * Forward complex transforms of {@code count} consecutive frames of {@code n} complex values.
   *
   * @param interleaved holds the frames of (re, im) pairs, each overwritten by its spectrum
   * @param offset index of the first float of the first frame
   * @param count number of frames, at least 0
   * @throws DspException if the range reaches outside {@code interleaved}
   */
  public void complexForward(float[] interleaved, int offset, int count) {
    Checks.range(
        "batched complex FFT", interleaved.length, offset, Math.multiplyExact(2 * n, count));
    for (int i = 0; i < count; i++) {
      fft.complexForward(interleaved, offset + 2 * i * n);
    }
  }

  /**
   * In-place inverse complex transform, scaled by {@code 1/n}.
   *
   * @param interleaved holds {@code n} (re, im) spectrum pairs, overwritten by the signal
   * @param offset index of the first float (the real part of bin 0)
   * @throws DspException if the range reaches outside {@code interleaved}
   */
  public void complexInverse(float[] interleaved, int offset) {
    Checks.range("complex inverse FFT", interleaved.length, offset, 2 * n);
    fft.complexInverse(interleaved, offset, true);
  }

  /**
   * Inverse complex transforms of {@code count} consecutive frames, each scaled by {@code 1/n}.
   *
   * @param interleaved holds the frames of {@code n} (re, im) spectrum pairs, each overwritten by
   *     its signal
   * @param offset index of the first float of the first frame
   * @param count number of frames, at least 0
   * @throws DspException if the range reaches outside {@code interleaved}
   */
  public void complexInverse(float[] interleaved, int offset, int count) {
    Checks.range(
        "batched complex inverse FFT",
        interleaved.length,
        offset,
        Math.multiplyExact(2 * n, count));
    for (int i = 0; i < count; i++) {
      fft.complexInverse(interleaved, offset + 2 * i * n, true);
    }
  }

  @Override
  public String toString() {
    return "FftPlan[n=" + n + "]";
  }
}
