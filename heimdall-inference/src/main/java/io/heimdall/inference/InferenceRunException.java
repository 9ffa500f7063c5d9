package io.heimdall.inference;

/** ONNX Runtime failed while running a model on inputs that passed validation. */
public class InferenceRunException extends InferenceException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message what happened and what was expected
   */
  public InferenceRunException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a one-line message and the underlying cause.
   *
   * @param message what happened and what was expected
   * @param cause the underlying failure
   */
  public InferenceRunException(String message, Throwable cause) {
    super(message, cause);
  }
}
