package io.heimdall.locate;

import java.util.List;

/**
 * One located transmission, as the map outputs ({@link GeoJson}, {@link SvgMap}) draw it.
 *
 * @param transmission the transmission's label (non-blank)
 * @param estimate where it came from
 * @param receivers the stations whose readings were used (drawn on the map)
 */
public record Located(String transmission, LocationEstimate estimate, List<Station> receivers) {

  /**
   * Validates and copies.
   *
   * @param transmission see the record component
   * @param estimate see the record component
   * @param receivers see the record component
   * @throws LocateInputException if the label is blank or a component is missing
   */
  public Located {
    Checks.text("transmission", transmission);
    Checks.present("estimate", estimate);
    receivers = List.copyOf(Checks.present("receivers", receivers));
  }

  /**
   * The region's boundary as geographic points: the ellipse laid out in the east/north plane of the
   * estimate (azimuthal equidistant about it), closed and counter-clockwise.
   *
   * @param vertices number of distinct points, at least 8
   * @return {@code vertices + 1} rows of {@code [latitude, longitude]}
   * @throws LocateInputException if fewer than 8 vertices are asked for
   */
  public double[][] regionOutline(int vertices) {
    LocalPlane plane = new LocalPlane(estimate.latitude(), estimate.longitude());
    double[][] ring = estimate.region().outline(vertices);
    double[][] out = new double[ring.length][];
    for (int i = 0; i < ring.length; i++) {
      out[i] = plane.toGeographic(ring[i][0], ring[i][1]);
    }
    out[ring.length - 1] = out[0].clone();
    return out;
  }
}
