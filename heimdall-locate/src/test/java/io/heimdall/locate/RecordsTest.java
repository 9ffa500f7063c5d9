package io.heimdall.locate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.heimdall.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The value records check themselves; messages name the field, the value and what was wanted. */
class RecordsTest {

  private static final Station TORINO = Station.of("torino", "Torino", 45.044, 7.672);

  @Test
  void badValuesAreInvalidInputNamingFieldValueAndExpectation() {
    assertThatThrownBy(() -> new SearchArea(45, 7, 0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("area radius_m must be a finite number > 0, got 0.0");
    assertThatThrownBy(() -> new SearchArea(95, 7, 1000))
        .hasMessage("area latitude must be in [-90.0, 90.0], got 95.0");
    assertThatThrownBy(() -> Station.of(" ", "x", 45, 7))
        .hasMessage("station id must be a non-blank string, got ' '");
    assertThatThrownBy(() -> Reading.heard(TORINO, Double.NaN))
        .hasMessage("station 'torino' power_dbm must be a finite number, got NaN");
    assertThatThrownBy(() -> Reading.silent(TORINO, Double.POSITIVE_INFINITY))
        .hasMessage("station 'torino' noise_floor_dbm must be a finite number, got Infinity");
    assertThatThrownBy(() -> new Region(1, 10, 5, 0))
        .hasMessage("region level must be in (0.0, 1.0), got 1.0");
    assertThatThrownBy(() -> new Region(0.9, 5, 10, 0))
        .hasMessageStartingWith("region semi_minor_m must be <= semi_major_m");
    assertThatThrownBy(() -> new Covariance(1, 2, 1))
        .hasMessageStartingWith("covariance east_north_m2 must satisfy en^2 <= ee*nn");
    assertThatThrownBy(() -> Method.fromId("tdoa2"))
        .hasMessageStartingWith("method must be one of bayes, centroid")
        .hasMessageEndingWith(", got 'tdoa2'");
  }

  @Test
  void theRegionIsTheCovarianceEllipseAtItsLevel() {
    // Major axis along north-east: variance 400² m² along 45°, 100² m² across.
    double a = 400 * 400;
    double b = 100 * 100;
    Covariance c = new Covariance((a + b) / 2, (a - b) / 2, (a + b) / 2);
    Region r = Region.of(c, 0.9);
    double k = Math.sqrt(-2 * Math.log(0.1));
    assertThat(r.semiMajorM()).isCloseTo(400 * k, within(1e-6));
    assertThat(r.semiMinorM()).isCloseTo(100 * k, within(1e-6));
    assertThat(r.orientationDeg()).isCloseTo(45, within(1e-9));
    assertThat(Region.of(new Covariance(b, 0, a), 0.5).orientationDeg()).isEqualTo(0);
    assertThat(Region.of(new Covariance(a, 0, b), 0.5).orientationDeg()).isEqualTo(90);
    // A covariance turned by 30° clockwise turns its major axis by −30° in the new axes.
    assertThat(Region.of(c.rotated(30), 0.9).orientationDeg()).isCloseTo(15, within(1e-9));
  }

  @Test
  void theLocaliserRejectsTooFewReceiversDuplicatesAndSilence() {
    SearchArea area = new SearchArea(45.07, 7.69, 40_000);
    Station giaveno = Station.of("giaveno", "Aquila di Giaveno", 45.02, 7.29);
    Station montanaro = Station.of("montanaro", "Montanaro", 45.234, 7.857);
    try (Localizer localizer = Localizer.builder().method(Method.CENTROID).build()) {
      assertThatThrownBy(
              () ->
                  localizer.locate(
                      area, List.of(Reading.heard(TORINO, -90), Reading.heard(giaveno, -95))))
          .isInstanceOf(LocateInputException.class)
          .hasMessage("transmission 0: readings from 2 receivers; expected at least 3");
      assertThatThrownBy(
              () ->
                  localizer.locate(
                      area,
                      List.of(
                          Reading.heard(TORINO, -90),
                          Reading.heard(giaveno, -95),
                          Reading.heard(TORINO, -91))))
          .hasMessage("transmission 0: station id 'torino' appears twice; expected once");
      assertThatThrownBy(
              () ->
                  localizer.locate(
                      area,
                      List.of(
                          Reading.silent(TORINO, -120),
                          Reading.silent(giaveno, -120),
                          Reading.silent(montanaro, -120))))
          .hasMessage("transmission 0: no receiver heard it; expected at least one heard reading");
    }
    Localizer closed = Localizer.builder().build();
    closed.close();
    closed.close();
    assertThatThrownBy(
            () ->
                closed.locate(
                    area,
                    List.of(
                        Reading.heard(TORINO, -90),
                        Reading.heard(giaveno, -95),
                        Reading.heard(montanaro, -99))))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theReceivedPowerLocalizerRefusesTimeDifferenceMethodsInsteadOfRunningBayes() {
    for (Method method : new Method[] {Method.TDOA, Method.HYBRID}) {
      assertThatThrownBy(() -> Localizer.builder().method(method))
          .isInstanceOf(LocateInputException.class)
          .hasMessageContaining("method must be bayes or centroid for received power, got " + method.id());
    }
  }
}
