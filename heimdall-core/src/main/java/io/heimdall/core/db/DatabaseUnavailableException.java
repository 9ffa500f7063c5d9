package io.heimdall.core.db;

/**
 * The database could not be reached within the configured connection timeout (down, wrong address,
 * refused credentials).
 */
public class DatabaseUnavailableException extends PersistenceException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, naming the value and what was expected
   */
  public DatabaseUnavailableException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
