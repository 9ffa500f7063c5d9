package io.heimdall.cli;

import io.heimdall.HeimdallException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops the demo's embedded servers if the demo's JVM dies without running its shutdown hooks
 * (SIGKILL, an OOM kill). PostgreSQL runs detached from the JVM (pg_ctl starts it as a daemon), so
 * without this it would outlive the JVM with its data directory under the temporary directory.
 *
 * <p>The watchdog is a small shell process in its own session: it polls the JVM's PID, and once the
 * JVM is gone it sends the postmaster SIGQUIT (an immediate shutdown, what {@code pg_ctl stop -m
 * immediate} sends), SIGKILLs it if it is still there after 10 s, deletes the data directory and
 * stops Redis. Closing the watchdog (the demo's normal end) kills the shell only.
 */
final class OrphanWatchdog implements AutoCloseable {
  private static final String SCRIPT =
      String.join(
          "\n",
          "jvm=$1; pm=$2; data=$3; redis=$4",
          "alive() { [ -e /proc/$1 ] && [ \"$(cut -d' ' -f3 /proc/$1/stat 2>/dev/null)\" != Z ]; }",
          "while alive $jvm; do sleep 0.5; done",
          "if [ \"$redis\" -gt 0 ]; then kill -TERM $redis 2>/dev/null; fi",
          "if [ \"$pm\" -gt 0 ]; then",
          "  kill -QUIT $pm 2>/dev/null",
          "  i=0; while alive $pm && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done",
          "  kill -KILL $pm 2>/dev/null",
          "fi",
          "case \"$data\" in */epg*) rm -rf \"$data\" ;; esac");

  private final Process shell;

  private OrphanWatchdog(Process shell) {
    this.shell = shell;
  }

  /**
   * Starts watching this JVM on behalf of an embedded PostgreSQL and, optionally, Redis.
   *
   * @param postgresUrl JDBC URL of the embedded server (superuser), to ask for its data directory
   * @param redisPid the embedded Redis's PID, or 0 for none
   * @return the watchdog; close it before stopping the servers normally
   * @throws HeimdallException if the server's data directory or postmaster cannot be found
   */
  static OrphanWatchdog start(String postgresUrl, long redisPid) {
    Path dataDir = dataDirectory(postgresUrl);
    long postmaster = postmasterPid(dataDir);
    List<String> command = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute()) {
      command.add("/usr/bin/setsid"); // its own session: a Ctrl-C to the demo's group spares it
    }
    command.addAll(
        List.of(
            "/bin/sh",
            "-c",
            SCRIPT,
            "heimdall-watchdog",
            Long.toString(ProcessHandle.current().pid()),
            Long.toString(postmaster),
            dataDir.toString(),
            Long.toString(redisPid)));
    try {
      Process shell =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      return new OrphanWatchdog(shell);
    } catch (IOException e) {
      throw new HeimdallException(
          "cannot start the watchdog of the embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** The data directory of the server at {@code url}, as the server reports it. */
  static Path dataDirectory(String url) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW data_directory")) {
      rs.next();
      return Path.of(rs.getString(1));
    } catch (SQLException e) {
      throw new HeimdallException(
          "cannot read the embedded PostgreSQL's data directory: " + e.getMessage(), e);
    }
  }

  /** The postmaster's PID: the first line of {@code postmaster.pid} in the data directory. */
  static long postmasterPid(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    try {
      return Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
    } catch (IOException | RuntimeException e) {
      throw new HeimdallException("cannot read the postmaster's PID from " + pidFile, e);
    }
  }

  /** Stops watching (the servers are being stopped normally); idempotent. */
  @Override
  public void close() {
    shell.destroy();
  }
}
