package io.heimdall.inference;

import io.heimdall.InvalidInputException;

/**
 * An input whose rank or dimensions do not match the model's; the message names the expected shape
 * (for example {@code [N,128,431]}) and the one that came.
 */
public class InputShapeException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message what happened and what was expected
   */
  public InputShapeException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a one-line message and the underlying cause.
   *
   * @param message what happened and what was expected
   * @param cause the underlying failure
   */
  public InputShapeException(String message, Throwable cause) {
    super(message, cause);
  }
}
