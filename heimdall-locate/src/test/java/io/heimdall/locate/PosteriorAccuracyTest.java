package io.heimdall.locate;

import static org.assertj.core.api.Assertions.assertThat;

import io.heimdall.inference.Device;
import java.util.List;
import net.sf.geographiclib.Geodesic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ONNX posterior on its quadtree grid against {@link NaivePosterior} on a much finer uniform
 * grid, in plain Java: the mean within 1 % of the posterior's smaller standard deviation (so a
 * finer grid would not move it more), the ellipse's axes within 3 %, the region's mass within 0.02.
 * The transmissions include receivers that heard nothing, and transmitters close to a receiver,
 * where the posterior is sharpest.
 */
class PosteriorAccuracyTest {

  private static Localizer localizer;

  @BeforeAll
  static void open() {
    localizer = Localizer.builder().device(Device.CPU).build();
  }

  @AfterAll
  static void close() {
    localizer.close();
  }

  @Test
  void awayFromReceiversTheMeanAndCovarianceMatchAUniform200mGrid() {
    Scenario scenario = Scenario.turin();
    // Raise three floors so that some receivers hear nothing: both graphs are exercised.
    scenario.floorsDbm[4] = -112;
    scenario.floorsDbm[5] = -112;
    scenario.floorsDbm[6] = -115;
    List<Scenario.Transmission> transmissions = scenario.draw(7, 10, 3, 2_000);
    long silent =
        transmissions.stream()
            .flatMap(t -> t.readings().stream())
            .filter(r -> !r.heard())
            .count();
    assertThat(silent).as("readings of receivers that heard nothing").isGreaterThan(5);
    compare(scenario, transmissions, 200);
  }

  @Test
  void nearAReceiverTheMeanAndCovarianceMatchAUniform40mGrid() {
    Scenario scenario = Scenario.turin();
    Station torino = Scenario.TURIN.get(2);
    compare(scenario, scenario.drawNear(11, 3, torino, 500, 1_500), 40);
  }

  private static void compare(
      Scenario scenario, List<Scenario.Transmission> transmissions, double spacingM) {
    List<LocationEstimate> estimates =
        localizer.locateAll(scenario.area, Scenario.readings(transmissions));
    for (int t = 0; t < transmissions.size(); t++) {
      NaivePosterior exact =
          new NaivePosterior(
              scenario.area,
              transmissions.get(t).readings(),
              scenario.exponent,
              scenario.sigmaDb,
              spacingM,
              0.9);
      LocationEstimate estimate = estimates.get(t);
      // The reference itself must resolve the posterior.
      assertThat(exact.minorSpreadM()).isGreaterThan(4 * spacingM);
      double moved =
          Geodesic.WGS84.Inverse(
                  estimate.latitude(), estimate.longitude(), exact.latitude, exact.longitude)
              .s12;
      double[] want = new Covariance(exact.ee, exact.en, exact.nn).eigenvalues();
      double[] got = estimate.covariance().eigenvalues();
      String which = "transmission " + t;
      assertThat(moved / exact.minorSpreadM()).as(which + ": mean moved / spread").isLessThan(0.01);
      assertThat(Math.sqrt(got[0] / want[0])).as(which + ": major axis").isCloseTo(1, within(0.03));
      assertThat(Math.sqrt(got[1] / want[1])).as(which + ": minor axis").isCloseTo(1, within(0.03));
      assertThat(estimate.confidence())
          .as(which + ": region mass")
          .isCloseTo(exact.regionMass, within(0.02));
    }
  }

  private static org.assertj.core.data.Offset<Double> within(double value) {
    return org.assertj.core.data.Offset.offset(value);
  }
}
