package io.heimdall.inference;

/**
 * Base of every error raised by heimdall-inference. Unchecked so that it travels through {@link
 * java.util.concurrent.CompletableFuture}s unchanged; each subclass names one kind of failure, and
 * every message is one line that says what came and what was expected.
 */
public class InferenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a one-line message. */
  public InferenceException(String message) {
    super(message);
  }

  /** Creates an exception with a one-line message and the underlying cause. */
  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
