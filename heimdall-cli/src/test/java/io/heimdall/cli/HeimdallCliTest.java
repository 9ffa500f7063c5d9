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
    return run(HeimdallCli.commandLine(), args);
  }

  static Run run(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
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
      assertThat(expected).hasMessage("cannot write output file " + target + ": disk full");
    }
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
    AtomicOutput.write(target, file -> Files.writeString(file, "whole"));
    assertThat(Files.readString(target)).isEqualTo("whole");
  }

  /** A command that fails the way a real one would, to drive the tool's one error mapping. */
  @CommandLine.Command(name = "fail")
  static final class Failing implements java.util.concurrent.Callable<Integer> {
    private final Exception failure;

    Failing(Exception failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() throws Exception {
      throw failure;
    }
  }

  static Run runFailing(Exception failure, String... args) {
    CommandLine cli = HeimdallCli.commandLine();
    cli.addSubcommand(new Failing(failure));
    String[] all = new String[args.length + 1];
    all[0] = "fail";
    System.arraycopy(args, 0, all, 1, args.length);
    return run(cli, all);
  }

  @Test
  void environmentFailuresExitOneAndBadInputTwoEachWithOneLine() {
    Object[][] cases = {
      {new io.heimdall.HeimdallException("redis://localhost:1 is unreachable"), 1},
      {new java.io.IOException("/data: Input/output error"), 1},
      {new java.io.UncheckedIOException(new java.io.IOException("disk failed")), 1},
      {new IllegalStateException("pool is closed"), 1},
      {new io.heimdall.InvalidInputException("--signals must be 1..1000000, got 0"), 2},
      {new java.util.concurrent.CompletionException(
          new io.heimdall.InvalidInputException("bad task")), 2},
    };
    for (Object[] c : cases) {
      Exception failure = (Exception) c[0];
      Run run = runFailing(failure);
      assertThat(run.exitCode()).as("%s", failure).isEqualTo(c[1]);
      assertThat(run.err())
          .as("%s", failure)
          .isEqualTo("heimdall fail: " + CliErrors.message(failure) + "\n")
          .doesNotContain("\tat ");
      assertThat(CliErrors.exitCode(failure)).isEqualTo(c[1]);
    }
    assertThat(CliErrors.message(new io.heimdall.HeimdallException("two\nlines")))
        .isEqualTo("two lines");
  }

  @Test
  void verbosePrintsTheStackTraceBeforeTheLine() {
    Run run = runFailing(new io.heimdall.HeimdallException("database down"), "--verbose");
    assertThat(run.exitCode()).isEqualTo(CliErrors.EXIT_FAILURE);
    assertThat(run.err()).contains("\tat ").endsWith("heimdall fail: database down\n");
  }

  @Test
  void atomicOutputErrorsNameTheTargetNotTheTemporaryFile(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("out.npy");
    java.io.IOException failure =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.io.IOException.class,
            () ->
                AtomicOutput.write(
                    target,
                    file -> {
                      Files.writeString(file, "half");
                      throw new java.nio.file.FileSystemException(
                          file.toString(), null, "No space left on device");
                    }));
    assertThat(failure.getMessage())
        .isEqualTo("cannot write output file " + target + ": No space left on device")
        .doesNotContain(".part");
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
