package io.heimdall.core;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Argument checks shared by the domain records; messages name the field, the value and the expected
 * range.
 */
final class Checks {
  private Checks() {}

  static Double finite(String field, Double value) {
    if (value != null && !Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number, got " + value);
    }
    return value;
  }

  static Double range(String field, Double value, double min, double max) {
    if (value != null && !(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          field + " must be in [" + min + ", " + max + "], got " + value);
    }
    return value;
  }

  static Double nonNegative(String field, Double value) {
    if (value != null && !(value >= 0 && value < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(field + " must be a finite number >= 0, got " + value);
    }
    return value;
  }

  static Integer positive(String field, Integer value) {
    if (value != null && value <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, got " + value);
    }
    return value;
  }

  static Integer nonNegative(String field, Integer value) {
    if (value != null && value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + value);
    }
    return value;
  }

  static <T> T required(String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  static String requiredText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          field
              + " must be a non-blank string, got "
              + (value == null ? "null" : "'" + value + "'"));
    }
    return value;
  }

  /**
   * PostgreSQL keeps microseconds; truncating here makes a stored and re-read record equal to the
   * original.
   */
  static Instant micros(Instant value) {
    return value == null ? null : value.truncatedTo(ChronoUnit.MICROS);
  }
}
