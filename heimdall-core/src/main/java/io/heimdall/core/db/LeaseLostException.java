package io.heimdall.core.db;

/**
 * A worker acted on a task it no longer holds: its lease expired and the task was re-queued or
 * claimed by another worker.
 */
public class LeaseLostException extends PersistenceException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, naming the value and what was expected
   */
  public LeaseLostException(String message) {
    super(message);
  }

  /**
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public LeaseLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
