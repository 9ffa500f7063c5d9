package io.heimdall.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IqCommandTest {

  @TempDir Path dir;

  /** A cs16 recording of a tone at {@code hz} with amplitude {@code amplitude} of full scale. */
  Path cs16Tone(String name, double hz, double amplitude, double fs, int n) throws Exception {
    ByteBuffer bytes = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < n; i++) {
      double phase = 2 * Math.PI * hz * i / fs;
      bytes.putShort(
          (short)
              Math.round(32767 * (amplitude * Math.cos(phase) + 0.001 * random.nextGaussian())));
      bytes.putShort(
          (short)
              Math.round(32767 * (amplitude * Math.sin(phase) + 0.001 * random.nextGaussian())));
    }
    return Files.write(dir.resolve(name), bytes.array());
  }

  static double field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(-?[0-9.E-]+)").matcher(json);
    assertThat(m.find()).as("field %s in %s", name, json).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void printsTheMetricsAsJson() throws Exception {
    Path rec = cs16Tone("rec.cs16", -4_000, 0.5, 48_000, 48_000);
    HeimdallCliTest.Run run =
        HeimdallCliTest.run("iq", "--input", rec.toString(), "--sample-rate", "48000");
    assertThat(run.exitCode()).as(run.err()).isZero();
    String json = run.out().strip();
    assertThat(json).startsWith("{").endsWith("}").doesNotContain("\n");
    assertThat(field(json, "sample_rate_hz")).isEqualTo(48_000);
    assertThat(field(json, "samples")).isEqualTo(48_000);
    assertThat(field(json, "frequency_offset_hz")).isCloseTo(-4_000, within(1.0));
    assertThat(field(json, "power_dbfs")).isCloseTo(-6.02, within(0.05));
    assertThat(json).contains("\"snr_db\":");
  }

  @Test
  void formatOptionOverridesTheExtension() throws Exception {
    Path rec = cs16Tone("rec.bin", 1_000, 0.25, 10_000, 5_000);
    HeimdallCliTest.Run run =
        HeimdallCliTest.run(
            "iq", "--input", rec.toString(), "--sample-rate", "10000", "--format", "cs16");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(field(run.out(), "frequency_offset_hz")).isCloseTo(1_000, within(1.0));
    assertThat(field(run.out(), "power_dbfs")).isCloseTo(-12.04, within(0.05));
  }

  @Test
  void badRecordingsExitTwoWithOneLine() throws Exception {
    Path odd = Files.write(dir.resolve("odd.cs16"), new byte[7]);
    HeimdallCliTest.Run run =
        HeimdallCliTest.run("iq", "--input", odd.toString(), "--sample-rate", "48000");
    assertThat(run.exitCode()).isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err()).startsWith("heimdall iq: ").contains("7 bytes, not a multiple of 4");
    assertThat(run.out()).isEmpty();

    Path unknown = Files.write(dir.resolve("rec.iq"), new byte[8]);
    run = HeimdallCliTest.run("iq", "--input", unknown.toString(), "--sample-rate", "48000");
    assertThat(run.exitCode()).isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err()).contains("from its extension");

    run =
        HeimdallCliTest.run(
            "iq", "--input", unknown.toString(), "--sample-rate", "48000", "--format", "s16");
    assertThat(run.err()).contains("unknown IQ format 's16'");

    Path rec = cs16Tone("ok.cs16", 1_000, 0.25, 10_000, 100);
    run = HeimdallCliTest.run("iq", "--input", rec.toString(), "--sample-rate", "-5");
    assertThat(run.exitCode()).isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err()).contains("sample rate must be a finite number > 0, got -5.0");

    run =
        HeimdallCliTest.run(
            "iq", "--input", dir.resolve("absent.cs16").toString(), "--sample-rate", "1000");
    assertThat(run.exitCode()).isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err())
        .isEqualTo("heimdall iq: input file " + dir.resolve("absent.cs16") + " does not exist\n");

    run = HeimdallCliTest.run("iq", "--input", rec.toString());
    assertThat(run.exitCode()).isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err()).contains("--sample-rate");
  }
}
