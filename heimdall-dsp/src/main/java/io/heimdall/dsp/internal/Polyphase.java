package io.heimdall.dsp.internal;

/**
 * A polyphase resampler's inner loop with the Vector API, for real signals: output {@code m = q·up
 * + r} is {@code Σ_i filters[r·taps + i]·padded[q·down + newest[r] + i]}. Not API: {@code
 * io.heimdall.dsp.Resampler} uses it when {@link #find} finds the Vector API.
 */
public interface Polyphase {

  /**
   * The vector loop for one resampler's filter bank, or null where the Vector API is absent or too
   * narrow (see {@link BlockFft#forSize}).
   *
   * @param up outputs per period
   * @param down inputs per period
   * @param taps taps per phase
   * @param filters {@code up·taps} coefficients, phase r's from {@code r·taps}, oldest sample first
   * @param newest per phase r, the padded index of its first (oldest) sample for q = 0
   * @return the kernel, or null
   */
  static Polyphase find(int up, int down, int taps, float[] filters, int[] newest) {
    return VectorKernels.load(
        Polyphase.class,
        "io.heimdall.dsp.internal.VectorPolyphase",
        new Class<?>[] {int.class, int.class, int.class, float[].class, int[].class},
        up,
        down,
        taps,
        filters.clone(),
        newest.clone());
  }

  /**
   * Writes outputs 0 to {@code outputs − 1} to {@code out} from {@code outOffset}.
   *
   * @param padded the input with its leading zeros; every sample an output reads must lie inside
   * @param out the output array
   * @param outOffset index of output 0
   * @param outputs outputs to write
   */
  void filter(float[] padded, float[] out, int outOffset, int outputs);
}
