package io.heimdall.inference;

/**
 * A request submitted to a closed {@link MicroBatcher}, or one still queued when the batcher's
 * close timeout ran out (or its worker stopped). Use after close is a state error: like the JDK, it
 * is an {@link IllegalStateException}.
 */
public class BatcherClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message what happened and what was expected
   */
  public BatcherClosedException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a one-line message and the underlying cause.
   *
   * @param message what happened and what was expected
   * @param cause the underlying failure
   */
  public BatcherClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
