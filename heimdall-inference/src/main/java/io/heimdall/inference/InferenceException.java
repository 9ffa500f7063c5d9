package io.heimdall.inference;

import io.heimdall.HeimdallException;

/**
 * Base of the failures of heimdall-inference that are not bad input: a model that cannot be loaded,
 * a provider that cannot be used, ONNX Runtime failing on a batch, a micro-batcher that is full or
 * a request past its deadline. Unchecked, so that it travels through {@link
 * java.util.concurrent.CompletableFuture}s unchanged. Bad input (shape, type, name, non-finite
 * values, settings out of range) is an {@link io.heimdall.InvalidInputException} instead, and use
 * after close an {@link IllegalStateException}.
 */
public class InferenceException extends HeimdallException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message what happened and what was expected
   */
  public InferenceException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a one-line message and the underlying cause.
   *
   * @param message what happened and what was expected
   * @param cause the underlying failure
   */
  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
