package io.heimdall.dsp;

import java.util.Arrays;

/**
 * Signal metrics of one IQ recording: how strong the signal is once the noise is taken out, how
 * strong the noise is, and where the signal sits. Powers are in dBFS, where 0 dBFS is a full-scale
 * complex signal (mean |x|² = 1); add the receiver's full-scale calibration for dBm ({@link
 * #powerDbm}).
 *
 * <p>Definitions:
 *
 * <ul>
 *   <li>PSD: Welch, periodic Hann, {@value #WELCH_SEGMENT} samples per segment, 50 % overlap, no
 *       detrending ({@link WelchPsd}).
 *   <li>Frequency offset: the largest PSD bin within ±fs/4, refined by a parabola through the
 *       logarithms of it and its two neighbours; 0 when nothing was detected.
 *   <li>Noise power (in the recorded band, i.e. over the whole sample rate): see {@link
 *       #compute}.
 *   <li>Signal power: total power (mean |x|²) minus the noise power.
 *   <li>SNR: signal power over the noise power in the recorded bandwidth (the sample rate). A tone
 *       26.5 dB above white noise reads 26.5 dB.
 *   <li>Detected: the signal power exceeds {@value #DETECTION_SIGMAS} standard errors of the noise
 *       estimate. When it does not, the receiver heard nothing it can tell from noise: {@link
 *       #powerDbfs} then holds the noise power in the band and {@link #snrDb} 0 dB, both upper
 *       bounds, and {@link #frequencyOffsetHz} 0.
 * </ul>
 *
 * @param sampleRateHz the sample rate the metrics assume
 * @param samples number of complex samples
 * @param frequencyOffsetHz the signal's offset from the centre frequency (0 if not detected)
 * @param totalPowerDbfs mean |x|², signal plus noise, in dBFS
 * @param noisePowerDbfs noise power in the recorded band (the sample rate), in dBFS
 * @param powerDbfs signal power (total minus noise) in dBFS; when not detected, the noise power, an
 *     upper bound
 * @param snrDb signal over noise power in the recorded band, in dB; when not detected, 0, an upper
 *     bound
 * @param detected whether a signal stands out of the noise
 */
public record IqMetrics(
    double sampleRateHz,
    int samples,
    double frequencyOffsetHz,
    double totalPowerDbfs,
    double noisePowerDbfs,
    double powerDbfs,
    double snrDb,
    boolean detected) {

  /** Welch segment length. */
  public static final int WELCH_SEGMENT = 1024;

  /** Quantile of the PSD bins taken as the noise floor before the chi-square bias correction. */
  public static final double NOISE_QUANTILE = 0.05;

  /** Standard errors by which the signal power must exceed zero to count as detected. */
  public static final double DETECTION_SIGMAS = 4;

  /** Reported power of an all-zero recording, in dBFS. */
  public static final double POWER_FLOOR_DBFS = -200;

  /** Standard errors by which the envelope's signal power must exceed 0 for its estimate to count. */
  static final double ENVELOPE_SIGMAS = 3;

  /** Standard errors within which the two noise estimates are taken to agree. */
  static final double AGREEMENT_SIGMAS = 2;

  /**
   * Validates the metrics.
   *
   * @param sampleRateHz the sample rate the metrics assume
   * @param samples number of complex samples
   * @param frequencyOffsetHz the signal's offset from the centre frequency
   * @param totalPowerDbfs mean |x|² in dBFS
   * @param noisePowerDbfs noise power in the recorded band in dBFS
   * @param powerDbfs signal power in dBFS (upper bound when not detected)
   * @param snrDb signal over noise in the recorded band, in dB
   * @param detected whether a signal stands out of the noise
   * @throws DspException for a non-positive sample rate, a negative sample count or a NaN value
   */
  public IqMetrics {
    Checks.positive("sample rate", sampleRateHz);
    if (samples < 0) {
      throw new DspException("sample count must be >= 0, got " + samples);
    }
    Checks.finite("frequency offset", frequencyOffsetHz);
    Checks.finite("total power", totalPowerDbfs);
    Checks.finite("noise power", noisePowerDbfs);
    Checks.finite("signal power", powerDbfs);
    Checks.finite("SNR", snrDb);
  }

  /**
   * Computes the metrics of {@code signal} sampled at {@code sampleRateHz}.
   *
   * <p>The noise power is estimated twice, and the estimates are combined so that the result stays
   * honest when the signal fills the band, as narrow-band FM fills most of a 12.5 kHz recording:
   *
   * <ol>
   *   <li>From the PSD: the {@value #NOISE_QUANTILE} quantile of the bins, divided by the same
   *       quantile of {@code chi²(ν)/ν}, the distribution of an averaged bin of white noise (ν from
   *       the number of overlapping segments). This is exact while at least that share of the bins
   *       holds noise alone; a signal only raises bins, so otherwise it reads high, never low.
   *   <li>From the envelope (the M2M4 estimator): for a constant-envelope signal (FM, a tone) in
   *       complex Gaussian noise of power N, E|x|⁴ = P² + 2PN − N² with P = E|x|², so N = P −
   *       √(2P² − E|x|⁴) wherever the signal sits in the band. Any other envelope has a larger
   *       fourth moment, so for it this reads high too, never low.
   * </ol>
   *
   * The envelope estimate counts only where its squared signal power is {@value #ENVELOPE_SIGMAS}
   * standard errors above 0. Both are upper bounds of the noise. Where they agree within {@value #AGREEMENT_SIGMAS}
   * standard errors, their inverse-variance mean is used; where the envelope estimate is lower,
   * the signal filled the PSD and the envelope estimate is used; where it is higher, the envelope
   * is not constant and the PSD estimate is used. The standard errors come from the order
   * statistic of the quantile and from the delta method on the sample moments.
   *
   * @param signal the recording
   * @param sampleRateHz its sample rate
   * @return the metrics
   * @throws DspException for an empty signal or a non-positive sample rate
   * @throws NonFiniteSampleException naming the first non-finite sample
   */
  public static IqMetrics compute(ComplexSignal signal, double sampleRateHz) {
    Checks.positive("sample rate", sampleRateHz);
    Checks.nonEmpty("IQ signal", signal.length());
    Moments moments = Moments.of(signal);
    if (moments.total == 0) {
      return new IqMetrics(
          sampleRateHz,
          signal.length(),
          0,
          POWER_FLOOR_DBFS,
          POWER_FLOOR_DBFS,
          POWER_FLOOR_DBFS,
          0,
          false);
    }
    WelchPsd psd = WelchPsd.compute(signal, sampleRateHz, WELCH_SEGMENT);
    double[] noise = noisePower(psd, moments);
    double noisePower = noise[0];
    double signalPower = moments.total - noisePower;
    boolean detected = signalPower > DETECTION_SIGMAS * noise[1];
    return new IqMetrics(
        sampleRateHz,
        signal.length(),
        detected ? peakFrequency(psd) : 0,
        dbfs(moments.total),
        dbfs(noisePower),
        dbfs(detected ? signalPower : noisePower),
        detected ? 10 * Math.log10(signalPower / noisePower) : 0,
        detected);
  }

  /**
   * Noise power density.
   *
   * @return the noise power per Hz, in dBFS/Hz
   */
  public double noiseDensityDbfsPerHz() {
    return noisePowerDbfs - 10 * Math.log10(sampleRateHz);
  }

  /**
   * The signal power in dBm given the receiver's calibration: {@code full_scale_dbm + powerDbfs}.
   *
   * @param fullScaleDbm dBm of a full-scale signal ({@code heimdall:full_scale_dbm} in SigMF)
   * @return dBm (an upper bound when nothing was detected)
   */
  public double powerDbm(double fullScaleDbm) {
    return fullScaleDbm + powerDbfs;
  }

  /**
   * The noise power in the recorded band in dBm given the receiver's calibration.
   *
   * @param fullScaleDbm dBm of a full-scale signal
   * @return dBm
   */
  public double noisePowerDbm(double fullScaleDbm) {
    return fullScaleDbm + noisePowerDbfs;
  }

  private static double dbfs(double power) {
    return power > 0 ? Math.max(10 * Math.log10(power), POWER_FLOOR_DBFS) : POWER_FLOOR_DBFS;
  }

  /** {noise power, its standard error}. */
  static double[] noisePower(WelchPsd psd, Moments m) {
    int bins = psd.bins();
    double nu = psd.degreesOfFreedom();
    double chiQuantile = ChiSquare.quantile(NOISE_QUANTILE, nu);
    double normalisedQuantile = chiQuantile / nu;
    double[] sorted = psd.densities();
    Arrays.sort(sorted);
    double noisePsd = percentile(sorted, NOISE_QUANTILE) / normalisedQuantile * psd.sampleRate();
    // standard error of a sample quantile: sqrt(q(1-q)/M) / pdf at the quantile
    double pdf = ChiSquare.density(chiQuantile, nu) * nu;
    double sigmaPsd =
        noisePsd
            * Math.sqrt(NOISE_QUANTILE * (1 - NOISE_QUANTILE) / bins)
            / (normalisedQuantile * pdf);
    double noise = noisePsd;
    double sigma = sigmaPsd;
    double p = m.total;
    double d = 2 * p * p - m.fourth;
    // the envelope estimate counts only where 2P² − E|x|⁴ (the squared signal power) is
    // significantly above 0: near 0 the square root turns small fluctuations into large ones
    double sigmaD =
        Math.sqrt(
            Math.max(
                    16 * p * p * m.varianceOfPower + m.varianceOfSquare - 8 * p * m.covariance, 0)
                / m.n);
    if (d > ENVELOPE_SIGMAS * sigmaD) {
      double root = Math.sqrt(d);
      double noiseEnvelope = p - root;
      double g1 = 1 - 2 * p / root;
      double g2 = 1 / (2 * root);
      double variance =
          (g1 * g1 * m.varianceOfPower + g2 * g2 * m.varianceOfSquare + 2 * g1 * g2 * m.covariance)
              / m.n;
      double sigmaEnvelope = Math.sqrt(Math.max(variance, 0));
      double gap = AGREEMENT_SIGMAS * Math.hypot(sigmaPsd, sigmaEnvelope);
      if (noiseEnvelope < noisePsd - gap) {
        noise = noiseEnvelope;
        sigma = sigmaEnvelope;
      } else if (noiseEnvelope <= noisePsd + gap) {
        double wPsd = 1 / (sigmaPsd * sigmaPsd);
        double wEnvelope = 1 / (sigmaEnvelope * sigmaEnvelope);
        noise = (wPsd * noisePsd + wEnvelope * noiseEnvelope) / (wPsd + wEnvelope);
        sigma = 1 / Math.sqrt(wPsd + wEnvelope);
      }
    }
    return new double[] {noise, sigma};
  }

  /** {@code numpy.percentile(values, 100·q)} (linear interpolation) of sorted values. */
  static double percentile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int below = (int) Math.floor(h);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
  }

  /**
   * Frequency of the largest PSD bin within ±fs/4 (the first one on ties, in bin order), refined by
   * a parabola through the logarithms of it and its neighbours.
   */
  static double peakFrequency(WelchPsd psd) {
    int n = psd.bins();
    double limit = psd.sampleRate() / 4;
    int best = -1;
    for (int k = 0; k < n; k++) {
      if (Math.abs(psd.frequencyHz(k)) <= limit && (best < 0 || psd.density(k) > psd.density(best))) {
        best = k;
      }
    }
    double left = psd.density((best - 1 + n) % n);
    double centre = psd.density(best);
    double right = psd.density((best + 1) % n);
    double delta = 0;
    if (n >= 3 && left > 0 && centre > 0 && right > 0) {
      double l = Math.log(left);
      double c = Math.log(centre);
      double r = Math.log(right);
      double denominator = l - 2 * c + r;
      delta = denominator < 0 ? 0.5 * (l - r) / denominator : 0;
    }
    return psd.frequencyHz(best) + delta * psd.sampleRate() / n;
  }

  /** Sample moments of the instantaneous power |x|², in one pass. */
  static final class Moments {
    final int n;
    final double total;
    final double fourth;
    final double varianceOfPower;
    final double varianceOfSquare;
    final double covariance;

    private Moments(int n, double m1, double m2, double m3, double m4) {
      this.n = n;
      this.total = m1;
      this.fourth = m2;
      this.varianceOfPower = Math.max(m2 - m1 * m1, 0);
      this.varianceOfSquare = Math.max(m4 - m2 * m2, 0);
      this.covariance = m3 - m1 * m2;
    }

    /**
     * The moments of |x|², checking the samples on the way: a NaN or infinite sample leaves the
     * highest sum NaN or infinite, and only then is the signal scanned again to name the first bad
     * sample (a finite sample near the float maximum can overflow that sum too; the scan then
     * passes, as it did before it was folded in here). Two sets of sums (even and odd samples)
     * halve the chain of dependent additions.
     *
     * @throws NonFiniteSampleException naming the first non-finite sample
     */
    static Moments of(ComplexSignal signal) {
      float[] iq = signal.array();
      int from = 2 * signal.offset();
      int n = signal.length();
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      double s4 = 0;
      double t1 = 0;
      double t2 = 0;
      double t3 = 0;
      double t4 = 0;
      int i = 0;
      for (; i + 1 < n; i += 2) {
        int at = from + 2 * i;
        double re = iq[at];
        double im = iq[at + 1];
        double m = re * re + im * im;
        double mm = m * m;
        s1 += m;
        s2 += mm;
        s3 += mm * m;
        s4 += mm * mm;
        double re2 = iq[at + 2];
        double im2 = iq[at + 3];
        double p = re2 * re2 + im2 * im2;
        double pp = p * p;
        t1 += p;
        t2 += pp;
        t3 += pp * p;
        t4 += pp * pp;
      }
      if (i < n) {
        double re = iq[from + 2 * i];
        double im = iq[from + 2 * i + 1];
        double m = re * re + im * im;
        double mm = m * m;
        s1 += m;
        s2 += mm;
        s3 += mm * m;
        s4 += mm * mm;
      }
      if (!Double.isFinite(s4 + t4)) {
        signal.requireFinite();
      }
      return new Moments(n, (s1 + t1) / n, (s2 + t2) / n, (s3 + t3) / n, (s4 + t4) / n);
    }
  }
}
