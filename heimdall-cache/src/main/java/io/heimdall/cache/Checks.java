package io.heimdall.cache;

import io.heimdall.InvalidInputException;
import java.time.Duration;

/** The argument and state checks of this package, with one-line messages. */
final class Checks {

  private Checks() {}

  /**
   * Throws {@link InvalidInputException} with {@code message} unless {@code valid}.
   *
   * @param message names the argument or setting, the value received and what was expected
   */
  static void argument(boolean valid, String message) {
    if (!valid) {
      throw new InvalidInputException(message);
    }
  }

  /** Returns {@code value}, or throws {@link InvalidInputException} naming it if it is null. */
  static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new InvalidInputException(name + " must not be null");
    }
    return value;
  }

  /** A required duration in (0, max]. */
  static Duration duration(String name, Duration value, Duration max) {
    argument(value != null, name + " is required, e.g. " + name + "(Duration.ofMinutes(10))");
    argument(
        !value.isNegative() && !value.isZero() && value.compareTo(max) <= 0,
        name + " must be positive and at most " + max + ", got " + value);
    return value;
  }

  /**
   * Throws {@link IllegalStateException} if {@code closed}: use after close. On every call's hot
   * path, so the message is built only when it is thrown.
   */
  static void open(boolean closed, String namespace) {
    if (closed) {
      throw new IllegalStateException("cache '" + namespace + "' is closed");
    }
  }
}
