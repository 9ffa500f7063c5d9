package io.heimdall.core.db;

import io.heimdall.HeimdallException;

/**
 * A failure of the database environment: unreachable, pool exhausted, lease lost, schema not
 * migrated or a migration that failed. Such a call may succeed later. Bad input (a constraint
 * violation, a bad page request) is an {@link io.heimdall.InvalidInputException} instead.
 */
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
