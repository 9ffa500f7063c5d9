package io.heimdall.inference;

import io.heimdall.InvalidInputException;

/** A model input that was not supplied, or a supplied input the model does not have. */
public class InputNameException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message what happened and what was expected
   */
  public InputNameException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a one-line message and the underlying cause.
   *
   * @param message what happened and what was expected
   * @param cause the underlying failure
   */
  public InputNameException(String message, Throwable cause) {
    super(message, cause);
  }
}
