package io.heimdall.dsp;

/**
 * Signal metrics of one IQ recording, computed as the original platform does: the signal is
 * normalised by its largest magnitude; the frequency offset is the peak of its zero-padded FFT
 * within ±fs/4; the SNR is the mean Welch PSD (Hann, 1024 per segment, in dB) within ±5 kHz of that
 * peak minus the mean PSD of the outer 10 % of bins at each end of the spectrum; the power is the
 * mean |x|² of the signal as recorded, in dB relative to full scale (|x| = 1).
 *
 * @param sampleRateHz the sample rate the metrics assume
 * @param samples number of complex samples
 * @param frequencyOffsetHz strongest frequency within ±fs/4 of the centre
 * @param snrDb in-band PSD over the spectrum's edges, in dB
 * @param powerDbfs mean power in dBFS (floored at {@value #POWER_FLOOR_DBFS} for silence)
 */
public record IqMetrics(
    double sampleRateHz, int samples, double frequencyOffsetHz, double snrDb, double powerDbfs) {

  /** Welch segment length of the original. */
  public static final int WELCH_SEGMENT = 1024;

  /** Half width of the band around the peak counted as signal. */
  public static final double SIGNAL_HALF_BANDWIDTH_HZ = 5_000;

  /** Fraction of bins at each end of the spectrum counted as noise. */
  public static final double NOISE_EDGE_FRACTION = 0.1;

  /** Reported power of an all-zero recording. */
  public static final double POWER_FLOOR_DBFS = -200;

  private static final double NORMALISATION_EPSILON = 1e-10;
  private static final double PSD_FLOOR = 1e-12;

  /**
   * Computes the metrics of {@code signal} sampled at {@code sampleRateHz}.
   *
   * @throws DspException for an empty signal or a non-positive sample rate
   * @throws NonFiniteSampleException naming the first non-finite sample
   */
  public static IqMetrics compute(ComplexSignal signal, double sampleRateHz) {
    Checks.positive("sample rate", sampleRateHz);
    Checks.nonEmpty("IQ signal", signal.length());
    signal.requireFinite();
    ComplexSignal normalised = normalised(signal);
    double offset = peakFrequency(normalised, sampleRateHz);
    WelchPsd psd = WelchPsd.compute(normalised, sampleRateHz, WELCH_SEGMENT);
    double snr = snrDb(psd, offset);
    return new IqMetrics(sampleRateHz, signal.length(), offset, snr, powerDbfs(signal));
  }

  /** The power in dBm given the receiver's calibration: dBFS plus {@code calibrationDb}. */
  public double powerDbm(double calibrationDb) {
    return powerDbfs + calibrationDb;
  }

  private static ComplexSignal normalised(ComplexSignal signal) {
    float[] iq = signal.toInterleavedArray();
    // the largest squared magnitude, rooted once: Math.hypot per sample costs ~20 ns and guards
    // against an overflow that float32 inputs squared in double cannot reach
    double maxSquared = 0;
    for (int i = 0; i < iq.length; i += 2) {
      double re = iq[i];
      double im = iq[i + 1];
      maxSquared = Math.max(maxSquared, re * re + im * im);
    }
    float scale = (float) (1.0 / (Math.sqrt(maxSquared) + NORMALISATION_EPSILON));
    for (int i = 0; i < iq.length; i++) {
      iq[i] *= scale;
    }
    return ComplexSignal.wrapInterleaved(iq);
  }

  /** Frequency of the largest |FFT|² bin within ±fs/4 (first one on ties, in FFT bin order). */
  static double peakFrequency(ComplexSignal signal, double sampleRate) {
    int n = signal.length();
    int size = Integer.bitCount(n) == 1 ? n : Integer.highestOneBit(n) << 1;
    float[] spectrum = new float[2 * size];
    System.arraycopy(signal.array(), 2 * signal.offset(), spectrum, 0, 2 * n);
    FftPlan.of(size).complexForward(spectrum, 0);
    double binHz = sampleRate / size;
    double best = -1;
    double bestHz = 0;
    for (int k = 0; k < size; k++) {
      int signed = k < (size + 1) / 2 ? k : k - size;
      double hz = signed * binHz;
      if (Math.abs(hz) > sampleRate / 4) {
        continue;
      }
      double re = spectrum[2 * k];
      double im = spectrum[2 * k + 1];
      double power = re * re + im * im;
      if (power > best) {
        best = power;
        bestHz = hz;
      }
    }
    return best > 0 ? bestHz : 0.0;
  }

  private static double snrDb(WelchPsd psd, double peakHz) {
    int bins = psd.bins();
    double binHz = Math.abs(psd.frequencyHz(Math.min(1, bins - 1)));
    double halfWidth = Math.max(SIGNAL_HALF_BANDWIDTH_HZ, binHz / 2);
    double signalSum = 0;
    int signalBins = 0;
    for (int k = 0; k < bins; k++) {
      if (Math.abs(psd.frequencyHz(k) - peakHz) <= halfWidth) {
        signalSum += toDb(psd.density(k));
        signalBins++;
      }
    }
    // the spectrum's outer edges, in frequency order: the most negative and most positive bins
    int edge = Math.max(1, (int) (NOISE_EDGE_FRACTION * bins));
    int firstNegative = (bins + 1) / 2;
    double noiseSum = 0;
    int noiseBins = 0;
    for (int j = 0; j < Math.min(edge, bins); j++) {
      int lowest = (firstNegative + j) % bins;
      int highest = (firstNegative - 1 - j + bins) % bins;
      noiseSum += toDb(psd.density(lowest)) + toDb(psd.density(highest));
      noiseBins += 2;
    }
    return signalSum / Math.max(signalBins, 1) - noiseSum / noiseBins;
  }

  private static double toDb(double density) {
    return 10 * Math.log10(density + PSD_FLOOR);
  }

  private static double powerDbfs(ComplexSignal signal) {
    float[] iq = signal.array();
    int from = 2 * signal.offset();
    double sum = 0;
    for (int i = from; i < from + 2 * signal.length(); i++) {
      sum += (double) iq[i] * iq[i];
    }
    double mean = sum / signal.length();
    return mean > 0 ? Math.max(10 * Math.log10(mean), POWER_FLOOR_DBFS) : POWER_FLOOR_DBFS;
  }
}
