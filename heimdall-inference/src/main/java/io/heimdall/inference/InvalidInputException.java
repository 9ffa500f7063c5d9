package io.heimdall.inference;

/**
 * An input that does not fit the model: wrong shape, element type or name, or non-finite values.
 * Thrown before anything runs.
 */
public class InvalidInputException extends InferenceException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a one-line message. */
  public InvalidInputException(String message) {
    super(message);
  }

  /** Creates the exception with a one-line message and the underlying cause. */
  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
