package io.heimdall.core.db;

import io.heimdall.InvalidInputException;

/** A page size, offset or filter outside the accepted range. */
public class InvalidPageRequestException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, naming the value and what was expected
   */
  public InvalidPageRequestException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public InvalidPageRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
