package io.heimdall.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heimdall.InvalidInputException;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {

  @Test
  void readsTheShortFormsAndIso8601() {
    assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationConverter.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(DurationConverter.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationConverter.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(DurationConverter.parse("0s")).isEqualTo(Duration.ZERO);
    assertThat(DurationConverter.parse("PT10S")).isEqualTo(Duration.ofSeconds(10));
    assertThat(DurationConverter.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void anythingElseSaysWhatIsAccepted() {
    for (String bad : new String[] {"10", "-5s", "ten", "5 sec", "PT-1S", "", "99999999999d"}) {
      assertThatThrownBy(() -> DurationConverter.parse(bad))
          .as("'%s'", bad)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("'" + bad + "'");
    }
    assertThatThrownBy(() -> DurationConverter.parse("10"))
        .hasMessage(
            "cannot read duration '10'; expected a number with a unit (500ms, 10s, 2m, 1h, 1d)"
                + " or ISO-8601 (PT10S)");
  }

  @CommandLine.Command(name = "wait")
  static final class WaitCommand implements Callable<Integer> {
    @CommandLine.Option(names = "--lease", converter = DurationConverter.class)
    Duration lease;

    @Override
    public Integer call() {
      return (int) lease.toSeconds();
    }
  }

  @Test
  void onAnOptionABadValueIsOneLineOfBadInput() {
    CommandLine cli = HeimdallCli.commandLine();
    cli.addSubcommand(new WaitCommand());
    assertThat(HeimdallCliTest.run(cli, "wait", "--lease", "2m").exitCode()).isEqualTo(120);
    HeimdallCliTest.Run bad = HeimdallCliTest.run(cli, "wait", "--lease", "2 minutes");
    assertThat(bad.exitCode()).isEqualTo(CliErrors.EXIT_BAD_INPUT);
    assertThat(bad.err().strip())
        .startsWith("heimdall wait: ")
        .contains("cannot read duration '2 minutes'")
        .doesNotContain("\n");
  }
}
