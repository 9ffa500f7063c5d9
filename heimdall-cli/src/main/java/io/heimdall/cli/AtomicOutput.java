package io.heimdall.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a command's output file so that a failure leaves nothing behind: the content goes to a
 * temporary file beside the target, which replaces the target only once it is complete.
 */
public final class AtomicOutput {

  /** Writes the content of one file. */
  @FunctionalInterface
  public interface Writer {
    void write(Path file) throws IOException;
  }

  private AtomicOutput() {}

  /** Runs {@code writer} on a temporary file and moves it to {@code target} when it succeeds. */
  public static void write(Path target, Writer writer) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new IOException("output directory does not exist: " + dir);
    }
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".part");
    try {
      writer.write(temp);
      Files.move(
          temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
