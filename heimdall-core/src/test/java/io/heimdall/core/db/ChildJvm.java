package io.heimdall.core.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real second JVM running {@link ChildMain} on this test's class path, so that tests can kill a
 * worker with SIGKILL or race two processes. Its stdout is read line by line on a daemon thread;
 * its stderr goes to a file that failures quote.
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Path stderr;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private ChildJvm(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException closed) {
                // the child died: nothing more to read
              }
            },
            "child-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code java -cp <this class path> io.heimdall.core.db.ChildMain args...}. */
  static ChildJvm start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ChildMain.class.getName());
    command.addAll(List.of(args));
    Path stderr = Files.createTempFile("heimdall-child", ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
    // Every JVM of ours that may load ONNX Runtime runs with its telemetry off; set it here too.
    builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
    return new ChildJvm(builder.start(), stderr);
  }

  /**
   * Waits for the next stdout line that starts with {@code prefix}, skipping others.
   *
   * @return the line
   * @throws AssertionError if the child exits or the time runs out first
   */
  String await(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : lines.poll(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line;
      }
      if (line == null && (left <= 0 || (!process.isAlive() && lines.isEmpty()))) {
        throw new AssertionError(
            "child printed no line starting with '"
                + prefix
                + "' (alive: "
                + process.isAlive()
                + "); its stderr:\n"
                + stderrText());
      }
    }
  }

  /** Kills the child with SIGKILL and waits for it to die. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Waits for the child to exit by itself and returns its exit code. */
  int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("child still running after " + timeout + "; stderr:\n" + stderrText());
    }
    return process.exitValue();
  }

  String stderrText() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    Files.deleteIfExists(stderr);
  }
}
