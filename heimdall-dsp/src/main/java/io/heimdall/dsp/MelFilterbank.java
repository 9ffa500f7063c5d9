package io.heimdall.dsp;

import io.heimdall.dsp.internal.BlockFft;
import java.util.Arrays;

/**
 * A mel filterbank exactly as {@code librosa.filters.mel} builds it (defaults: Slaney scale and
 * Slaney area normalisation; optionally the HTK scale): {@code n_mels + 2} band edges evenly spaced
 * in mel between fmin and fmax, triangular weights on the FFT bin frequencies {@code k·sr/n_fft},
 * each filter scaled by {@code 2/(edge[i+2] − edge[i])}. Weights are computed in float64 and
 * rounded to float32 in librosa's order of operations.
 *
 * <p>Each filter covers a contiguous run of bins, so the bank is kept sparse: only the non-zero
 * weights of each filter are stored and applied. Immutable and thread-safe.
 */
public final class MelFilterbank {

  /** Frames per block of {@link #applyToBlock}: the number of independent sums it keeps. */
  static final int BLOCK_FRAMES = 16;

  private static final double SLANEY_HZ_PER_MEL = 200.0 / 3;
  private static final double SLANEY_LOG_START_HZ = 1000.0;
  private static final double SLANEY_LOG_START_MEL =
      (SLANEY_LOG_START_HZ - 0.0) / SLANEY_HZ_PER_MEL;
  private static final double SLANEY_LOG_STEP = Math.log(6.4) / 27.0;

  private final int nMels;
  private final int bins;
  private final double[] bandEdgesHz;
  private final int[] firstBin;
  private final int[] weightOffset;
  private final float[] weights;

  private MelFilterbank(
      int nMels, int bins, double[] edges, int[] first, int[] offsets, float[] w) {
    this.nMels = nMels;
    this.bins = bins;
    this.bandEdgesHz = edges;
    this.firstBin = first;
    this.weightOffset = offsets;
    this.weights = w;
  }

  /**
   * Builds the filterbank.
   *
   * @param sampleRate sample rate of the analysed signal in Hz, finite and greater than 0
   * @param nFft FFT length the filters apply to, greater than 0; the bank spans {@code n_fft/2 + 1}
   *     bins
   * @param nMels number of mel bands (filters), greater than 0
   * @param fmin lower edge of the lowest filter in Hz, at least 0
   * @param fmax upper edge of the highest filter in Hz, above {@code fmin} and at most {@code
   *     sampleRate/2}
   * @param htk true for the HTK mel scale, false for Slaney's (librosa's default)
   * @return the sparse filterbank
   * @throws DspException if a parameter is out of range ({@code 0 ≤ fmin < fmax ≤ sr/2}) or a
   *     filter would be empty (no FFT bin inside its band: lower n_mels or raise n_fft), naming the
   *     offending filter
   */
  public static MelFilterbank create(
      double sampleRate, int nFft, int nMels, double fmin, double fmax, boolean htk) {
    Checks.positive("sample rate", sampleRate);
    Checks.positive("n_fft", nFft);
    Checks.positive("n_mels", nMels);
    double nyquist = sampleRate / 2;
    if (!(fmin >= 0) || Double.isInfinite(fmin)) {
      throw new DspException("fmin must be a finite frequency >= 0 Hz, got " + fmin);
    }
    if (!(fmax <= nyquist)) {
      throw new DspException(
          "fmax "
              + fmax
              + " Hz exceeds the Nyquist frequency "
              + nyquist
              + " Hz (sample rate "
              + sampleRate
              + " Hz)");
    }
    if (!(fmin < fmax)) {
      throw new DspException("fmin " + fmin + " Hz must be below fmax " + fmax + " Hz");
    }
    int bins = nFft / 2 + 1;
    double[] fftFreqs = fftFrequencies(sampleRate, nFft);
    double[] edges = melFrequencies(nMels + 2, fmin, fmax, htk);

    int[] first = new int[nMels];
    int[] offsets = new int[nMels + 1];
    float[] packed = new float[2 * bins + nMels];
    int used = 0;
    float[] row = new float[bins];
    for (int i = 0; i < nMels; i++) {
      double lowerWidth = edges[i + 1] - edges[i];
      double upperWidth = edges[i + 2] - edges[i + 1];
      double enorm = 2.0 / (edges[i + 2] - edges[i]);
      int lo = -1;
      int hi = -1;
      for (int k = 0; k < bins; k++) {
        double lower = -(edges[i] - fftFreqs[k]) / lowerWidth;
        double upper = (edges[i + 2] - fftFreqs[k]) / upperWidth;
        // librosa stores the triangle in float32, then multiplies by the float64 norm and
        // stores float32 again: two roundings, reproduced here.
        float triangle = (float) Math.max(0, Math.min(lower, upper));
        row[k] = (float) (triangle * enorm);
        if (row[k] > 0) {
          lo = lo < 0 ? k : lo;
          hi = k;
        }
      }
      if (lo < 0) {
        if (edges[i] == 0) {
          lo = 0;
          hi = -1; // librosa tolerates an empty first filter that starts at 0 Hz
        } else {
          throw new DspException(
              "mel filter "
                  + i
                  + " ("
                  + edges[i]
                  + "–"
                  + edges[i + 2]
                  + " Hz) covers no FFT bin"
                  + " at n_fft "
                  + nFft
                  + ", sample rate "
                  + sampleRate
                  + " Hz: lower n_mels ("
                  + nMels
                  + ") or raise n_fft");
        }
      }
      int count = hi - lo + 1;
      if (used + count > packed.length) {
        packed = Arrays.copyOf(packed, Math.max(packed.length * 2, used + count));
      }
      System.arraycopy(row, lo, packed, used, count);
      first[i] = lo;
      offsets[i] = used;
      used += count;
    }
    offsets[nMels] = used;
    return new MelFilterbank(nMels, bins, edges, first, offsets, Arrays.copyOf(packed, used));
  }

  /** FFT bin centre frequencies {@code k·sr/n_fft}, as {@code numpy.fft.rfftfreq} computes them. */
  static double[] fftFrequencies(double sampleRate, int nFft) {
    double spacing = 1.0 / (nFft * (1.0 / sampleRate));
    double[] freqs = new double[nFft / 2 + 1];
    for (int k = 0; k < freqs.length; k++) {
      freqs[k] = k * spacing;
    }
    return freqs;
  }

  /**
   * {@code count} frequencies evenly spaced in mel between fmin and fmax, like {@code
   * librosa.mel_frequencies}.
   *
   * @param count number of frequencies, greater than 0
   * @param fmin the first frequency in Hz
   * @param fmax the last frequency in Hz
   * @param htk true for the HTK mel scale, false for Slaney's (librosa's default)
   * @return {@code count} frequencies in Hz, ascending when {@code fmin < fmax}, the last exactly
   *     {@code fmax}'s mel converted back to Hz
   * @throws DspException if {@code count <= 0}
   */
  public static double[] melFrequencies(int count, double fmin, double fmax, boolean htk) {
    Checks.positive("number of mel frequencies", count);
    double minMel = hzToMel(fmin, htk);
    double maxMel = hzToMel(fmax, htk);
    double[] hz = new double[count];
    double step = count > 1 ? (maxMel - minMel) / (count - 1) : 0;
    for (int i = 0; i < count; i++) {
      double mel = count > 1 && i == count - 1 ? maxMel : i * step + minMel;
      hz[i] = melToHz(mel, htk);
    }
    return hz;
  }

  /**
   * Hz to mel: Slaney (linear below 1 kHz, logarithmic above) or HTK ({@code 2595·log10(1+f/700)}).
   *
   * @param hz a frequency in Hz
   * @param htk true for the HTK mel scale, false for Slaney's (librosa's default)
   * @return the frequency in mels on that scale
   */
  public static double hzToMel(double hz, boolean htk) {
    if (htk) {
      return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }
    if (hz >= SLANEY_LOG_START_HZ) {
      return SLANEY_LOG_START_MEL + Math.log(hz / SLANEY_LOG_START_HZ) / SLANEY_LOG_STEP;
    }
    return (hz - 0.0) / SLANEY_HZ_PER_MEL;
  }

  /**
   * Mel to Hz, the inverse of {@link #hzToMel}.
   *
   * @param mel a value in mels
   * @param htk true for the HTK mel scale, false for Slaney's (librosa's default)
   * @return the frequency in Hz
   */
  public static double melToHz(double mel, boolean htk) {
    if (htk) {
      return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }
    if (mel >= SLANEY_LOG_START_MEL) {
      return SLANEY_LOG_START_HZ * Math.exp(SLANEY_LOG_STEP * (mel - SLANEY_LOG_START_MEL));
    }
    return 0.0 + SLANEY_HZ_PER_MEL * mel;
  }

  /**
   * Number of mel bands (filters).
   *
   * @return {@code n_mels}, the number of filters and of output rows
   */
  public int melBands() {
    return nMels;
  }

  /**
   * Number of FFT bins each filter spans: {@code n_fft/2 + 1}.
   *
   * @return {@code n_fft/2 + 1}, the length of the power spectra the bank applies to
   */
  public int fftBins() {
    return bins;
  }

  /**
   * The {@code n_mels + 2} band edges in Hz (filter i spans edges i..i+2, peaking at i+1).
   *
   * @return a new array of the {@code n_mels + 2} band edges in Hz, ascending
   */
  public double[] bandEdgesHz() {
    return bandEdgesHz.clone();
  }

  /**
   * Number of non-zero weights: what applying the bank costs per frame.
   *
   * @return the number of stored weights, one multiply-add each per frame
   */
  public int nonZeroWeights() {
    return weights.length;
  }

  /**
   * The dense matrix {@code [n_mels][n_fft/2+1]}, row-major, like librosa returns it.
   *
   * @return a new row-major array of {@code n_mels * (n_fft/2 + 1)} weights, zero outside each
   *     filter's band
   */
  public float[] toDense() {
    float[] dense = new float[nMels * bins];
    for (int i = 0; i < nMels; i++) {
      int count = weightOffset[i + 1] - weightOffset[i];
      System.arraycopy(weights, weightOffset[i], dense, i * bins + firstBin[i], count);
    }
    return dense;
  }

  /**
   * Applies the bank to a block of {@value #BLOCK_FRAMES} power spectra stored bin-major: {@code
   * power[k*BLOCK_FRAMES + j]} is bin k of frame j. Writes band m of frame j to {@code
   * dest[destOffset + m*destStride + j]}.
   *
   * <p>The sixteen frames are sixteen independent sums kept in locals: the loads of one bin's
   * powers are contiguous and no sum waits on another, which is several times faster than one
   * running sum per band and frame (whose additions form a latency chain), and than accumulating in
   * an array (which the JIT can neither keep in registers nor vectorise). With the Vector API
   * kernel the same sums run one vector per band and weight, in the same order.
   */
  void applyToBlock(
      float[] power, float[] dest, int destOffset, int destStride, BlockFft vectorKernel) {
    if (vectorKernel != null) {
      vectorKernel.bandSums(power, firstBin, weightOffset, weights, dest, destOffset, destStride);
      return;
    }
    for (int m = 0; m < nMels; m++) {
      float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
      float s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0;
      int p = firstBin[m] * BLOCK_FRAMES;
      for (int w = weightOffset[m]; w < weightOffset[m + 1]; w++, p += BLOCK_FRAMES) {
        float weight = weights[w];
        s0 += weight * power[p];
        s1 += weight * power[p + 1];
        s2 += weight * power[p + 2];
        s3 += weight * power[p + 3];
        s4 += weight * power[p + 4];
        s5 += weight * power[p + 5];
        s6 += weight * power[p + 6];
        s7 += weight * power[p + 7];
        s8 += weight * power[p + 8];
        s9 += weight * power[p + 9];
        s10 += weight * power[p + 10];
        s11 += weight * power[p + 11];
        s12 += weight * power[p + 12];
        s13 += weight * power[p + 13];
        s14 += weight * power[p + 14];
        s15 += weight * power[p + 15];
      }
      int o = destOffset + m * destStride;
      dest[o] = s0;
      dest[o + 1] = s1;
      dest[o + 2] = s2;
      dest[o + 3] = s3;
      dest[o + 4] = s4;
      dest[o + 5] = s5;
      dest[o + 6] = s6;
      dest[o + 7] = s7;
      dest[o + 8] = s8;
      dest[o + 9] = s9;
      dest[o + 10] = s10;
      dest[o + 11] = s11;
      dest[o + 12] = s12;
      dest[o + 13] = s13;
      dest[o + 14] = s14;
      dest[o + 15] = s15;
    }
  }
}
