package io.heimdall;

/**
 * Input that can never succeed as given: a wrong shape, type or name, non-finite values, an empty
 * or truncated file, an unknown field, an argument out of range. The message says what came and
 * what was expected. Nothing was changed when it is thrown, so the caller loses nothing by
 * correcting the input and trying again. Each module's bad-input errors extend this class.
 */
public class InvalidInputException extends HeimdallException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message what came and what was expected
   */
  public InvalidInputException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a one-line message and the underlying cause.
   *
   * @param message what came and what was expected
   * @param cause the underlying failure
   */
  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
