package io.heimdall.locate;

/**
 * The argument checks of heimdall-locate, so that every message has the same shape: the field's
 * name, the value received and what was expected. Each check throws {@link LocateInputException}.
 */
final class Checks {

  private Checks() {}

  static double finite(String name, double value) {
    if (!Double.isFinite(value)) {
      throw new LocateInputException(name + " must be a finite number, got " + value);
    }
    return value;
  }

  static double positive(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new LocateInputException(name + " must be a finite number > 0, got " + value);
    }
    return value;
  }

  static double nonNegative(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new LocateInputException(name + " must be a finite number >= 0, got " + value);
    }
    return value;
  }

  static double between(String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new LocateInputException(
          name + " must be in [" + min + ", " + max + "], got " + value);
    }
    return value;
  }

  /** Requires {@code min < value < max} (an open interval, e.g. a probability level). */
  static double strictlyBetween(String name, double value, double min, double max) {
    if (!(value > min && value < max)) {
      throw new LocateInputException(
          name + " must be in (" + min + ", " + max + "), got " + value);
    }
    return value;
  }

  static <T> T present(String name, T value) {
    if (value == null) {
      throw new LocateInputException(name + " must be given, got null");
    }
    return value;
  }

  static String text(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new LocateInputException(
          name + " must be a non-blank string, got " + (value == null ? "null" : "'" + value + "'"));
    }
    return value;
  }
}
