package io.heimdall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bad input to the fleet commands: exit 2 and one line that names the option and the value. */
class FleetCommandsTest {

  @Test
  void unreadableDurationIsBadInputNamingTheAcceptedForms() {
    HeimdallCliTest.Run run =
        HeimdallCliTest.run("worker", "--db-url", "jdbc:postgresql://h/db", "--lease", "10x");
    assertThat(run.exitCode()).isEqualTo(CliErrors.EXIT_BAD_INPUT);
    assertThat(run.err().strip())
        .doesNotContain("\n")
        .contains("--lease")
        .contains("10x")
        .contains("500ms, 10s, 2m");
  }

  @Test
  void leaseOutsideItsRangeIsBadInput() {
    HeimdallCliTest.Run run =
        HeimdallCliTest.run("worker", "--db-url", "jdbc:postgresql://h/db", "--lease", "500ms");
    assertThat(run.exitCode()).isEqualTo(CliErrors.EXIT_BAD_INPUT);
    assertThat(run.err().strip())
        .isEqualTo("heimdall worker: --lease must be between 1s and 24h, got PT0.5S");
  }

  @Test
  void nonPostgresUrlIsBadInputWithItsPasswordHidden() {
    HeimdallCliTest.Run run =
        HeimdallCliTest.run("status", "--db-url", "jdbc:mysql://h/db?user=u&password=s3cret");
    assertThat(run.exitCode()).isEqualTo(CliErrors.EXIT_BAD_INPUT);
    assertThat(run.err()).contains("PostgreSQL JDBC URL").doesNotContain("s3cret");
  }

  @Test
  void submitNeedsExactlyOneKindOfTask() {
    HeimdallCliTest.Run neither =
        HeimdallCliTest.run("submit", "--db-url", "jdbc:postgresql://h/db");
    assertThat(neither.exitCode()).isEqualTo(CliErrors.EXIT_BAD_INPUT);
    HeimdallCliTest.Run both =
        HeimdallCliTest.run(
            "submit", "--db-url", "jdbc:postgresql://h/db", "--simulate", "2", "--recordings", "d");
    assertThat(both.exitCode()).isEqualTo(CliErrors.EXIT_BAD_INPUT);
    assertThat(both.err()).contains("mutually exclusive");
  }

  @Test
  void unreachableDatabaseIsAnEnvironmentFailure() {
    HeimdallCliTest.Run run =
        HeimdallCliTest.run(
            "status", "--db-url", "jdbc:postgresql://127.0.0.1:1/db?user=u&password=s3cret");
    assertThat(run.exitCode()).isEqualTo(CliErrors.EXIT_FAILURE);
    assertThat(run.err().strip()).startsWith("heimdall status: ").doesNotContain("\n");
    assertThat(run.err()).doesNotContain("s3cret");
  }
}
