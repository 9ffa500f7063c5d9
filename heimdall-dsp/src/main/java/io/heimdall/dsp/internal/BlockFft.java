package io.heimdall.dsp.internal;

/**
 * Power spectra of {@value #FRAMES} frames at once, frames in SIMD lanes: real frames of n points
 * ({@link #power}) or complex segments of n/2 points ({@link #accumulateComplexPower}), and the
 * mel filterbank over a block of them ({@link #bandSums}). Not API:
 * {@code io.heimdall.dsp.MelSpectrogram} and {@code io.heimdall.dsp.WelchPsd} use it when {@link
 * #forSize} finds the Vector API.
 *
 * <p>Layout: the frames are read from a signal that is already padded (frame {@code j} starts at
 * {@code first + j·hop}); the power spectrum of frame {@code j}, bin {@code k}, is written to
 * {@code power[k·FRAMES + j]} for k = 0..n/2, the bin-major block the mel filterbank reads.
 */
public interface BlockFft {

  /** Frames per call, in SIMD lanes. */
  int FRAMES = 16;

  /**
   * System property that turns every vector kernel of this package off ({@code
   * -Dheimdall.dsp.vector=false}).
   */
  String DISABLE_PROPERTY = "heimdall.dsp.vector";

  /**
   * The vector kernel for real frames of {@code n} points, or null where it does not apply: n not a
   * power of two ≥ 8, the JVM started without {@code --add-modules jdk.incubator.vector}, SIMD
   * registers narrower than 256 bits, or {@value #DISABLE_PROPERTY}=false.
   *
   * @param n frame length
   * @return the kernel, or null (use the scalar path)
   */
  static BlockFft forSize(int n) {
    if (n < 8 || Integer.bitCount(n) != 1) {
      return null;
    }
    return VectorKernels.load(
        BlockFft.class, "io.heimdall.dsp.internal.VectorBlockFft", new Class<?>[] {int.class}, n);
  }

  /** The frame length. */
  int size();

  /**
   * Floats of scratch space {@link #power} and {@link #accumulateComplexPower} need for frames
   * {@code hop} floats apart.
   *
   * @param hop floats between the starts of consecutive frames
   * @return the scratch size
   */
  int scratchSize(int hop);

  /**
   * Windows {@value #FRAMES} frames of {@code padded}, frame {@code j} from {@code first + j·hop},
   * and writes their power spectra |X_k|², k = 0..n/2, to {@code power[k·FRAMES +
   * j]}. Thread-safe: all state is in the arguments.
   *
   * @param padded the signal; every frame must lie inside it
   * @param first start of frame 0
   * @param hop samples between the starts of consecutive frames
   * @param window n window values
   * @param scratch {@link #scratchSize(int) scratchSize(hop)} floats, overwritten
   * @param power at least {@code (n/2+1)·FRAMES} values
   */
  void power(
      float[] padded, int first, int hop, float[] window, float[] scratch, float[] power);

  /**
   * Windows {@value #FRAMES} complex segments of n/2 points, segment {@code j} from float index
   * {@code first + j·hop} of {@code interleaved} (re, im pairs), and adds their power
   * spectra |Z_k|², k = 0..n/2−1 in FFT order, to {@code sums[k·FRAMES + j]}. Thread-safe: all
   * state is in the arguments.
   *
   * @param interleaved the complex signal, re and im interleaved; every segment must lie inside it
   * @param first float index of segment 0
   * @param hop floats between the starts of consecutive segments (twice the step in points)
   * @param window n/2 window values, one per complex point
   * @param scratch {@link #scratchSize(int) scratchSize(hop)} floats, overwritten
   * @param sums at least {@code (n/2)·FRAMES} values, added to
   */
  void accumulateComplexPower(
      float[] interleaved,
      int first,
      int hop,
      float[] window,
      float[] scratch,
      float[] sums);

  /**
   * A sparse filterbank (the mel bands) applied to a block written by {@link #power}: band b of
   * frame j is the sum over w in [weightOffset[b], weightOffset[b+1]) of {@code
   * weights[w]·power[(firstBin[b] + w − weightOffset[b])·FRAMES + j]}, written to {@code
   * dest[destOffset + b·destStride + j]}. Products are rounded and added in bin order, as a scalar loop over the frames would, so
   * the sums are the same bits.
   *
   * @param power the block, bin-major
   * @param firstBin per band, its first bin
   * @param weightOffset per band, where its weights start; one more entry marks the end
   * @param weights every band's weights, one per bin from its first
   * @param dest receives the bands
   * @param destOffset index of band 0, frame 0
   * @param destStride distance between bands in {@code dest}
   */
  void bandSums(
      float[] power,
      int[] firstBin,
      int[] weightOffset,
      float[] weights,
      float[] dest,
      int destOffset,
      int destStride);
}
