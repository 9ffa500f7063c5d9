package io.heimdall.dsp;

import org.jtransforms.utils.CommonUtils;

/**
 * Power spectra |X_k|² of real frames whose length is a power of two (≥ 8), with the last step of
 * the real FFT fused into the power computation.
 *
 * <p>A real FFT of n points is a complex FFT of n/2 points followed by a pass that untangles the
 * even and odd halves (JTransforms' {@code rftfsub}, from Ooura's FFT). Here the complex transform
 * is JTransforms' own ({@link CommonUtils#cftfsub}, with twiddle tables built by its own {@code
 * makewt}/{@code makect} exactly as {@code FloatFFT_1D} builds them), and the untangling pass
 * computes the two bins it produces and squares them on the spot, writing column {@code j} of a
 * bin-major block, instead of writing the spectrum back and reading it again. Immutable after
 * construction; thread-safe.
 */
final class PackedPowerKernel {

  private final int n;
  private final int nw;
  private final int nc;
  private final int[] ip;
  private final float[] w;

  PackedPowerKernel(int n) {
    if (n < 8 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("fused power kernel needs a power of two >= 8, got " + n);
    }
    this.n = n;
    this.nw = n >> 2;
    this.nc = n >> 2;
    this.ip = new int[2 + n / 2];
    this.w = new float[n];
    CommonUtils.makewt(nw, ip, w);
    CommonUtils.makect(nc, w, nw, ip);
  }

  static boolean supports(int n) {
    return n >= 8 && Integer.bitCount(n) == 1;
  }

  /**
   * Transforms {@code frame} (destroyed) and writes |X_k|², k = 0..n/2, to {@code power[k*stride +
   * column]}.
   */
  void power(float[] frame, float[] power, int stride, int column) {
    CommonUtils.cftfsub(n, frame, 0, ip, nw, w);
    int m = n >> 1;
    int ks = 2 * nc / m;
    int kk = 0;
    for (int j = 2; j < m; j += 2) {
      int k = n - j;
      kk += ks;
      float wkr = (float) (0.5 - w[nw + nc - kk]);
      float wki = w[nw + kk];
      float xr = frame[j] - frame[k];
      float xi = frame[j + 1] + frame[k + 1];
      float yr = wkr * xr - wki * xi;
      float yi = wkr * xi + wki * xr;
      float lowRe = frame[j] - yr;
      float lowIm = yi - frame[j + 1];
      float highRe = frame[k] + yr;
      float highIm = yi - frame[k + 1];
      power[(j >> 1) * stride + column] = lowRe * lowRe + lowIm * lowIm;
      power[(k >> 1) * stride + column] = highRe * highRe + highIm * highIm;
    }
    float quarterRe = frame[m];
    float quarterIm = frame[m + 1];
    power[(m >> 1) * stride + column] = quarterRe * quarterRe + quarterIm * quarterIm;
    float dc = frame[0] + frame[1];
    float nyquist = frame[0] - frame[1];
    power[column] = dc * dc;
    power[m * stride + column] = nyquist * nyquist;
  }
}
