package io.heimdall.npy;

import io.heimdall.InvalidInputException;

/**
 * A {@code .npy} file that is not a supported array: bad magic, unsupported dtype or version,
 * Fortran order, a malformed header, a truncated file or trailing bytes. The message names the
 * file, what it holds and what was expected. Unchecked and a kind of {@link InvalidInputException}:
 * the file's content is wrong, and reading it again cannot help. Failures to read or write at all
 * (a missing file, a full disk) are {@link java.io.IOException}s instead.
 */
public class NpyFormatException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message the file, what it holds and what was expected
   */
  public NpyFormatException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a one-line message and the underlying cause.
   *
   * @param message the file, what it holds and what was expected
   * @param cause the underlying failure
   */
  public NpyFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
