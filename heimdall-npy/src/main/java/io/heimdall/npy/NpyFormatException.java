package io.heimdall.npy;

import java.io.IOException;

/**
 * A {@code .npy} file that cannot be read or an array that cannot be written: bad magic,
 * unsupported dtype or version, Fortran order, a truncated file, or a shape that does not match the
 * data.
 */
public class NpyFormatException extends IOException {

  /** Creates the exception with a one-line message that names the offending value. */
  public NpyFormatException(String message) {
    super(message);
  }
}
