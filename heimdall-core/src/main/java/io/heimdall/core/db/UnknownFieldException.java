package io.heimdall.core.db;

import io.heimdall.InvalidInputException;

/** A requested field that is not on the allow-list; the message lists the allowed names. */
public class UnknownFieldException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, naming the value and what was expected
   */
  public UnknownFieldException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public UnknownFieldException(String message, Throwable cause) {
    super(message, cause);
  }
}
