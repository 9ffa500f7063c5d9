package io.heimdall.locate;

/**
 * An ellipse around an estimate at a probability level: the set of positions whose Mahalanobis
 * distance from the estimate under the covariance is at most {@code sqrt(-2 ln(1 - level))}. Each
 * semi-axis is {@code sqrt(eigenvalue · -2 ln(1 - level))}. For a Gaussian posterior the ellipse
 * holds exactly {@code level} of the probability; the estimate reports how much it really holds as
 * {@link LocationEstimate#confidence()}.
 *
 * @param level the probability level, in (0, 1)
 * @param semiMajorM semi-major axis, metres (finite, &gt;= semiMinorM)
 * @param semiMinorM semi-minor axis, metres (finite, &gt;= 0)
 * @param orientationDeg azimuth of the major axis, clockwise from north, degrees in [0, 180)
 */
public record Region(double level, double semiMajorM, double semiMinorM, double orientationDeg) {

  /**
   * Validates the region.
   *
   * @param level see the record component
   * @param semiMajorM see the record component
   * @param semiMinorM see the record component
   * @param orientationDeg see the record component
   * @throws LocateInputException if the level is not in (0, 1), an axis is negative or not finite,
   *     the minor axis exceeds the major one, or the orientation is not in [0, 180)
   */
  public Region {
    Checks.strictlyBetween("region level", level, 0, 1);
    Checks.nonNegative("region semi_minor_m", semiMinorM);
    Checks.nonNegative("region semi_major_m", semiMajorM);
    if (semiMinorM > semiMajorM * (1 + 1e-12)) {
      throw new LocateInputException(
          "region semi_minor_m must be <= semi_major_m ("
              + semiMajorM
              + "), got "
              + semiMinorM);
    }
    if (!(orientationDeg >= 0 && orientationDeg < 180)) {
      throw new LocateInputException(
          "region orientation_deg must be in [0, 180), got " + orientationDeg);
    }
  }

  /**
   * The ellipse of a covariance at a level.
   *
   * @param covariance the position covariance, m²
   * @param level the probability level, in (0, 1)
   * @return the region
   * @throws LocateInputException if the level is not in (0, 1)
   */
  public static Region of(Covariance covariance, double level) {
    double scale = chiSquare2(Checks.strictlyBetween("region level", level, 0, 1));
    double[] eigen = covariance.eigenvalues();
    return new Region(
        level,
        Math.sqrt(eigen[0] * scale),
        Math.sqrt(eigen[1] * scale),
        covariance.majorAxisAzimuthDeg());
  }

  /**
   * The squared Mahalanobis radius holding {@code level} of a 2-D Gaussian: {@code -2 ln(1 -
   * level)}, the chi-square quantile with two degrees of freedom.
   */
  static double chiSquare2(double level) {
    return -2 * Math.log1p(-level);
  }

  /**
   * Points on the ellipse's boundary in the local east/north plane of its centre, metres, starting
   * on the major axis and turning counter-clockwise (as GeoJSON's exterior rings do); the ring is
   * closed (last point equals the first).
   *
   * @param vertices number of distinct points, at least 8
   * @return {@code vertices + 1} rows of {@code [east, north]}
   * @throws LocateInputException if fewer than 8 vertices are asked for
   */
  public double[][] outline(int vertices) {
    if (vertices < 8) {
      throw new LocateInputException("region outline vertices must be >= 8, got " + vertices);
    }
    double azimuth = Math.toRadians(orientationDeg);
    double[][] ring = new double[vertices + 1][];
    for (int i = 0; i <= vertices; i++) {
      double t = 2 * Math.PI * (i % vertices) / vertices;
      double along = semiMajorM * Math.cos(t);
      double across = -semiMinorM * Math.sin(t);
      // Major axis unit vector (east, north) = (sin az, cos az); minor axis (cos az, -sin az).
      ring[i] =
          new double[] {
            along * Math.sin(azimuth) + across * Math.cos(azimuth),
            along * Math.cos(azimuth) - across * Math.sin(azimuth)
          };
    }
    return ring;
  }
}
