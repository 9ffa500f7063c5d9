package io.heimdall.inference;

/** A model input that was not supplied, or a supplied input the model does not have. */
public class InputNameException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a one-line message. */
  public InputNameException(String message) {
    super(message);
  }

  /** Creates the exception with a one-line message and the underlying cause. */
  public InputNameException(String message, Throwable cause) {
    super(message, cause);
  }
}
