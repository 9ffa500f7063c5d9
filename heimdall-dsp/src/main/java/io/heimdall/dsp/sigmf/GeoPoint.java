package io.heimdall.dsp.sigmf;

import io.heimdall.dsp.Checks;
import java.util.OptionalDouble;

/**
 * A receiver's position (WGS 84), as SigMF's {@code core:geolocation} GeoJSON Point holds it:
 * {@code [longitude, latitude, altitude]}.
 *
 * @param latitude degrees north, in [-90, 90]
 * @param longitude degrees east, in [-180, 180]
 * @param altitudeMeters metres above the WGS 84 ellipsoid, when the point has a third coordinate
 */
public record GeoPoint(double latitude, double longitude, OptionalDouble altitudeMeters) {

  /**
   * Validates the point.
   *
   * @param latitude degrees north
   * @param longitude degrees east
   * @param altitudeMeters metres above the ellipsoid, or empty (null is taken as empty)
   * @throws io.heimdall.dsp.DspException for a latitude or longitude out of range or a non-finite
   *     altitude
   */
  public GeoPoint {
    Checks.between("latitude", latitude, -90, 90);
    Checks.between("longitude", longitude, -180, 180);
    if (altitudeMeters == null) {
      altitudeMeters = OptionalDouble.empty();
    }
    if (altitudeMeters.isPresent()) {
      Checks.finite("altitude", altitudeMeters.getAsDouble());
    }
  }

  /**
   * A point without altitude.
   *
   * @param latitude degrees north
   * @param longitude degrees east
   * @return the point
   */
  public static GeoPoint of(double latitude, double longitude) {
    return new GeoPoint(latitude, longitude, OptionalDouble.empty());
  }
}
