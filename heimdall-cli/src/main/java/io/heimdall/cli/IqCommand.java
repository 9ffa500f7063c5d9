package io.heimdall.cli;

import io.heimdall.dsp.IqMetrics;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin IqInputOptions recording;

  /** Creates the command; picocli sets its options. */
  public IqCommand() {}

  /**
   * Reads the recording and prints its metrics.
   *
   * @return {@value CliErrors#EXIT_OK}
   * @throws IOException if reading the recording fails
   */
  @Override
  public Integer call() throws IOException {
    IqMetrics metrics = IqMetrics.compute(recording.read(), recording.sampleRate());
    spec.commandLine().getOut().println(toJson(metrics));
    return CliErrors.EXIT_OK;
  }

  /** The metrics as one JSON line; they are always finite (silence is floored, not -Infinity). */
  static String toJson(IqMetrics metrics) {
    return JsonWriter.object()
        .field("sample_rate_hz", metrics.sampleRateHz())
        .field("samples", metrics.samples())
        .field("frequency_offset_hz", metrics.frequencyOffsetHz())
        .field("snr_db", metrics.snrDb())
        .field("power_dbfs", metrics.powerDbfs())
        .toString();
  }
}
