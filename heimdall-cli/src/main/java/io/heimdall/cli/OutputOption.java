package io.heimdall.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --output FILE}: where a command writes its result. A command adds it as a field
 * {@code @Mixin OutputOption output;} and writes through {@link AtomicOutput}, so the file is
 * replaced all or nothing, an existing read-only file is refused (exit 2) and a new file honours the umask. The
 * option is required; the command's description says what the file holds.
 */
public final class OutputOption {

  @Option(
      names = "--output",
      required = true,
      paramLabel = "OUT",
      description =
          "Output file. Replaced only when the command succeeds; an existing read-only file is"
              + " refused.")
  Path output;

  /** Creates the option; picocli sets it. */
  public OutputOption() {}

  /**
   * The output file as the user gave it.
   *
   * @return the path, relative or absolute
   */
  public Path path() {
    return output;
  }
}
