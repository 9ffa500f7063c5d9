package io.heimdall.core.db;

import io.heimdall.HeimdallException;

/** Base of every failure reported by the persistence layer. */
public class PersistenceException extends HeimdallException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, naming the value and what was expected
   */
  public PersistenceException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public PersistenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
