package io.heimdall.inference;

/**
 * The requested execution provider (CUDA, TensorRT) cannot be loaded and the device policy does not
 * allow falling back to the CPU.
 */
public class ProviderUnavailableException extends InferenceException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a one-line message. */
  public ProviderUnavailableException(String message) {
    super(message);
  }

  /** Creates the exception with a one-line message and the underlying cause. */
  public ProviderUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
