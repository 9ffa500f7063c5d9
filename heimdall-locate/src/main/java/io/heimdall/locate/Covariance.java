package io.heimdall.locate;

/**
 * A 2×2 position covariance in a local east/north frame at the estimate, metres².
 *
 * @param eastEast variance east, m² (finite, &gt;= 0)
 * @param eastNorth covariance east–north, m² (finite, with {@code eastNorth² <= eastEast ·
 *     northNorth} up to rounding)
 * @param northNorth variance north, m² (finite, &gt;= 0)
 */
public record Covariance(double eastEast, double eastNorth, double northNorth) {

  /**
   * Validates the matrix.
   *
   * @param eastEast see the record component
   * @param eastNorth see the record component
   * @param northNorth see the record component
   * @throws LocateInputException if an entry is not finite, a variance is negative or the matrix is
   *     not positive semi-definite
   */
  public Covariance {
    Checks.nonNegative("covariance east_east_m2", eastEast);
    Checks.finite("covariance east_north_m2", eastNorth);
    Checks.nonNegative("covariance north_north_m2", northNorth);
    double limit = eastEast * northNorth;
    if (eastNorth * eastNorth > limit * (1 + 1e-6) + 1e-9) {
      throw new LocateInputException(
          "covariance east_north_m2 must satisfy en^2 <= ee*nn (positive semi-definite), got en="
              + eastNorth
              + " with ee="
              + eastEast
              + ", nn="
              + northNorth);
    }
  }

  /**
   * The eigenvalues, largest first.
   *
   * @return {@code [λmax, λmin]}, m², both &gt;= 0
   */
  public double[] eigenvalues() {
    double mean = (eastEast + northNorth) / 2;
    double half = Math.hypot((eastEast - northNorth) / 2, eastNorth);
    return new double[] {mean + half, Math.max(0, mean - half)};
  }

  /**
   * The azimuth of the eigenvector of the largest eigenvalue, clockwise from north.
   *
   * @return degrees in [0, 180)
   */
  public double majorAxisAzimuthDeg() {
    // Angle from east, counter-clockwise, of the major axis; azimuth is 90° minus that.
    double fromEast = 0.5 * Math.atan2(2 * eastNorth, eastEast - northNorth);
    double azimuth = 90 - Math.toDegrees(fromEast);
    azimuth %= 180;
    return azimuth < 0 ? azimuth + 180 : azimuth;
  }

  /**
   * The same covariance expressed in axes turned clockwise by {@code angleDeg}: used to carry a
   * covariance from the plane's north to true north at the estimate.
   *
   * @param angleDeg clockwise rotation of the new north from the old one, degrees
   * @return the rotated covariance
   */
  Covariance rotated(double angleDeg) {
    double a = Math.toRadians(angleDeg);
    double c = Math.cos(a);
    double s = Math.sin(a);
    // new east = c·e − s·n, new north = s·e + c·n (axes turned clockwise by a).
    double ee = c * c * eastEast - 2 * c * s * eastNorth + s * s * northNorth;
    double nn = s * s * eastEast + 2 * c * s * eastNorth + c * c * northNorth;
    double en = c * s * (eastEast - northNorth) + (c * c - s * s) * eastNorth;
    return new Covariance(Math.max(0, ee), en, Math.max(0, nn));
  }

  /**
   * The matrix as rows.
   *
   * @return {@code [[ee, en], [en, nn]]}
   */
  public double[][] toArray() {
    return new double[][] {{eastEast, eastNorth}, {eastNorth, northNorth}};
  }
}
