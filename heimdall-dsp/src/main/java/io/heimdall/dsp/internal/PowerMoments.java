package io.heimdall.dsp.internal;

/**
 * Sums of the first four powers of |x|² over interleaved complex samples, in float64, with the
 * Vector API. Not API: {@code io.heimdall.dsp.IqMetrics} uses it when {@link #find} finds the
 * Vector API.
 */
public interface PowerMoments {

  /**
   * The vector loop, or null where the Vector API is absent or too narrow (see {@link
   * BlockFft#forSize}).
   *
   * @return the kernel, or null
   */
  static PowerMoments find() {
    return VectorKernels.load(
        PowerMoments.class, "io.heimdall.dsp.internal.VectorPowerMoments", new Class<?>[0]);
  }

  /**
   * Adds Σ m, Σ m², Σ m³ and Σ m⁴ with m = re² + im² over whole vectors of samples from {@code
   * from} to {@code sums[0..3]}, and returns the number of samples summed (the caller adds the
   * rest).
   *
   * @param iq interleaved samples
   * @param from float index of the first sample
   * @param n samples available
   * @param sums four sums, added to
   * @return samples summed, a multiple of the vector's length and at most {@code n}
   */
  int sum(float[] iq, int from, int n, double[] sums);
}
