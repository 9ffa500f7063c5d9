package io.heimdall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HeimdallCliTest {

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = HeimdallCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsTheCommandsOnStdout() {
    Run run = run("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: heimdall").contains("help");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void versionNamesTheToolAndTheJvm() {
    Run run = run("--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("heimdall ")
        .contains("Java " + System.getProperty("java.version"));
  }

  @Test
  void unknownCommandIsBadInput() {
    Run run = run("no-such-command");
    assertThat(run.exitCode()).isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err()).contains("no-such-command");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void badOptionValueIsOneLineOfBadInput() {
    Run run = run("inspect", "--model", "m.onnx", "--no-such-option");
    assertThat(run.exitCode()).isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err().strip())
        .doesNotContain("\n")
        .contains("heimdall inspect: ")
        .contains("--no-such-option")
        .endsWith("(see 'heimdall inspect --help')");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void atomicOutputLeavesNothingWhenTheWriterFails(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("out.npy");
    try {
      AtomicOutput.write(
          target,
          file -> {
            Files.writeString(file, "half");
            throw new java.io.IOException("disk full");
          });
    } catch (java.io.IOException expected) {
      assertThat(expected).hasMessage("disk full");
    }
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
    AtomicOutput.write(target, file -> Files.writeString(file, "whole"));
    assertThat(Files.readString(target)).isEqualTo("whole");
  }
}
