package io.heimdall.cli;

import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskWithDetails;
import io.heimdall.locate.Covariance;
import io.heimdall.locate.Localizer;
import io.heimdall.locate.LocationEstimate;
import io.heimdall.locate.Method;
import io.heimdall.locate.Reading;
import io.heimdall.locate.Region;
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
    double[] baseline;
    List<LocationEstimate> relocated;
    try (Localizer centroid = Localizer.builder().method(Method.CENTROID).build();
        Localizer bayes = Localizer.builder().build()) {
      baseline = errorsOf(centroid.locateAll(area, readings), truths);
      relocated = bayes.locateAll(area, readings);
    }
    double[] errors = new double[results.size()];
    double[] bounds = new double[results.size()];
    int covered = 0;
    double level = Double.NaN;
    for (int i = 0; i < results.size(); i++) {
      TaskResult r = results.get(i);
      Transmitter truth = truths.get(i);
      errors[i] = truth.errorMetres(r.latitude(), r.longitude());
      bounds[i] = relocated.get(i).boundM();
      if (r.regionLevel() != null) {
        level = r.regionLevel();
        covered += stored(r, relocated.get(i)).covers(truth.latitude(), truth.longitude()) ? 1 : 0;
      }
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
      Transmitter truth = truths.get(i);
      covered += byTime.get(i).covers(truth.latitude(), truth.longitude()) ? 1 : 0;
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
      out.add(new Reading(ReferenceStations.byId(m.stationName()), m.signalStrengthDbm(), heard));
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

  /**
   * A stored result as the estimate it was written from: its position, covariance and region level
   * (the bound is not stored, so it comes from locating the same stored readings again).
   */
  private static LocationEstimate stored(TaskResult r, LocationEstimate relocated) {
    Covariance covariance =
        new Covariance(r.covarianceEeM2(), r.covarianceEnM2(), r.covarianceNnM2());
    return new LocationEstimate(
        r.latitude(),
        r.longitude(),
        covariance,
        Region.of(covariance, r.regionLevel()),
        r.confidence(),
        relocated.boundM(),
        relocated.receivers(),
        Method.BAYES);
  }
}
