package io.heimdall.locate;

import io.heimdall.InvalidInputException;

/**
 * Bad input to heimdall-locate: a reading, station, search area or setting that can never give an
 * estimate as given. The message names the field, the value received and what was expected.
 */
public class LocateInputException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message the field, the value received and what was expected
   */
  public LocateInputException(String message) {
    super(message);
  }
}
