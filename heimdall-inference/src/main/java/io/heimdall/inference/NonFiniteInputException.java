package io.heimdall.inference;

import io.heimdall.InvalidInputException;

/**
 * An input holding NaN or an infinity while the engine is configured to reject them; the message
 * names the input, sample and element.
 */
public class NonFiniteInputException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message what happened and what was expected
   */
  public NonFiniteInputException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a one-line message and the underlying cause.
   *
   * @param message what happened and what was expected
   * @param cause the underlying failure
   */
  public NonFiniteInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
