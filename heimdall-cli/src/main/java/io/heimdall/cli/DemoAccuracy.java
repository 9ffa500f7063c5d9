package io.heimdall.cli;

import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskWithDetails;
import io.heimdall.locate.Localizer;
import io.heimdall.locate.LocationEstimate;
import io.heimdall.locate.Method;
import io.heimdall.locate.Reading;
import io.heimdall.locate.SearchArea;
import io.heimdall.locate.tdoa.TdoaLocalizer;
import io.heimdall.pipeline.simulation.ReferenceStations;
import io.heimdall.pipeline.simulation.SimulatedTasks;
import io.heimdall.pipeline.simulation.SynchronizedRecordings;
import io.heimdall.pipeline.simulation.Transmitter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How well the demo located its transmissions, against the simulator's truth: the stored estimates'
 * errors, how often the truth lies inside the stored region, the weighted centroid on the same
 * stored readings (the baseline) and the Cramér–Rao bound; with {@code --tdoa}, time differences
 * against received power on synchronised recordings of the same kind of transmissions.
 *
 * @param errors sorted errors of the stored estimates, metres
 * @param regionCoverage share of transmissions whose true position lies inside its stored region
 * @param regionLevel the stored regions' level
 * @param baselineErrors sorted errors of the weighted centroid on the same readings, metres
 * @param bounds sorted Cramér–Rao bounds of the same readings, metres
 * @param tdoa the time-difference comparison, or null without {@code --tdoa}
 */
record DemoAccuracy(
    double[] errors,
    double regionCoverage,
    double regionLevel,
    double[] baselineErrors,
    double[] bounds,
    Tdoa tdoa) {

  /**
   * Errors of TDOA and of the received-power localiser on the same synchronised transmissions.
   *
   * @param transmissions how many were simulated
   * @param errors sorted TDOA errors, metres
   * @param powerErrors sorted received-power errors, metres
   * @param coverage share of TDOA regions holding the truth
   */
  record Tdoa(int transmissions, double[] errors, double[] powerErrors, double coverage) {}

  /** Measures the stored results of {@code items} against the simulator's transmitters. */
  static DemoAccuracy of(
      SimulatedTasks simulated, List<TaskWithDetails> items, SearchArea area, Tdoa tdoa) {
    List<Transmitter> truths = new ArrayList<>();
    List<TaskResult> results = new ArrayList<>();
    List<List<Reading>> readings = new ArrayList<>();
    for (TaskWithDetails item : items) {
      if (item.result().isEmpty() || item.measurements().size() < 3) {
        continue;
      }
      truths.add(simulated.transmitter(item.task()));
      results.add(item.result().get());
      readings.add(readings(item.measurements()));
    }
    double[] errors = new double[results.size()];
    int covered = 0;
    double level = Double.NaN;
    for (int i = 0; i < results.size(); i++) {
      TaskResult r = results.get(i);
      errors[i] = truths.get(i).errorMetres(r.latitude(), r.longitude());
      if (r.regionLevel() != null) {
        level = r.regionLevel();
        covered += inside(truths.get(i), r) ? 1 : 0;
      }
    }
    double[] baseline;
    double[] bounds;
    try (Localizer centroid = Localizer.builder().method(Method.CENTROID).build();
        Localizer bayes = Localizer.builder().build()) {
      baseline = errorsOf(centroid.locateAll(area, readings), truths);
      bounds = bayes.locateAll(area, readings).stream().mapToDouble(e -> e.boundM()).toArray();
    }
    Arrays.sort(errors);
    Arrays.sort(bounds);
    return new DemoAccuracy(
        errors,
        results.isEmpty() ? Double.NaN : covered / (double) results.size(),
        level,
        baseline,
        bounds,
        tdoa);
  }

  /** Locates {@code count} synchronised transmissions by time differences and by received power. */
  static Tdoa tdoa(long seed, int count, SearchArea area) {
    SynchronizedRecordings simulator = SynchronizedRecordings.builder().seed(seed).build();
    TdoaLocalizer tdoa = TdoaLocalizer.builder().build();
    List<Transmitter> truths = new ArrayList<>();
    List<LocationEstimate> byTime = new ArrayList<>();
    List<List<Reading>> powers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SynchronizedRecordings.Transmission t = simulator.simulate(i);
      truths.add(t.transmitter());
      byTime.add(tdoa.locate(area, t.recordings()));
      powers.add(t.powers());
    }
    int covered = 0;
    for (int i = 0; i < count; i++) {
      covered += inside(truths.get(i), byTime.get(i)) ? 1 : 0;
    }
    try (Localizer bayes = Localizer.builder().build()) {
      return new Tdoa(
          count,
          errorsOf(byTime, truths),
          errorsOf(bayes.locateAll(area, powers), truths),
          covered / (double) count);
    }
  }

  /**
   * A measurement as the localiser takes it; {@code not_detected} ones bound the power from above.
   */
  private static List<Reading> readings(List<SignalMeasurement> measurements) {
    List<Reading> out = new ArrayList<>(measurements.size());
    for (SignalMeasurement m : measurements) {
      boolean heard = m.measurementErrorCode() == null || m.measurementErrorCode().isEmpty();
      out.add(
          heard
              ? Reading.heard(ReferenceStations.byId(m.stationName()), m.signalStrengthDbm())
              : Reading.silent(ReferenceStations.byId(m.stationName()), m.signalStrengthDbm()));
    }
    return out;
  }

  private static double[] errorsOf(List<LocationEstimate> estimates, List<Transmitter> truths) {
    double[] out = new double[estimates.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = truths.get(i).errorMetres(estimates.get(i).latitude(), estimates.get(i).longitude());
    }
    Arrays.sort(out);
    return out;
  }

  /** Whether the truth lies inside the stored covariance ellipse at the stored level. */
  private static boolean inside(Transmitter truth, TaskResult r) {
    return insideEllipse(
        truth,
        r.latitude(),
        r.longitude(),
        r.covarianceEeM2(),
        r.covarianceEnM2(),
        r.covarianceNnM2(),
        r.regionLevel());
  }

  private static boolean inside(Transmitter truth, LocationEstimate e) {
    return insideEllipse(
        truth,
        e.latitude(),
        e.longitude(),
        e.covariance().eastEast(),
        e.covariance().eastNorth(),
        e.covariance().northNorth(),
        e.region().level());
  }

  /**
   * Mahalanobis test in the local east/north plane at the estimate: the offset of the truth
   * (equirectangular, well under 0.1 % off within the demo's 40 km) against the ellipse's
   * {@code -2 ln(1 - level)}.
   */
  private static boolean insideEllipse(
      Transmitter truth, double lat, double lon, double ee, double en, double nn, double level) {
    double metresPerDegree = Math.toRadians(1) * 6_371_008.8;
    double north = (truth.latitude() - lat) * metresPerDegree;
    double east = (truth.longitude() - lon) * metresPerDegree * Math.cos(Math.toRadians(lat));
    double det = ee * nn - en * en;
    if (!(det > 0)) {
      return false;
    }
    double d2 = (nn * east * east - 2 * en * east * north + ee * north * north) / det;
    return d2 <= -2 * Math.log(1 - level);
  }
}
