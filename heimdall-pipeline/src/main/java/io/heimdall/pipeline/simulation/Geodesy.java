package io.heimdall.pipeline.simulation;

/** Distances and destinations on a spherical Earth (accurate to about 0.5 % at these ranges). */
public final class Geodesy {

  /** Mean Earth radius in metres (IUGG). */
  public static final double EARTH_RADIUS_M = 6_371_008.8;

  private Geodesy() {}

  /**
   * Great-circle distance between two positions, by the haversine formula.
   *
   * @param lat1 latitude of the first position in degrees, north positive
   * @param lon1 longitude of the first position in degrees, east positive
   * @param lat2 latitude of the second position in degrees, north positive
   * @param lon2 longitude of the second position in degrees, east positive
   * @return the distance in metres
   */
  public static double distanceMetres(double lat1, double lon1, double lat2, double lon2) {
    double phi1 = Math.toRadians(lat1);
    double phi2 = Math.toRadians(lat2);
    double dPhi = phi2 - phi1;
    double dLambda = Math.toRadians(lon2 - lon1);
    double h = sinSquared(dPhi / 2) + Math.cos(phi1) * Math.cos(phi2) * sinSquared(dLambda / 2);
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1.0, Math.sqrt(h)));
  }

  /**
   * The position reached from a start position along an initial bearing.
   *
   * @param latitude latitude of the start position in degrees, north positive
   * @param longitude longitude of the start position in degrees, east positive
   * @param bearingDegrees initial bearing in degrees, clockwise from true north
   * @param distanceMetres distance along the great circle, in metres
   * @return {latitude, longitude} in degrees, longitude normalised to [-180, 180)
   */
  public static double[] destination(
      double latitude, double longitude, double bearingDegrees, double distanceMetres) {
    double delta = distanceMetres / EARTH_RADIUS_M;
    double theta = Math.toRadians(bearingDegrees);
    double phi1 = Math.toRadians(latitude);
    double lambda1 = Math.toRadians(longitude);
    double sinPhi2 =
        Math.sin(phi1) * Math.cos(delta) + Math.cos(phi1) * Math.sin(delta) * Math.cos(theta);
    double phi2 = Math.asin(sinPhi2);
    double lambda2 =
        lambda1
            + Math.atan2(
                Math.sin(theta) * Math.sin(delta) * Math.cos(phi1),
                Math.cos(delta) - Math.sin(phi1) * sinPhi2);
    double lon = (Math.toDegrees(lambda2) + 540.0) % 360.0 - 180.0;
    return new double[] {Math.toDegrees(phi2), lon};
  }

  /**
   * Checks that a position is on the globe.
   *
   * @param latitude latitude in degrees; must be within [-90, 90]
   * @param longitude longitude in degrees; must be within [-180, 180]
   * @throws IllegalArgumentException naming the coordinate that is out of range or NaN
   */
  public static void checkPosition(double latitude, double longitude) {
    if (!(latitude >= -90 && latitude <= 90)) {
      throw new IllegalArgumentException(
          "latitude must be within [-90, 90] degrees, got " + latitude);
    }
    if (!(longitude >= -180 && longitude <= 180)) {
      throw new IllegalArgumentException(
          "longitude must be within [-180, 180] degrees, got " + longitude);
    }
  }

  private static double sinSquared(double x) {
    double s = Math.sin(x);
    return s * s;
  }
}
