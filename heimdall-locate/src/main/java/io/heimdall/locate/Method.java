package io.heimdall.locate;

import java.util.Locale;

/** How a {@link LocationEstimate} was obtained. */
public enum Method {
  /** The Bayesian received-power posterior over the search area. */
  BAYES,
  /**
   * The received-amplitude weighted centroid of the receivers that heard: a baseline. Its region is
   * the receivers' spread, not a calibrated region.
   */
  CENTROID,
  /** Time differences of arrival between receivers with GPS-disciplined clocks. */
  TDOA,
  /** Time differences of arrival combined with the received-power posterior. */
  HYBRID;

  /**
   * The name used in JSON and on the command line.
   *
   * @return the lower-case name, e.g. {@code "bayes"}
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The method of a name as {@link #id()} writes it.
   *
   * @param id {@code "bayes"}, {@code "centroid"}, {@code "tdoa"} or {@code "hybrid"}
   *     (case-insensitive)
   * @return the method
   * @throws LocateInputException if no method has that name
   */
  public static Method fromId(String id) {
    for (Method method : values()) {
      if (method.id().equalsIgnoreCase(id)) {
        return method;
      }
    }
    throw new LocateInputException(
        "method must be one of bayes, centroid, tdoa, hybrid, got '" + id + "'");
  }
}
