package io.heimdall.pipeline;

import io.heimdall.InvalidInputException;
import java.time.Duration;

/** The pipeline module's one argument check: messages name the setting, the value and the range. */
final class Checks {
  private Checks() {}

  static void require(boolean ok, String setting, Object value, String expected) {
    if (!ok) {
      throw new InvalidInputException(setting + " must be " + expected + ", got " + value);
    }
  }

  static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }
}
