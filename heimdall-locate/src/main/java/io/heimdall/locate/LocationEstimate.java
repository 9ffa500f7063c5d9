package io.heimdall.locate;

import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicData;

/**
 * Where one transmission came from, and how well that is known.
 *
 * <p>The same record serves every method: the received-power posterior ({@link Method#BAYES}), the
 * weighted centroid baseline ({@link Method#CENTROID}) and methods that use time differences.
 *
 * @param latitude estimate, degrees north (for {@link Method#BAYES} the posterior mean)
 * @param longitude estimate, degrees east
 * @param covariance 2×2 covariance of the position in east/north metres² at the estimate (for
 *     {@link Method#BAYES} the posterior covariance)
 * @param region the ellipse of {@code covariance} at the requested level
 * @param confidence the probability that the region holds the transmitter under the method's model
 *     (for {@link Method#BAYES} the posterior mass inside the region), in [0, 1]; {@code NaN} when
 *     the method has no probability model ({@link Method#CENTROID}), see {@link #calibrated()}
 * @param boundM the Cramér–Rao bound at the estimate, metres: {@code sqrt} of the trace of the
 *     position block of the inverse Fisher information (the transmit power a nuisance parameter);
 *     no unbiased estimator does better on average. Finite, &gt; 0, or {@code +Infinity} when the
 *     readings cannot fix a position (fewer than three independent heard receivers)
 * @param receivers number of receivers whose readings were used (heard or not)
 * @param method how the estimate was obtained
 */
public record LocationEstimate(
    double latitude,
    double longitude,
    Covariance covariance,
    Region region,
    double confidence,
    double boundM,
    int receivers,
    Method method) {

  /**
   * Validates the estimate.
   *
   * @param latitude see the record component
   * @param longitude see the record component
   * @param covariance see the record component
   * @param region see the record component
   * @param confidence see the record component
   * @param boundM see the record component
   * @param receivers see the record component
   * @param method see the record component
   * @throws LocateInputException if a coordinate is out of range, a component is missing, the
   *     confidence is outside [0, 1] (or NaN for a calibrated method), the bound is not &gt; 0 or
   *     fewer than one receiver was used
   */
  public LocationEstimate {
    Checks.between("estimate latitude", latitude, -90, 90);
    Checks.between("estimate longitude", longitude, -180, 180);
    Checks.present("estimate covariance", covariance);
    Checks.present("estimate region", region);
    Checks.present("estimate method", method);
    if (method != Method.CENTROID || !Double.isNaN(confidence)) {
      Checks.between("estimate confidence", confidence, 0, 1);
    }
    if (!(boundM > 0)) {
      throw new LocateInputException("estimate bound_m must be > 0, got " + boundM);
    }
    if (receivers < 1) {
      throw new LocateInputException("estimate receivers must be >= 1, got " + receivers);
    }
  }

  /**
   * Whether {@link #region()} is a calibrated credible region, i.e. {@link #confidence()} is a
   * probability.
   *
   * @return false for the centroid baseline, whose region only describes the receivers' spread
   */
  public boolean calibrated() {
    return !Double.isNaN(confidence);
  }

  /**
   * Whether a position lies inside {@link #region()}: its offset from the estimate, in the
   * east/north plane at the estimate (WGS84 geodesic), has a Mahalanobis distance under {@link
   * #covariance()} of at most the region's radius {@code sqrt(-2 ln(1 - level))}. Counting how
   * often the true positions are covered is how a region's honesty is measured.
   *
   * @param latitude degrees north
   * @param longitude degrees east
   * @return whether the region holds the position
   */
  public boolean covers(double latitude, double longitude) {
    GeodesicData g = Geodesic.WGS84.Inverse(this.latitude, this.longitude, latitude, longitude);
    double east = g.s12 * Math.sin(Math.toRadians(g.azi1));
    double north = g.s12 * Math.cos(Math.toRadians(g.azi1));
    Covariance c = covariance;
    double det = c.eastEast() * c.northNorth() - c.eastNorth() * c.eastNorth();
    if (!(det > 0)) {
      return false;
    }
    double q =
        (c.northNorth() * east * east - 2 * c.eastNorth() * east * north
                + c.eastEast() * north * north)
            / det;
    return q <= Region.chiSquare2(region.level());
  }
}
