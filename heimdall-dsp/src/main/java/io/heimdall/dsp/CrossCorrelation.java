package io.heimdall.dsp;

/**
 * The cross-correlation of two real signals over a frequency band, evaluated at any lag, integer or
 * not, from their cross-spectrum.
 *
 * <p>With {@code X} and {@code Y} the zero-padded DFTs of {@code x} and {@code y} ({@code M}
 * points, at least the two lengths together so that nothing wraps), the correlation is
 *
 * <pre>R(τ) = (2/M) · Re Σ_k conj(X_k)·Y_k·e^{j2πkτ/M},  k over the band's bins,</pre>
 *
 * the band's part of {@code Σ_n x[n]·y[n+τ]}. At integer lags this is what an inverse FFT gives;
 * between them it is the exact band-limited interpolation. A peak at lag {@code L} means {@code
 * y[n] ≈ x[n − L]}: {@code y} is {@code x} delayed by {@code L} samples.
 *
 * <p>Why not a parabola through three samples: the correlation of a band-limited signal is not a
 * parabola near its peak, so the vertex of the parabola is pulled towards the nearest sample, by an
 * amount that depends on the fractional part of the true lag (a bias of up to several hundredths of
 * a sample, i.e. microseconds at 12.5 kHz). {@link #peak} instead maximises {@code R(τ)} itself, by
 * Newton steps on its analytic derivatives, which has no such bias.
 *
 * <p>Immutable and thread-safe.
 */
public final class CrossCorrelation {

  /** Bins between re-anchorings of the phase rotation, so rounding cannot drift. */
  private static final int ANCHOR = 512;

  private static final int MAX_NEWTON_STEPS = 30;
  private static final double LAG_TOLERANCE = 1e-9;

  private final int size;
  private final int firstBin;
  private final double[] re;
  private final double[] im;
  private final double energyX;
  private final double energyY;

  private CrossCorrelation(int size, int firstBin, double[] re, double[] im, double ex, double ey) {
    this.size = size;
    this.firstBin = firstBin;
    this.re = re;
    this.im = im;
    this.energyX = ex;
    this.energyY = ey;
  }

  /**
   * The FFT size for correlating signals of these lengths without wrap-around: the smallest power
   * of two at least {@code lengthX + lengthY}.
   *
   * @param lengthX samples of the first signal
   * @param lengthY samples of the second signal
   * @return the size
   * @throws DspException if a length is not positive or the size would exceed 2^30
   */
  public static int fftSize(int lengthX, int lengthY) {
    Checks.positive("first signal length", lengthX);
    Checks.positive("second signal length", lengthY);
    long total = (long) lengthX + lengthY;
    if (total > (1 << 30)) {
      throw new DspException(
          "signals of "
              + lengthX
              + " and "
              + lengthY
              + " samples are too long to correlate"
              + " (expected at most 2^30 together)");
    }
    return Integer.highestOneBit((int) total - 1) << 1;
  }

  /**
   * The zero-padded DFT of a real signal in {@link FftPlan}'s packed layout, for {@link #of}.
   *
   * @param signal the samples (not modified)
   * @param fftSize the transform size, at least {@code signal.length}, as {@link #fftSize} gives
   * @return {@code fftSize} floats
   * @throws DspException if the signal is empty or longer than {@code fftSize}
   */
  public static float[] spectrum(float[] signal, int fftSize) {
    Checks.nonEmpty("signal", signal.length);
    if (signal.length > fftSize) {
      throw new DspException(
          "FFT size " + fftSize + " is shorter than the signal (" + signal.length + " samples)");
    }
    float[] packed = new float[fftSize];
    System.arraycopy(signal, 0, packed, 0, signal.length);
    FftPlan.of(fftSize).realForward(packed, 0);
    return packed;
  }

  /**
   * The band-limited correlation of two signals from their {@link #spectrum spectra}.
   *
   * @param spectrumX packed DFT of {@code x}
   * @param spectrumY packed DFT of {@code y}, the same size
   * @param sampleRateHz the signals' sample rate
   * @param lowHz lowest frequency kept, &gt;= 0
   * @param highHz highest frequency kept, &gt; {@code lowHz} and at most half the sample rate
   * @return the correlation
   * @throws DspException if the sizes differ, the band is empty or outside (0, fs/2)
   */
  public static CrossCorrelation of(
      float[] spectrumX, float[] spectrumY, double sampleRateHz, double lowHz, double highHz) {
    int m = spectrumX.length;
    if (spectrumY.length != m || m < 4 || Integer.bitCount(m) != 1) {
      throw new DspException(
          "spectra must have the same power-of-two size >= 4, got "
              + spectrumX.length
              + " and "
              + spectrumY.length);
    }
    Checks.positive("sample rate", sampleRateHz);
    Checks.between("band low edge (Hz)", lowHz, 0, sampleRateHz / 2);
    Checks.between("band high edge (Hz)", highHz, lowHz, sampleRateHz / 2);
    int first = Math.max(1, (int) Math.ceil(lowHz * m / sampleRateHz));
    int last = Math.min(m / 2 - 1, (int) Math.floor(highHz * m / sampleRateHz));
    if (last < first) {
      throw new DspException(
          "band " + lowHz + "–" + highHz + " Hz holds no bin of a " + m + "-point DFT");
    }
    int bins = last - first + 1;
    double[] re = new double[bins];
    double[] im = new double[bins];
    double ex = 0;
    double ey = 0;
    for (int i = 0; i < bins; i++) {
      int k = first + i;
      double xr = spectrumX[2 * k];
      double xi = spectrumX[2 * k + 1];
      double yr = spectrumY[2 * k];
      double yi = spectrumY[2 * k + 1];
      // conj(X)·Y
      re[i] = xr * yr + xi * yi;
      im[i] = xr * yi - xi * yr;
      ex += xr * xr + xi * xi;
      ey += yr * yr + yi * yi;
    }
    return new CrossCorrelation(m, first, re, im, 2 * ex / m, 2 * ey / m);
  }

  /**
   * The DFT size.
   *
   * @return {@code M}
   */
  public int fftSize() {
    return size;
  }

  /**
   * The first bin of the band.
   *
   * @return the bin index {@code k} (frequency {@code k·fs/M})
   */
  public int firstBin() {
    return firstBin;
  }

  /**
   * The number of bins in the band.
   *
   * @return at least 1
   */
  public int bins() {
    return re.length;
  }

  /**
   * The correlation at a lag.
   *
   * @param lagSamples the lag, in samples (any real number)
   * @return {@code R(lag)}
   */
  public double at(double lagSamples) {
    return evaluate(lagSamples)[0];
  }

  /**
   * The correlation coefficient at a lag: {@code R(lag)} over the root of the two signals' band
   * energies, in [-1, 1].
   *
   * @param lagSamples the lag, in samples
   * @return the coefficient, 0 if either signal has no energy in the band
   */
  public double coefficient(double lagSamples) {
    double norm = Math.sqrt(energyX * energyY);
    return norm > 0 ? at(lagSamples) / norm : 0;
  }

  /** {@code [R, R', R'']} at {@code lag}, derivatives per sample. */
  private double[] evaluate(double lag) {
    double theta = 2 * Math.PI * lag / size;
    double stepRe = Math.cos(theta);
    double stepIm = Math.sin(theta);
    double sum0 = 0;
    double sum1 = 0;
    double sum2 = 0;
    double rotRe = 0;
    double rotIm = 0;
    for (int i = 0; i < re.length; i++) {
      int k = firstBin + i;
      if (i % ANCHOR == 0) {
        double phase = theta * k;
        rotRe = Math.cos(phase);
        rotIm = Math.sin(phase);
      }
      double zRe = re[i] * rotRe - im[i] * rotIm;
      double zIm = re[i] * rotIm + im[i] * rotRe;
      sum0 += zRe;
      sum1 += k * zIm;
      sum2 += (double) k * k * zRe;
      double next = rotRe * stepRe - rotIm * stepIm;
      rotIm = rotRe * stepIm + rotIm * stepRe;
      rotRe = next;
    }
    double scale = 2.0 / size;
    double w = 2 * Math.PI / size;
    return new double[] {scale * sum0, -scale * w * sum1, -scale * w * w * sum2};
  }

  /**
   * The correlation at every integer lag, by one inverse FFT: element {@code n} is {@code R(n)} for
   * {@code n < M/2} and {@code R(n − M)} above.
   *
   * @return {@code M} values
   */
  public float[] atIntegerLags() {
    float[] packed = new float[size];
    for (int i = 0; i < re.length; i++) {
      int k = firstBin + i;
      packed[2 * k] = (float) re[i];
      packed[2 * k + 1] = (float) im[i];
    }
    FftPlan.of(size).realInverse(packed, 0);
    // realInverse divides by M and sums both halves of the spectrum: that is (2/M)·Re Σ_band
    return packed;
  }

  /**
   * The highest peak of the correlation between two lags, refined below a sample.
   *
   * <p>The integer lag of the largest value comes from {@link #atIntegerLags}; the peak is then the
   * maximum of {@link #at} near it (Newton on the analytic derivatives, golden-section search where
   * the curvature is not negative). The side-lobe ratio compares the largest value outside the main
   * lobe (between the local minima on either side of the peak) within the window to the peak: near
   * 1, another lag fits almost as well, and the peak is ambiguous.
   *
   * @param minLag smallest lag searched, samples
   * @param maxLag largest lag searched, samples, with {@code maxLag - minLag < M/2}
   * @return the peak
   * @throws DspException if the window holds no integer lag or is too wide
   */
  public Peak peak(double minLag, double maxLag) {
    int from = (int) Math.ceil(minLag);
    int to = (int) Math.floor(maxLag);
    if (!(to >= from) || (long) to - from >= size / 2) {
      throw new DspException(
          "lag window ["
              + minLag
              + ", "
              + maxLag
              + "] must hold at least one integer lag and be narrower than "
              + size / 2
              + " samples");
    }
    float[] r = atIntegerLags();
    int best = from;
    for (int lag = from; lag <= to; lag++) {
      if (r[index(lag)] > r[index(best)]) {
        best = lag;
      }
    }
    int left = best;
    while (left > from && r[index(left - 1)] < r[index(left)]) {
      left--;
    }
    int right = best;
    while (right < to && r[index(right + 1)] < r[index(right)]) {
      right++;
    }
    double second = 0;
    for (int lag = from; lag <= to; lag++) {
      if (lag < left || lag > right) {
        second = Math.max(second, r[index(lag)]);
      }
    }
    double lag = refine(best);
    double value = at(lag);
    double norm = Math.sqrt(energyX * energyY);
    return new Peak(lag, value, norm > 0 ? value / norm : 0, value > 0 ? second / value : 1);
  }

  private int index(int lag) {
    return Math.floorMod(lag, size);
  }

  /** The maximum of {@code R} within one sample of the integer peak {@code start}. */
  private double refine(int start) {
    double lag = start;
    for (int step = 0; step < MAX_NEWTON_STEPS; step++) {
      double[] d = evaluate(lag);
      if (!(d[2] < 0)) {
        return golden(start - 1, start + 1);
      }
      double next = lag - d[1] / d[2];
      if (Math.abs(next - start) > 1) {
        return golden(start - 1, start + 1);
      }
      if (Math.abs(next - lag) < LAG_TOLERANCE) {
        return next;
      }
      lag = next;
    }
    return golden(start - 1, start + 1);
  }

  private double golden(double a, double b) {
    double ratio = (Math.sqrt(5) - 1) / 2;
    double c = b - ratio * (b - a);
    double d = a + ratio * (b - a);
    double fc = at(c);
    double fd = at(d);
    while (b - a > LAG_TOLERANCE) {
      if (fc > fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - ratio * (b - a);
        fc = at(c);
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + ratio * (b - a);
        fd = at(d);
      }
    }
    return (a + b) / 2;
  }

  /**
   * The variance of the peak's lag that noise causes, samples², to first order in the noise.
   *
   * <p>With {@code S_k} the power of the common signal in bin {@code k}, {@code Nx_k} and {@code
   * Ny_k} the expected noise powers of the two signals there (all as {@code |DFT|²} of the same
   * zero-padded transform) and {@code ω_k = 2πk/M}, the lag that maximises {@code R} moves by
   * {@code −Σ ω_k S_k δ_k / Σ ω_k² S_k} for phase errors {@code δ_k} of the cross-spectrum, whose
   * variance is {@code (S(Nx + Ny) + Nx·Ny)/(2S²)}. Bins of a zero-padded DFT are not independent:
   * a sum over them carries {@code M/L} times the variance of one over independent bins, for {@code
   * L} samples of signal, hence the factor. The three parts are returned separately so that a
   * caller correlating several signals against one reference can tell the reference's share, which
   * the differences have in common.
   *
   * @param signal {@code S_k} for the band's bins ({@link #bins()} values from {@link #firstBin()})
   * @param noiseX {@code Nx_k}, same bins
   * @param noiseY {@code Ny_k}, same bins
   * @param samples {@code L}, the number of samples of signal the two recordings share
   * @return {@code [x's share, y's share, the noise-by-noise share]}, samples², each &gt;= 0 (or
   *     infinite when the band holds no signal)
   * @throws DspException if an array's length is not {@link #bins()} or {@code samples < 1}
   */
  public double[] lagVariance(double[] signal, double[] noiseX, double[] noiseY, int samples) {
    for (double[] a : new double[][] {signal, noiseX, noiseY}) {
      if (a.length != re.length) {
        throw new DspException(
            "per-bin powers must have " + re.length + " values (the band's bins), got " + a.length);
      }
    }
    Checks.positive("shared samples", samples);
    double curvature = 0;
    double sx = 0;
    double sy = 0;
    double sxy = 0;
    for (int i = 0; i < re.length; i++) {
      double w = 2 * Math.PI * (firstBin + i) / size;
      double w2 = w * w;
      double s = Math.max(0, signal[i]);
      curvature += w2 * s;
      sx += w2 * s * noiseX[i];
      sy += w2 * s * noiseY[i];
      sxy += w2 * noiseX[i] * noiseY[i];
    }
    if (!(curvature > 0)) {
      double inf = Double.POSITIVE_INFINITY;
      return new double[] {inf, inf, inf};
    }
    double scale = (double) size / samples / (2 * curvature * curvature);
    return new double[] {scale * sx, scale * sy, scale * sxy};
  }

  /**
   * A correlation peak.
   *
   * @param lagSamples where it is, samples: {@code y} is {@code x} delayed by this much
   * @param value {@code R} there
   * @param coefficient the correlation coefficient there, at most 1
   * @param sidelobeRatio the largest value outside the main lobe within the window over the peak's
   *     value (0 when there is none; 1 when the peak is not positive)
   */
  public record Peak(double lagSamples, double value, double coefficient, double sidelobeRatio) {}
}
