package io.heimdall.locate.tdoa;

import io.heimdall.locate.LocateInputException;

/**
 * Recordings that cannot give a time-difference estimate as given: no start time, a start time
 * without sub-microsecond digits, fewer than four receivers, recordings that do not overlap, or too
 * few time differences that survive the checks on their correlation peaks. The message is one line
 * and says why.
 */
public class TdoaInputException extends LocateInputException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, the value received and what was expected
   */
  public TdoaInputException(String message) {
    super(message);
  }
}
