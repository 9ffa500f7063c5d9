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
   * @throws InvalidInputException if the file is missing or unreadable, or not a supported {@code
   *     .npy} array ({@link io.heimdall.npy.NpyFormatException})
   * @throws IOException if reading fails
   */
  public static NpyArray readNpy(Path file, String role) throws IOException {
    return Npy.read(requireReadable(file, role));
  }
}
