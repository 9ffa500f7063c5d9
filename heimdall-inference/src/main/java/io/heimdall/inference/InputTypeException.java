package io.heimdall.inference;

import io.heimdall.InvalidInputException;

/** An input whose element type is not the float32 the model expects. */
public class InputTypeException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message what happened and what was expected
   */
  public InputTypeException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a one-line message and the underlying cause.
   *
   * @param message what happened and what was expected
   * @param cause the underlying failure
   */
  public InputTypeException(String message, Throwable cause) {
    super(message, cause);
  }
}
