package io.heimdall.inference;

/**
 * The requested execution provider (CUDA, TensorRT) cannot be loaded and the device policy does not
 * allow falling back to the CPU.
 */
public class ProviderUnavailableException extends InferenceException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message what happened and what was expected
   */
  public ProviderUnavailableException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a one-line message and the underlying cause.
   *
   * @param message what happened and what was expected
   * @param cause the underlying failure
   */
  public ProviderUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
