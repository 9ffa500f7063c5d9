package io.heimdall.dsp.internal;

/**
 * The FM discriminator's loop with the Vector API: the angle of x[n]·conj(x[n−1]) by the same
 * odd polynomial and the same selects as {@code io.heimdall.dsp.FmDemodulator}'s scalar loop, in
 * the same float operations and order, so both give identical bits. Not API.
 */
public interface Discriminator {

  /**
   * The vector discriminator, or null where the Vector API is absent or too narrow (see {@link
   * BlockFft#forSize}); the caller keeps its scalar loop.
   *
   * @param atanCoefficients the odd polynomial's coefficients of a, a³, a⁵, a⁷, a⁹ for atan(a) on
   *     [0, 1]
   * @return the kernel, or null
   */
  static Discriminator find(float[] atanCoefficients) {
    return VectorKernels.load(
        Discriminator.class,
        "io.heimdall.dsp.internal.VectorDiscriminator",
        new Class<?>[] {float[].class},
        (Object) atanCoefficients.clone());
  }

  /**
   * Writes {@code scale·wrap(arg(x[i]·conj(x[i−1])) − offset)} to {@code out[outOffset + i]} for
   * i = 1, 2, … in whole vectors, as far as they fit in {@code n} samples, and returns the first i
   * it did not write: the caller finishes from there.
   *
   * @param iq interleaved samples, sample i at float index {@code from + 2i}
   * @param from float index of sample 0
   * @param n samples
   * @param offset the phase step subtracted from every angle, in (−π, π]
   * @param scale the gain applied after wrapping into (−π, π]
   * @param out the demodulated samples
   * @param outOffset index of sample 0 in {@code out}
   * @return the first sample index not written, at least 1
   */
  int demodulate(
      float[] iq, int from, int n, float offset, float scale, float[] out, int outOffset);
}
