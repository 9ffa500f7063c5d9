package io.heimdall.bench.report;

import java.util.Map;

/**
 * JMH's units: times per operation ({@code ns/op} … {@code min/op}) and rates ({@code ops/s} …).
 */
final class Units {
  private static final Map<String, Double> SECONDS =
      Map.of("ns", 1e-9, "us", 1e-6, "ms", 1e-3, "s", 1.0, "min", 60.0);

  private Units() {}

  static boolean isRate(String unit) {
    return unit.startsWith("ops/");
  }

  static boolean isTime(String unit) {
    return unit.endsWith("/op") && SECONDS.containsKey(unit.substring(0, unit.length() - 3));
  }

  static double secondsPerOperation(double value, String unit) {
    if (isTime(unit)) {
      return value * SECONDS.get(unit.substring(0, unit.length() - 3));
    }
    if (isRate(unit) && SECONDS.containsKey(unit.substring(4))) {
      return SECONDS.get(unit.substring(4)) / value;
    }
    throw new IllegalArgumentException(
        "unit '"
            + unit
            + "' is neither a time per operation (e.g. us/op) nor a"
            + " rate (e.g. ops/s)");
  }

  static double fromSecondsPerOperation(double seconds, String unit) {
    if (isTime(unit)) {
      return seconds / SECONDS.get(unit.substring(0, unit.length() - 3));
    }
    if (isRate(unit) && SECONDS.containsKey(unit.substring(4))) {
      return SECONDS.get(unit.substring(4)) / seconds;
    }
    throw new IllegalArgumentException(
        "cannot convert to '"
            + unit
            + "': expected a time per operation (e.g."
            + " us/op) or a rate (e.g. ops/s)");
  }

  /**
   * @return the unit as printed: µs for us, nothing for JMH's count unit {@code #}
   */
  static String display(String unit) {
    return unit.equals("#") ? "" : unit.replace("us/", "µs/").replace("/us", "/µs");
  }
}
