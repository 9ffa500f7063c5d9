package io.heimdall.inference;

/**
 * A request submitted to a closed {@link MicroBatcher}, or one still queued when the batcher's
 * close timeout ran out.
 */
public class BatcherClosedException extends InferenceException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a one-line message. */
  public BatcherClosedException(String message) {
    super(message);
  }

  /** Creates the exception with a one-line message and the underlying cause. */
  public BatcherClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
