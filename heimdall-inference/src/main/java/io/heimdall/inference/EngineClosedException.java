package io.heimdall.inference;

/**
 * A call on an {@link InferenceEngine} after {@link InferenceEngine#close()}. Use after close is a
 * state error, not a Heimdall failure: like the JDK, it is an {@link IllegalStateException}.
 */
public class EngineClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message what happened and what was expected
   */
  public EngineClosedException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a one-line message and the underlying cause.
   *
   * @param message what happened and what was expected
   * @param cause the underlying failure
   */
  public EngineClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
