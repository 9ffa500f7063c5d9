package io.heimdall.locate;

import static org.assertj.core.api.Assertions.assertThat;

import io.heimdall.inference.Device;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the estimates are worth, on transmissions simulated from the model the localiser assumes:
 * the 90 % regions hold the truth 87–93 % of the time on a layout, exponent and shadowing unlike
 * the demo's, and on the demo's layout the median error is at most 0.8 times the weighted
 * centroid's.
 */
class CalibrationTest {

  /** Nine receivers around Lyon, 20–90 km apart: not the demo's layout. */
  static final List<Station> LYON =
      List.of(
          Station.of("fr-fourviere", "Lyon Fourvière", 45.762, 4.822),
          Station.of("fr-villefranche", "Villefranche", 45.99, 4.72),
          Station.of("fr-bourgoin", "Bourgoin", 45.59, 5.28),
          Station.of("fr-vienne", "Vienne", 45.52, 4.87),
          Station.of("fr-saint-etienne", "Saint-Étienne", 45.44, 4.39),
          Station.of("fr-bourg", "Bourg-en-Bresse", 46.2, 5.22),
          Station.of("fr-grenoble", "Grenoble", 45.19, 5.72),
          Station.of("fr-roanne", "Roanne", 46.04, 4.07),
          Station.of("fr-chambery", "Chambéry", 45.57, 5.92));

  @Test
  void ninetyPercentRegionsHoldTheTruthNinetyPercentOfTheTime() {
    double[] floors = new double[LYON.size()];
    Arrays.fill(floors, -100);
    Scenario scenario =
        new Scenario(LYON, new SearchArea(45.76, 4.84, 50_000), 2.8, 6, floors, 20, 45);
    List<Scenario.Transmission> transmissions = scenario.draw(2026, 300, 1, 0);
    List<LocationEstimate> estimates;
    try (Localizer localizer =
        Localizer.builder()
            .device(Device.CPU)
            .pathLossExponent(2.8)
            .shadowingDb(6)
            .level(0.9)
            .build()) {
      estimates = localizer.locateAll(scenario.area, Scenario.readings(transmissions));
    }
    int covered = 0;
    double confidence = 0;
    long silent = 0;
    for (int t = 0; t < transmissions.size(); t++) {
      covered += Scenario.covers(estimates.get(t), transmissions.get(t)) ? 1 : 0;
      confidence += estimates.get(t).confidence();
      silent += transmissions.get(t).readings().stream().filter(r -> !r.heard()).count();
    }
    double coverage = covered / 300.0;
    System.out.printf(
        "coverage %.3f, mean region mass %.3f, silent readings %.1f %%%n",
        coverage, confidence / 300, 100.0 * silent / (300 * LYON.size()));
    assertThat(silent).as("readings below the noise floor").isGreaterThan(300 * 9 / 20);
    assertThat(coverage).as("share of truths inside the 90 % region").isBetween(0.87, 0.93);
  }

  @Test
  void onTheDemoLayoutTheMedianErrorIsAtMostPoint8TimesTheCentroids() {
    Scenario scenario = Scenario.turin();
    List<Scenario.Transmission> transmissions = scenario.draw(1, 300, 1, 0);
    List<List<Reading>> readings = Scenario.readings(transmissions);
    List<LocationEstimate> bayes;
    List<LocationEstimate> centroid;
    try (Localizer localizer = Localizer.builder().device(Device.CPU).build();
        Localizer baseline = Localizer.builder().method(Method.CENTROID).build()) {
      bayes = localizer.locateAll(scenario.area, readings);
      centroid = baseline.locateAll(scenario.area, readings);
    }
    double[] bayesErrors = new double[300];
    double[] centroidErrors = new double[300];
    double[] bounds = new double[300];
    int covered = 0;
    for (int t = 0; t < 300; t++) {
      bayesErrors[t] = Scenario.errorM(bayes.get(t), transmissions.get(t));
      centroidErrors[t] = Scenario.errorM(centroid.get(t), transmissions.get(t));
      bounds[t] = bayes.get(t).boundM();
      covered += Scenario.covers(bayes.get(t), transmissions.get(t)) ? 1 : 0;
      assertThat(bayes.get(t).method()).isEqualTo(Method.BAYES);
      assertThat(centroid.get(t).method()).isEqualTo(Method.CENTROID);
      assertThat(centroid.get(t).calibrated()).isFalse();
    }
    double bayesMedian = Scenario.median(bayesErrors);
    double centroidMedian = Scenario.median(centroidErrors);
    System.out.printf(
        "demo layout: median error bayes %.0f m, centroid %.0f m (ratio %.2f), median bound %.0f m,"
            + " coverage %.3f%n",
        bayesMedian,
        centroidMedian,
        bayesMedian / centroidMedian,
        Scenario.median(bounds),
        covered / 300.0);
    assertThat(bayesMedian).isLessThanOrEqualTo(0.8 * centroidMedian);
  }
}
