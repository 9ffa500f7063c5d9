package io.heimdall.dsp;

/**
 * Bad input to a DSP operation: a parameter out of range, an empty or too short signal, a
 * non-finite sample. The message names the offending value and what was expected.
 */
public class DspException extends IllegalArgumentException {

  /** Creates the exception with a one-line message. */
  public DspException(String message) {
    super(message);
  }
}
