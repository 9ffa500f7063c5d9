package io.heimdall.cli;

import io.heimdall.dsp.ComplexSignal;
import io.heimdall.dsp.IqFile;
import io.heimdall.dsp.IqFormat;
import io.heimdall.dsp.IqMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heimdall iq}: the signal metrics of one IQ recording, as one JSON object on stdout. */
@Command(
    name = "iq",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the signal metrics of an IQ recording as JSON: sample_rate_hz, samples,",
      "frequency_offset_hz, snr_db, power_dbfs."
    })
public final class IqCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--input", required = true, paramLabel = "REC", description = "The recording.")
  Path input;

  @Option(
      names = "--sample-rate",
      required = true,
      paramLabel = "HZ",
      description = "Sample rate in Hz.")
  double sampleRate;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "cs16, cu8, cs8, cf32 (or c64, npy). Default: from the file extension.")
  String format;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(input)) {
      throw new IllegalArgumentException("no such input file: " + input);
    }
    IqFormat iqFormat = format == null ? IqFormat.fromFileName(input) : IqFormat.named(format);
    ComplexSignal signal = IqFile.read(input, iqFormat);
    IqMetrics metrics = IqMetrics.compute(signal, sampleRate);
    spec.commandLine().getOut().println(toJson(metrics));
    return 0;
  }

  static String toJson(IqMetrics metrics) {
    return String.format(
        Locale.ROOT,
        "{\"sample_rate_hz\":%s,\"samples\":%d,\"frequency_offset_hz\":%s,\"snr_db\":%s,"
            + "\"power_dbfs\":%s}",
        number(metrics.sampleRateHz()),
        metrics.samples(),
        number(metrics.frequencyOffsetHz()),
        number(metrics.snrDb()),
        number(metrics.powerDbfs()));
  }

  /** A JSON number: metrics are always finite (silence is floored, not -Infinity). */
  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
