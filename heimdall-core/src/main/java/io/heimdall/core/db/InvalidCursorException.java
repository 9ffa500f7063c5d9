package io.heimdall.core.db;

import io.heimdall.InvalidInputException;

/** A pagination cursor that is malformed, was tampered with, or was issued for another listing. */
public class InvalidCursorException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, naming the value and what was expected
   */
  public InvalidCursorException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public InvalidCursorException(String message, Throwable cause) {
    super(message, cause);
  }
}
