package io.heimdall.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.heimdall.cli.HeimdallCli;
import io.heimdall.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;

/**
 * Test support for the fault tests: real {@code heimdall worker} child processes (this test's class
 * path, ONNX Runtime telemetry off) against one database, SQL counts, and polling.
 */
final class Fleet implements AutoCloseable {
  final String url;
  private final List<Child> children = new ArrayList<>();

  Fleet(String url) {
    this.url = url;
  }

  /** A child JVM running {@code heimdall <args>}, its stdout and stderr in one log file. */
  static final class Child {
    final Process process;
    final Path log;

    Child(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    long pid() {
      return process.pid();
    }

    String log() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(log unreadable: " + e.getMessage() + ")";
      }
    }

    /** Waits until the log contains {@code text}. */
    void awaitLog(String text, Duration timeout) throws InterruptedException {
      await(
          "log of pid " + pid() + " to contain '" + text + "'",
          timeout,
          () -> log().contains(text) || !process.isAlive());
      assertThat(log()).as("log of pid %d", pid()).contains(text);
    }

    /** Sends SIGTERM and returns the exit code (waits up to {@code timeout}). */
    int terminate(Duration timeout) throws InterruptedException {
      process.destroy();
      assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
          .as("pid %d exits within %s of SIGTERM; log:%n%s", pid(), timeout, log())
          .isTrue();
      return process.exitValue();
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Starts {@code heimdall args...} in a child JVM. */
  Child start(String... args) throws IOException {
    Child child = startChild(args);
    children.add(child);
    return child;
  }

  static Child startChild(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(HeimdallCli.class.getName());
    command.addAll(List.of(args));
    Path log = Files.createTempFile("heimdall-fleet-", ".log");
    log.toFile().deleteOnExit();
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
    return new Child(builder.start(), log);
  }

  /** Starts a worker with {@code extra} options on this fleet's database. */
  Child worker(String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("worker", "--db-url", url));
    args.addAll(List.of(extra));
    return start(args.toArray(String[]::new));
  }

  /** Runs {@code heimdall args...} in this JVM; returns stdout, failing on a non-zero exit. */
  static String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = HeimdallCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    assertThat(code).as("heimdall %s: %s", String.join(" ", args), err).isZero();
    return out.toString();
  }

  /** Enqueues {@code n} simulated tasks starting at transmission {@code first}. */
  List<String> submit(int n, int first) {
    String out =
        cli("submit", "--db-url", url, "--simulate", Integer.toString(n), "--first", "" + first);
    List<String> ids = out.strip().lines().toList();
    assertThat(ids).hasSize(n);
    return ids;
  }

  /** One number from SQL. */
  long count(String sql) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(sql + ": " + e.getMessage(), e);
    }
  }

  long status(String status) {
    return count("SELECT count(*) FROM tasks WHERE status = '" + status + "'");
  }

  /** Asserts every table holds exactly what {@code n} tasks completed once each should. */
  void assertCompletedExactlyOnce(long n, int receivers) {
    assertThat(status("completed")).as("completed tasks").isEqualTo(n);
    assertThat(count("SELECT count(*) FROM tasks")).as("tasks").isEqualTo(n);
    assertThat(count("SELECT count(*) FROM task_results")).as("results").isEqualTo(n);
    assertThat(count("SELECT count(DISTINCT task_id) FROM task_results"))
        .as("tasks with a result")
        .isEqualTo(n);
    assertThat(count("SELECT count(*) FROM signal_measurements"))
        .as("measurements")
        .isEqualTo(n * receivers);
    assertThat(
            count(
                "SELECT count(*) FROM signal_measurements m JOIN tasks t ON t.id = m.task_id"
                    + " WHERE t.status <> 'completed'"))
        .as("measurements of unfinished tasks")
        .isZero();
    assertThat(
            count(
                "SELECT count(*) FROM (SELECT task_id, station_name FROM signal_measurements"
                    + " GROUP BY 1, 2 HAVING count(*) > 1) d"))
        .as("duplicated measurements")
        .isZero();
  }

  /** Polls {@code done} every 100 ms until it holds; fails after {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  /** A fresh database on {@code postgres}. */
  static Fleet on(EmbeddedPostgres postgres, String name) {
    return new Fleet(postgres.createDatabase(name));
  }

  /** Kills every child still running. */
  @Override
  public void close() throws InterruptedException {
    for (Child child : children) {
      if (child.process.isAlive()) {
        child.kill();
      }
    }
  }
}
