package io.heimdall.pipeline.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.heimdall.locate.Station;
import org.junit.jupiter.api.Test;

class GeodesyTest {

  @Test
  void oneDegreeOfLatitudeIsAbout111Km() {
    // a meridian arc of 1° on the mean-radius sphere is R·π/180
    double expected = Geodesy.EARTH_RADIUS_M * Math.PI / 180;
    assertThat(Geodesy.distanceMetres(45, 7, 46, 7)).isCloseTo(expected, within(1e-6));
  }

  @Test
  void turinToMilanMatchesThePublishedDistance() {
    // Torino receiver to Milano Baggio: about 125 km as the crow flies
    Station torino = ReferenceStations.byId("torino");
    Station milano = ReferenceStations.byId("milano-baggio");
    double d =
        Geodesy.distanceMetres(
            torino.latitude(), torino.longitude(), milano.latitude(), milano.longitude());
    assertThat(d).isBetween(120_000.0, 130_000.0);
  }

  @Test
  void destinationIsTheRequestedDistanceAway() {
    for (double bearing = 0; bearing < 360; bearing += 37) {
      double[] p = Geodesy.destination(45.07, 7.69, bearing, 25_000);
      assertThat(Geodesy.distanceMetres(45.07, 7.69, p[0], p[1])).isCloseTo(25_000, within(1e-3));
    }
    double[] north = Geodesy.destination(45.07, 7.69, 0, 10_000);
    assertThat(north[1]).isCloseTo(7.69, within(1e-9));
    assertThat(north[0]).isGreaterThan(45.07);
  }

  @Test
  void impossibleCoordinatesAreNamed() {
    assertThatThrownBy(() -> Geodesy.checkPosition(91, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("latitude")
        .hasMessageContaining("91");
    assertThatThrownBy(() -> Geodesy.checkPosition(0, Double.NaN))
        .hasMessageContaining("longitude");
  }
}
