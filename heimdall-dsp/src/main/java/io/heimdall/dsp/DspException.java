package io.heimdall.dsp;

import io.heimdall.InvalidInputException;

/**
 * Bad input to a DSP operation: a parameter out of range, an empty or too short signal, a
 * non-finite sample, a recording file that does not hold what its format says. The message names
 * the offending value and what was expected. Everything this module throws on purpose is one of
 * these, so one {@code catch (InvalidInputException e)} covers it.
 */
public class DspException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message what came and what was expected
   */
  public DspException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a one-line message and the underlying cause.
   *
   * @param message what came and what was expected
   * @param cause the underlying failure, e.g. a JSON parser's
   */
  public DspException(String message, Throwable cause) {
    super(message, cause);
  }
}
