package io.heimdall.inference;

import io.heimdall.InvalidInputException;
import java.time.Duration;

/**
 * The argument checks of this package: one place for the message shape "{@code <setting> must be
 * <expected>, got <value>}" and for the exception type (bad input is an {@link
 * InvalidInputException}; a missing argument is a {@link NullPointerException} naming it).
 */
final class Checks {

  private Checks() {}

  /**
   * Throws {@link InvalidInputException} "{@code setting must be expected, got value}" unless ok.
   */
  static void argument(boolean ok, String setting, Object value, String expected) {
    if (!ok) {
      throw new InvalidInputException(setting + " must be " + expected + ", got " + value);
    }
  }

  /** Returns {@code value}, or throws a {@link NullPointerException} naming the argument. */
  static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new NullPointerException(name + " must not be null");
    }
    return value;
  }

  /** Checks that {@code duration} is set and strictly positive; returns it. */
  static Duration positive(Duration duration, String setting) {
    notNull(duration, setting);
    argument(!duration.isNegative() && !duration.isZero(), setting, duration, "positive");
    return duration;
  }

  /** Checks that {@code duration} is set and not negative; returns it. */
  static Duration notNegative(Duration duration, String setting) {
    notNull(duration, setting);
    argument(!duration.isNegative(), setting, duration, "zero or more");
    return duration;
  }
}
