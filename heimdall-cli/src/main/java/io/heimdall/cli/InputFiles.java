package io.heimdall.cli;

import io.heimdall.InvalidInputException;
import io.heimdall.npy.Npy;
import io.heimdall.npy.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the files a user names on the command line, so that a wrong name is bad input whose
 * message says which file, in which role, and what was expected, rather than a bare file name from
 * the I/O layer.
 */
public final class InputFiles {

  /** The largest array {@link Npy#read} holds: one Java buffer, 2 GiB less the array header. */
  private static final long MAX_NPY_BYTES = Integer.MAX_VALUE - 8;

  private InputFiles() {}

  /**
   * Checks that {@code file} is an existing, readable regular file.
   *
   * @param file the path given by the user
   * @param role what the file is for, e.g. {@code "input"} or {@code "model"}
   * @return {@code file}
   * @throws InvalidInputException if it does not exist, is a directory or cannot be read
   */
  public static Path requireReadable(Path file, String role) {
    if (!Files.exists(file)) {
      throw new InvalidInputException(role + " file " + file + " does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(
          role + " file " + file + " is not a regular file; expected a file to read");
    }
    if (!Files.isReadable(file)) {
      throw new InvalidInputException(
          role + " file " + file + " cannot be read (permission denied)");
    }
    return file;
  }

  /**
   * Reads a {@code .npy} file the user named.
   *
   * @param file the path given by the user
   * @param role what the file is for, e.g. {@code "input"}
   * @return the array
   * @throws InvalidInputException if the file is missing, unreadable, or declares a shape whose
   *     size overflows
   * @throws io.heimdall.npy.NpyFormatException if it is not a supported {@code .npy} array
   * @throws IOException if reading fails
   */
  public static NpyArray readNpy(Path file, String role) throws IOException {
    requireReadable(file, role);
    try {
      return Npy.read(file);
    } catch (ArithmeticException overflow) {
      // The reader multiplies the header's dimensions exactly; only a shape far beyond what it
      // can hold overflows, e.g. (2^31, 2^31) of float32 is 2^64 bytes.
      throw new InvalidInputException(
          role
              + " file "
              + file
              + ": the element count of its shape overflows a 64-bit byte size; the largest"
              + " supported array is "
              + MAX_NPY_BYTES
              + " bytes ("
              + MAX_NPY_BYTES / Float.BYTES
              + " float32 elements)",
          overflow);
    }
  }
}
