package io.heimdall.npy;

import io.heimdall.InvalidInputException;
import java.nio.file.Path;

/**
 * The checks of this package, one place for their messages and types: a bad argument is an {@link
 * InvalidInputException} "{@code <argument> must be <expected>, got <value>}", a missing one a
 * {@link NullPointerException} naming it, and a file that is not a supported array a {@link
 * NpyFormatException} that names the file.
 */
final class Checks {

  private Checks() {}

  /** Throws {@link InvalidInputException} "{@code argument must be expected, got value}". */
  static void argument(boolean ok, String argument, Object value, String expected) {
    if (!ok) {
      throw new InvalidInputException(argument + " must be " + expected + ", got " + value);
    }
  }

  /** Returns {@code value}, or throws a {@link NullPointerException} naming the argument. */
  static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new NullPointerException(name + " must not be null");
    }
    return value;
  }

  /** Throws {@link NpyFormatException} "{@code file: problem}" unless ok. */
  static void format(boolean ok, Path file, String problem) {
    if (!ok) {
      throw new NpyFormatException(file + ": " + problem);
    }
  }
}
