package io.heimdall.locate;

/**
 * Where the transmitter is looked for: a disc on the ground. The Bayesian localiser's prior is
 * uniform over it.
 *
 * @param latitude centre, degrees north, in [-90, 90]
 * @param longitude centre, degrees east, in [-180, 180]
 * @param radiusM radius in metres, finite, &gt; 0 and at most {@value #MAX_RADIUS_M}
 */
public record SearchArea(double latitude, double longitude, double radiusM) {

  /**
   * Largest radius, metres: the localiser works in a plane tangent at the centre, whose scale error
   * stays below 0.1 % up to this distance.
   */
  public static final double MAX_RADIUS_M = 500_000;

  /**
   * Validates the area.
   *
   * @param latitude see the record component
   * @param longitude see the record component
   * @param radiusM see the record component
   * @throws LocateInputException if a coordinate is out of range or the radius is not in (0,
   *     {@value #MAX_RADIUS_M}]
   */
  public SearchArea {
    Checks.between("area latitude", latitude, -90, 90);
    Checks.between("area longitude", longitude, -180, 180);
    Checks.positive("area radius_m", radiusM);
    Checks.between("area radius_m", radiusM, 0, MAX_RADIUS_M);
  }
}
