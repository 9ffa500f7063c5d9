package io.heimdall.inference;

/** A call on an {@link InferenceEngine} after {@link InferenceEngine#close()}. */
public class EngineClosedException extends InferenceException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a one-line message. */
  public EngineClosedException(String message) {
    super(message);
  }

  /** Creates the exception with a one-line message and the underlying cause. */
  public EngineClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
