package io.heimdall.locate.tdoa;

import io.heimdall.dsp.CrossCorrelation;
import io.heimdall.dsp.FmDemodulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures the time differences of arrival of one transmission against a reference receiver.
 *
 * <p>Each recording is FM-demodulated first. The audio does not depend on the receiver's LO offset
 * (that only adds a constant, which the band leaves out) nor on its carrier phase, so the offsets
 * need no estimate. The audio is correlated with the reference's over the audio band; the lag of
 * the peak, refined without bias by {@link CrossCorrelation#peak}, added to the difference of the
 * two capture start times (whole nanoseconds between Instants), is the time difference.
 *
 * <p>Weights. The discriminator's output noise is white phase noise differentiated: its power in
 * bin {@code k} is {@code c·4sin²(πk/M)}. Each recording's {@code c} is fitted on the bins above
 * the audio band, where there is nothing else; the recording with the least noise becomes the
 * reference, and the audio's own spectrum is the reference's power less its noise. {@link
 * CrossCorrelation#lagVariance} turns those into each lag's variance, in two parts: the reference's
 * share, which every difference has in common, and the other receiver's own. The GPS timing error
 * adds to both.
 */
final class TimeDifferences {

  /** Hz between the top of the audio band and the first bin used to fit the noise. */
  static final double NOISE_GUARD_HZ = 500;

  /** Highest frequency used to fit the noise, as a share of the sample rate. */
  static final double NOISE_TOP = 0.45;

  /** Samples of slack around the physically possible lags. */
  private static final double WINDOW_SLACK = 3;

  /**
   * The measurement.
   *
   * @param reference index of the reference recording
   * @param used indices of the other recordings whose difference was kept
   * @param seconds time of arrival at {@code used[i]} minus at the reference, seconds
   * @param referenceVariance the reference's share of every difference's variance, s²
   * @param ownVariance each difference's own variance, s²
   * @param rejected one line per dropped recording, saying why
   */
  record Result(
      int reference,
      int[] used,
      double[] seconds,
      double referenceVariance,
      double[] ownVariance,
      List<String> rejected) {}

  private TimeDifferences() {}

  static Result measure(List<TimedRecording> recordings, double[] baselineM, Settings settings) {
    int r = recordings.size();
    double fs = recordings.get(0).sampleRateHz();
    FmDemodulator demodulator = FmDemodulator.of(fs, settings.fmDeviationHz());
    float[][] audio = new float[r][];
    double[] noiseDensity = new double[r];
    for (int i = 0; i < r; i++) {
      audio[i] = demodulator.demodulate(recordings.get(i).samples());
      removeMean(audio[i]);
      int m = CrossCorrelation.fftSize(audio[i].length, 1);
      // noise per sample of signal: a DFT of L samples carries L times the density
      noiseDensity[i] =
          fitNoise(CrossCorrelation.spectrum(audio[i], m), fs, settings.bandHighHz())
              / audio[i].length;
    }
    int reference = 0;
    for (int i = 1; i < r; i++) {
      if (noiseDensity[i] < noiseDensity[reference]) {
        reference = i;
      }
    }
    TimedRecording ref = recordings.get(reference);
    List<Integer> used = new ArrayList<>();
    List<Double> seconds = new ArrayList<>();
    List<Double> own = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    double referenceShare = 0;
    double gps = settings.gpsTimingErrorS() * settings.gpsTimingErrorS();
    for (int i = 0; i < r; i++) {
      if (i == reference) {
        continue;
      }
      TimedRecording other = recordings.get(i);
      // exact: whole nanoseconds between the two Instants
      long startNanos = Duration.between(ref.start(), other.start()).toNanos();
      double startDifference = startNanos / 1e9;
      // Correlate only the span both captured: the rest of either recording has no counterpart
      // in the other and would act as noise that the variances do not count.
      long shift = Math.round(startDifference * fs);
      int fromRef = (int) Math.max(0, Math.min(audio[reference].length, shift));
      int fromOther = (int) Math.max(0, Math.min(audio[i].length, -shift));
      int shared = Math.min(audio[reference].length - fromRef, audio[i].length - fromOther);
      if (shared < TimedRecording.MIN_SAMPLES) {
        throw new TdoaInputException(
            "recordings of '"
                + ref.station().id()
                + "' and '"
                + other.station().id()
                + "' share "
                + Math.max(0, shared)
                + " samples in time; expected at least "
                + TimedRecording.MIN_SAMPLES
                + " (captures that start "
                + startNanos
                + " ns apart)");
      }
      int m = CrossCorrelation.fftSize(shared, shared);
      float[] x =
          CrossCorrelation.spectrum(
              Arrays.copyOfRange(audio[reference], fromRef, fromRef + shared), m);
      float[] y =
          CrossCorrelation.spectrum(Arrays.copyOfRange(audio[i], fromOther, fromOther + shared), m);
      CrossCorrelation correlation =
          CrossCorrelation.of(x, y, fs, settings.bandLowHz(), settings.bandHighHz());
      // lag of the full recordings = lag of the trimmed ones − fromRef + fromOther
      double trim = fromOther - fromRef;
      double reach = baselineM[i] / TdoaLocalizer.SPEED_OF_LIGHT_M_PER_S;
      double minLag = (-reach - startDifference) * fs - WINDOW_SLACK - trim;
      double maxLag = (reach - startDifference) * fs + WINDOW_SLACK - trim;
      CrossCorrelation.Peak peak = correlation.peak(minLag, maxLag);
      String who = "station '" + other.station().id() + "'";
      if (peak.coefficient() < settings.minCoefficient()) {
        rejected.add(
            who + ": correlation " + peak.coefficient() + " below " + settings.minCoefficient());
        continue;
      }
      if (peak.sidelobeRatio() > settings.maxSidelobeRatio()) {
        rejected.add(
            who + ": ambiguous peak, second peak at " + peak.sidelobeRatio() + " of the first");
        continue;
      }
      double[] referenceNoise = noise(correlation, noiseDensity[reference] * shared);
      double[] signal = new double[correlation.bins()];
      for (int b = 0; b < signal.length; b++) {
        int k = correlation.firstBin() + b;
        signal[b] = Math.max(0, sq(x[2 * k]) + sq(x[2 * k + 1]) - referenceNoise[b]);
      }
      double[] parts =
          correlation.lagVariance(
              signal, referenceNoise, noise(correlation, noiseDensity[i] * shared), shared);
      referenceShare = Math.max(referenceShare, parts[0] / (fs * fs));
      used.add(i);
      seconds.add(startDifference + (peak.lagSamples() + trim) / fs);
      own.add((parts[1] + parts[2]) / (fs * fs) + gps);
    }
    return new Result(
        reference,
        used.stream().mapToInt(Integer::intValue).toArray(),
        seconds.stream().mapToDouble(Double::doubleValue).toArray(),
        referenceShare + gps,
        own.stream().mapToDouble(Double::doubleValue).toArray(),
        List.copyOf(rejected));
  }

  /** The discriminator noise's power in each bin of the band, for a fitted scale. */
  private static double[] noise(CrossCorrelation correlation, double scale) {
    double[] out = new double[correlation.bins()];
    for (int b = 0; b < out.length; b++) {
      out[b] = scale * shape(correlation.firstBin() + b, correlation.fftSize());
    }
    return out;
  }

  /** {@code 4 sin²(πk/M)}: the first difference's power response. */
  private static double shape(int k, int m) {
    double s = Math.sin(Math.PI * k / m);
    return 4 * s * s;
  }

  /** The mean of {@code |X_k|² / shape(k)} over the bins above the audio band. */
  private static double fitNoise(float[] spectrum, double fs, double bandHighHz) {
    int m = spectrum.length;
    int from = (int) Math.ceil((bandHighHz + NOISE_GUARD_HZ) * m / fs);
    int to = (int) Math.floor(NOISE_TOP * m);
    double sum = 0;
    for (int k = from; k <= to; k++) {
      sum += (sq(spectrum[2 * k]) + sq(spectrum[2 * k + 1])) / shape(k, m);
    }
    return sum / (to - from + 1);
  }

  private static void removeMean(float[] audio) {
    double sum = 0;
    for (float v : audio) {
      sum += v;
    }
    float mean = (float) (sum / audio.length);
    for (int i = 0; i < audio.length; i++) {
      audio[i] -= mean;
    }
  }

  private static double sq(double v) {
    return v * v;
  }

  /** What {@link #measure} needs from the localiser's settings. */
  record Settings(
      double bandLowHz,
      double bandHighHz,
      double fmDeviationHz,
      double gpsTimingErrorS,
      double minCoefficient,
      double maxSidelobeRatio) {}
}
