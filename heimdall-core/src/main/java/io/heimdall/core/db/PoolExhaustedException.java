package io.heimdall.core.db;

/** Every pooled connection stayed busy for the whole connection timeout. */
public class PoolExhaustedException extends PersistenceException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, naming the value and what was expected
   */
  public PoolExhaustedException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public PoolExhaustedException(String message, Throwable cause) {
    super(message, cause);
  }
}
