package io.heimdall.inference;

/**
 * A {@link MicroBatcher} request whose deadline passed while it waited in the queue; it was never
 * run.
 */
public class DeadlineExceededException extends InferenceException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message what happened and what was expected
   */
  public DeadlineExceededException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a one-line message and the underlying cause.
   *
   * @param message what happened and what was expected
   * @param cause the underlying failure
   */
  public DeadlineExceededException(String message, Throwable cause) {
    super(message, cause);
  }
}
