package io.heimdall.dsp;

import java.nio.file.Path;

/**
 * A recording file that does not hold what its format says: empty, of an unknown kind, or (in
 * the subclasses) cut in the middle of a sample or with unreadable metadata. The message names
 * the file, what was found and what was expected.
 */
public class RecordingFormatException extends DspException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /**
   * Creates the exception.
   *
   * @param file the file at fault
   * @param message one line naming the file, what was found and what was expected
   */
  public RecordingFormatException(Path file, String message) {
    super(message);
    this.file = file;
  }

  /**
   * Creates the exception with its cause.
   *
   * @param file the file at fault
   * @param message one line naming the file, what was found and what was expected
   * @param cause the underlying failure, e.g. a JSON parser's
   */
  public RecordingFormatException(Path file, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /**
   * The file at fault.
   *
   * @return its path as given by the caller
   */
  public Path file() {
    return file;
  }
}
