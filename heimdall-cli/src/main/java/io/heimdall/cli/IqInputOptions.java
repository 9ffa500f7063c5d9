package io.heimdall.cli;

import io.heimdall.InvalidInputException;
import io.heimdall.dsp.ComplexSignal;
import io.heimdall.dsp.IqFile;
import io.heimdall.dsp.IqFormat;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --input REC --sample-rate HZ [--format cs16|cu8|cs8|cf32|npy]}: one IQ recording, read
 * by heimdall-dsp's {@link IqFile}. A command adds it as a field {@code @Mixin IqInputOptions
 * recording;} and calls {@link #read()} and {@link #sampleRate()}. The format defaults to the one
 * the file extension names; an unknown format, a missing file or a malformed recording is bad input
 * (exit 2).
 */
public final class IqInputOptions {

  @Option(names = "--input", required = true, paramLabel = "REC", description = "The recording.")
  Path input;

  @Option(
      names = "--sample-rate",
      required = true,
      paramLabel = "HZ",
      description = "Sample rate of the recording in Hz.")
  double sampleRate;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      description = "cs16, cu8, cs8, cf32 (or c64, npy). Default: from the file extension.")
  IqFormat format;

  /** Creates the options; picocli sets them. */
  public IqInputOptions() {}

  /**
   * The recording's path as the user gave it.
   *
   * @return the path
   */
  public Path input() {
    return input;
  }

  /**
   * The sample rate given; the DSP code that uses it checks that it is positive and finite.
   *
   * @return samples per second
   */
  public double sampleRate() {
    return sampleRate;
  }

  /**
   * The sample format: {@code --format}, else the one the file extension names.
   *
   * @return the format
   * @throws InvalidInputException if neither names a known format
   */
  public IqFormat format() {
    return format != null ? format : IqFormat.fromFileName(input);
  }

  /**
   * Reads the whole recording.
   *
   * @return its samples, scaled to ±1 full scale
   * @throws InvalidInputException if the file is missing, of unknown format or malformed
   * @throws IOException if reading fails
   */
  public ComplexSignal read() throws IOException {
    InputFiles.requireReadable(input, "input");
    return IqFile.read(input, format());
  }

  /** Parses {@code --format} with heimdall-dsp's names and message. */
  static final class FormatConverter implements CommandLine.ITypeConverter<IqFormat> {
    @Override
    public IqFormat convert(String value) {
      try {
        return IqFormat.named(value);
      } catch (IllegalArgumentException | InvalidInputException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
