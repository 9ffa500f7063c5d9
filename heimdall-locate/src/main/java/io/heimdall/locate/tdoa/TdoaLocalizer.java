package io.heimdall.locate.tdoa;

import io.heimdall.dsp.sigmf.SigMfMetadata;
import io.heimdall.locate.Covariance;
import io.heimdall.locate.LocationEstimate;
import io.heimdall.locate.Method;
import io.heimdall.locate.SearchArea;
import io.heimdall.locate.Station;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicMask;

/**
 * Locates a transmitter from the time differences of arrival of one transmission at four or more
 * receivers whose clocks are GPS-disciplined.
 *
 * <p>Each recording's first sample has a UTC time to the nanosecond. The recordings are
 * FM-demodulated (so the receivers' LO offsets and carrier phases drop out), correlated against the
 * receiver with the cleanest audio by FFT, and each peak is refined below a sample without bias;
 * the time difference is the difference of the capture start times plus that lag. Each difference
 * gets a variance from its signal-to-noise ratio (the first-order variance of the correlation peak
 * for the audio's spectrum and the measured noise) plus the GPS timing error of both receivers.
 * Peaks that are too weak or ambiguous are dropped. A grid over the search area gives a start, and
 * weighted least squares (Hipparchus Levenberg–Marquardt, with the differences' full covariance)
 * the estimate, its 2×2 covariance, the region at the configured level (whose probability under
 * that Gaussian is the estimate's confidence) and the Cramér–Rao bound.
 *
 * <p>Immutable and thread-safe; it holds no resources.
 */
public final class TdoaLocalizer {

  /** Speed of light in vacuum, m/s (the VHF ground wave's is within 0.03 % of it). */
  public static final double SPEED_OF_LIGHT_M_PER_S = 299_792_458.0;

  /** Fewest receivers TDOA locates from: three differences for two coordinates and a check. */
  public static final int MIN_RECEIVERS = 4;

  private final double level;
  private final TimeDifferences.Settings settings;

  private TdoaLocalizer(Builder b) {
    this.level = b.level;
    this.settings =
        new TimeDifferences.Settings(
            b.bandLowHz,
            b.bandHighHz,
            b.fmDeviationHz,
            b.gpsTimingErrorNs * 1e-9,
            b.minCoefficient,
            b.maxSidelobeRatio);
  }

  /**
   * Starts a builder with the defaults stated on each setter.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether recordings qualify for TDOA: at least {@value #MIN_RECEIVERS}, each with a receiver
   * position and a {@code core:datetime} with digits below the microsecond. The choice of {@code
   * --method auto}.
   *
   * @param recordings the recordings' metadata
   * @return true if {@link #requireQualified} would not throw
   */
  public static boolean qualifies(List<SigMfMetadata> recordings) {
    try {
      requireQualified(recordings);
      return true;
    } catch (TdoaInputException e) {
      return false;
    }
  }

  /**
   * Refuses recordings that cannot give a TDOA estimate, saying why.
   *
   * @param recordings the recordings' metadata
   * @throws TdoaInputException if there are fewer than {@value #MIN_RECEIVERS}, or one has no
   *     {@code core:geolocation}, no {@code core:datetime} or one without sub-microsecond digits
   */
  public static void requireQualified(List<SigMfMetadata> recordings) {
    if (recordings == null) {
      throw new TdoaInputException("recordings must be given, got null");
    }
    requireCount(recordings.size());
    for (int i = 0; i < recordings.size(); i++) {
      SigMfMetadata metadata = recordings.get(i);
      String who = "recording " + (i + 1) + " of " + recordings.size();
      if (metadata.geolocation().isEmpty()) {
        throw noGeolocation(who);
      }
      requireSubMicrosecond(who, metadata.datetime().orElseThrow(() -> noDatetime(who)));
    }
  }

  /**
   * Locates one transmission from its time differences of arrival.
   *
   * @param area where the transmitter is, as far as is known: the start is searched over it
   * @param recordings one per receiver, each station once, at least {@value #MIN_RECEIVERS}, at one
   *     sample rate, overlapping in time
   * @return the estimate, with method {@link Method#TDOA}
   * @throws TdoaInputException if there are fewer than {@value #MIN_RECEIVERS} recordings, a
   *     station appears twice, a start time has no sub-microsecond digits, the sample rates differ,
   *     two captures do not overlap, or fewer than three time differences pass the checks on their
   *     correlation peaks
   */
  public LocationEstimate locate(SearchArea area, List<TimedRecording> recordings) {
    if (area == null) {
      throw new TdoaInputException("area must be given, got null");
    }
    validate(recordings);
    List<Station> stations = recordings.stream().map(TimedRecording::station).toList();
    double rate = recordings.get(0).sampleRateHz();
    if (settings.bandHighHz() + TimeDifferences.NOISE_GUARD_HZ
        >= TimeDifferences.NOISE_TOP * rate) {
      throw new TdoaInputException(
          "audio band top "
              + settings.bandHighHz()
              + " Hz leaves no room to measure the noise below "
              + TimeDifferences.NOISE_TOP * rate
              + " Hz at a sample rate of "
              + rate
              + " Hz; expected a band ending at least "
              + TimeDifferences.NOISE_GUARD_HZ
              + " Hz lower");
    }
    // The reference is chosen while measuring, so each station's window allows for the longest
    // baseline it has to any other: nothing physically possible is left out.
    double[] baseline = new double[stations.size()];
    for (int i = 0; i < stations.size(); i++) {
      for (int j = 0; j < stations.size(); j++) {
        baseline[i] = Math.max(baseline[i], distance(stations.get(i), stations.get(j)));
      }
    }
    TimeDifferences.Result measured = TimeDifferences.measure(recordings, baseline, settings);
    if (measured.used().length < MIN_RECEIVERS - 1) {
      throw new TdoaInputException(
          (measured.used().length + 1)
              + " of "
              + recordings.size()
              + " receivers gave a usable time difference; expected at least "
              + MIN_RECEIVERS
              + " ("
              + String.join("; ", measured.rejected())
              + ")");
    }
    double c = SPEED_OF_LIGHT_M_PER_S;
    double[] ranges = new double[measured.used().length];
    double[] own = new double[ranges.length];
    for (int i = 0; i < ranges.length; i++) {
      ranges[i] = c * measured.seconds()[i];
      own[i] = c * c * measured.ownVariance()[i];
    }
    return TdoaSolver.solve(
        area,
        stations,
        measured.reference(),
        measured.used(),
        ranges,
        c * c * measured.referenceVariance(),
        own,
        level);
  }

  /**
   * Locates one transmission from its time differences and its received power together.
   *
   * <p>Why this combination: the two kinds of evidence are independent (timing noise and
   * shadowing), so the posterior is the product of the received-power posterior and the time
   * differences' likelihood. The latter is Gaussian to a good approximation (it is a least-squares
   * problem at high SNR), and the received-power posterior is smooth on the scale of the time
   * differences' ellipse, so replacing it by its own Gaussian (its mean and covariance, which the
   * Bayesian localiser reports) changes the product little where the product matters. The product
   * of two Gaussians is Gaussian, with precision the sum of the precisions. When the time
   * differences are well conditioned the result is theirs, nudged; when their ellipse is long (few
   * receivers, poor geometry), the received power fixes its long axis. The bound is {@code sqrt} of
   * the trace of the combined covariance: the time differences' Fisher information plus the power
   * posterior's precision, inverted.
   *
   * @param area where the transmitter is, as far as is known
   * @param recordings the recordings, as for {@link #locate}
   * @param power the received-power estimate of the same transmission from a calibrated method
   *     ({@link Method#BAYES})
   * @return the estimate, with method {@link Method#HYBRID}
   * @throws TdoaInputException as {@link #locate}, or if {@code power} is missing or not a
   *     calibrated estimate
   */
  public LocationEstimate locateHybrid(
      SearchArea area, List<TimedRecording> recordings, LocationEstimate power) {
    if (power == null || !power.calibrated() || power.method() != Method.BAYES) {
      throw new TdoaInputException(
          "hybrid needs the received-power estimate of method bayes, got "
              + (power == null ? "null" : power.method().id()));
    }
    LocationEstimate time = locate(area, recordings);
    return combine(time, power, level, recordings.size());
  }

  /** The product of the two Gaussians, in the local east/north plane at the time estimate. */
  static LocationEstimate combine(
      LocationEstimate time, LocationEstimate power, double level, int receivers) {
    double[] offset =
        TdoaSolver.toPlane(time.latitude(), time.longitude(), power.latitude(), power.longitude());
    double[][] pt = inverse(time.covariance());
    double[][] pp = inverse(power.covariance());
    double[][] precision = {
      {pt[0][0] + pp[0][0], pt[0][1] + pp[0][1]},
      {pt[1][0] + pp[1][0], pt[1][1] + pp[1][1]}
    };
    double[][] sum = inverse(precision);
    // mean = Σ (Pt·0 + Pp·offset)
    double be = pp[0][0] * offset[0] + pp[0][1] * offset[1];
    double bn = pp[1][0] * offset[0] + pp[1][1] * offset[1];
    double east = sum[0][0] * be + sum[0][1] * bn;
    double north = sum[1][0] * be + sum[1][1] * bn;
    double[] where = TdoaSolver.toGeographic(time.latitude(), time.longitude(), east, north);
    Covariance cov = TdoaSolver.symmetric(sum[0][0], sum[0][1], sum[1][1]);
    return TdoaSolver.estimate(where, cov, level, receivers, Method.HYBRID);
  }

  private static double[][] inverse(Covariance c) {
    return inverse(c.toArray());
  }

  private static double[][] inverse(double[][] m) {
    double det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    if (!(det > 0)) {
      throw new TdoaInputException(
          "a position covariance must be positive definite, got determinant " + det);
    }
    return new double[][] {{m[1][1] / det, -m[0][1] / det}, {-m[1][0] / det, m[0][0] / det}};
  }

  private static void validate(List<TimedRecording> recordings) {
    if (recordings == null) {
      throw new TdoaInputException("recordings must be given, got null");
    }
    requireCount(recordings.size());
    Set<String> ids = new HashSet<>();
    double rate = Double.NaN;
    for (TimedRecording recording : recordings) {
      if (recording == null) {
        throw new TdoaInputException("recordings must not contain null");
      }
      String who = "station '" + recording.station().id() + "'";
      if (!ids.add(recording.station().id())) {
        throw new TdoaInputException(who + " appears twice; expected each receiver once");
      }
      requireSubMicrosecond(who + " recording", recording.start());
      if (Double.isNaN(rate)) {
        rate = recording.sampleRateHz();
      } else if (recording.sampleRateHz() != rate) {
        throw new TdoaInputException(
            who
                + " sample rate is "
                + recording.sampleRateHz()
                + " Hz; expected "
                + rate
                + " Hz like the others");
      }
    }
  }

  /** The refusal of a recording without {@code core:datetime}. */
  static TdoaInputException noDatetime(String who) {
    return new TdoaInputException(
        who
            + " has no captures[0].core:datetime; TDOA needs the UTC time of its first sample to"
            + " the nanosecond");
  }

  /** The refusal of a recording without {@code core:geolocation}. */
  static TdoaInputException noGeolocation(String who) {
    return new TdoaInputException(
        who + " has no global.core:geolocation; TDOA needs each receiver's position");
  }

  private static void requireCount(int count) {
    if (count < MIN_RECEIVERS) {
      throw new TdoaInputException(
          "TDOA needs recordings from at least " + MIN_RECEIVERS + " receivers, got " + count);
    }
  }

  private static void requireSubMicrosecond(String who, Instant start) {
    if (start.getNano() % 1_000 == 0) {
      throw new TdoaInputException(
          who
              + " starts at "
              + start
              + ", a time with no digit below the microsecond; TDOA"
              + " needs core:datetime to the nanosecond (nine fractional digits)");
    }
  }

  private static double distance(Station a, Station b) {
    return Geodesic.WGS84.Inverse(
            a.latitude(), a.longitude(), b.latitude(), b.longitude(), GeodesicMask.DISTANCE)
        .s12;
  }

  @Override
  public String toString() {
    return "TdoaLocalizer[level="
        + level
        + ", band="
        + settings.bandLowHz()
        + "–"
        + settings.bandHighHz()
        + " Hz, gps="
        + settings.gpsTimingErrorS() * 1e9
        + " ns]";
  }

  /** Settings of a {@link TdoaLocalizer}; {@link #build()} checks them together. */
  public static final class Builder {
    private double level = 0.9;
    private double gpsTimingErrorNs = 30;
    private double bandLowHz = 300;
    private double bandHighHz = 3_000;
    private double fmDeviationHz = 2_500;
    private double minCoefficient = 0.2;
    private double maxSidelobeRatio = 0.8;

    private Builder() {}

    /**
     * The probability level of the reported region; default 0.9.
     *
     * @param level in (0, 1)
     * @return this builder
     * @throws TdoaInputException if not in (0, 1)
     */
    public Builder level(double level) {
      if (!(level > 0 && level < 1)) {
        throw new TdoaInputException("level must be in (0, 1), got " + level);
      }
      this.level = level;
      return this;
    }

    /**
     * The rms error of each receiver's GPS-disciplined time stamp; default 30 ns.
     *
     * @param ns in [0, 100 000] ns
     * @return this builder
     * @throws TdoaInputException if outside [0, 100 000]
     */
    public Builder gpsTimingErrorNs(double ns) {
      if (!(ns >= 0 && ns <= 100_000)) {
        throw new TdoaInputException("gps_timing_error_ns must be in [0, 100000], got " + ns);
      }
      this.gpsTimingErrorNs = ns;
      return this;
    }

    /**
     * The audio band that is correlated; default 300–3000 Hz (voice). The noise is measured from
     * 500 Hz above it to 0.45 of the sample rate; {@link TdoaLocalizer#locate} refuses recordings
     * whose rate leaves no room for that.
     *
     * @param lowHz lowest frequency, &gt;= 0
     * @param highHz highest frequency, &gt; lowHz
     * @return this builder
     * @throws TdoaInputException unless 0 &lt;= lowHz &lt; highHz
     */
    public Builder audioBandHz(double lowHz, double highHz) {
      if (!(lowHz >= 0 && highHz > lowHz) || Double.isInfinite(highHz)) {
        throw new TdoaInputException(
            "audio band must satisfy 0 <= low < high (Hz), got " + lowHz + "–" + highHz);
      }
      this.bandLowHz = lowHz;
      this.bandHighHz = highHz;
      return this;
    }

    /**
     * The FM deviation that scales the demodulated audio; default 2.5 kHz. It only scales the
     * audio, so a wrong value changes no time difference.
     *
     * @param hz finite, &gt; 0
     * @return this builder
     * @throws TdoaInputException if not a finite number &gt; 0
     */
    public Builder fmDeviationHz(double hz) {
      if (!(hz > 0) || Double.isInfinite(hz)) {
        throw new TdoaInputException("fm_deviation_hz must be a finite number > 0, got " + hz);
      }
      this.fmDeviationHz = hz;
      return this;
    }

    /**
     * The weakest correlation coefficient of a peak that is kept; default 0.2.
     *
     * @param coefficient in [0, 1)
     * @return this builder
     * @throws TdoaInputException if outside [0, 1)
     */
    public Builder minCoefficient(double coefficient) {
      if (!(coefficient >= 0 && coefficient < 1)) {
        throw new TdoaInputException("min_coefficient must be in [0, 1), got " + coefficient);
      }
      this.minCoefficient = coefficient;
      return this;
    }

    /**
     * The largest ratio of the second peak to the first that is not ambiguous; default 0.8.
     *
     * @param ratio in (0, 1]
     * @return this builder
     * @throws TdoaInputException if outside (0, 1]
     */
    public Builder maxSidelobeRatio(double ratio) {
      if (!(ratio > 0 && ratio <= 1)) {
        throw new TdoaInputException("max_sidelobe_ratio must be in (0, 1], got " + ratio);
      }
      this.maxSidelobeRatio = ratio;
      return this;
    }

    /**
     * Creates the localiser.
     *
     * @return the localiser
     */
    public TdoaLocalizer build() {
      return new TdoaLocalizer(this);
    }
  }
}
