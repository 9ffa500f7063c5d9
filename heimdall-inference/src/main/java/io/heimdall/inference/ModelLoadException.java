package io.heimdall.inference;

/**
 * A model file or byte array that cannot be used: missing, corrupt, truncated, not ONNX, or using
 * inputs or outputs this engine does not support.
 */
public class ModelLoadException extends InferenceException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message what happened and what was expected
   */
  public ModelLoadException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a one-line message and the underlying cause.
   *
   * @param message what happened and what was expected
   * @param cause the underlying failure
   */
  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
