package io.heimdall.inference;

/**
 * A {@link MicroBatcher} whose bounded queue is full rejected a request; the caller should shed
 * load or retry later.
 */
public class QueueFullException extends InferenceException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message what happened and what was expected
   */
  public QueueFullException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a one-line message and the underlying cause.
   *
   * @param message what happened and what was expected
   * @param cause the underlying failure
   */
  public QueueFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
