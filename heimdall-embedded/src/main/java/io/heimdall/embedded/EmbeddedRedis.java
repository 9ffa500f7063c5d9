package io.heimdall.embedded;

import io.heimdall.HeimdallException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} 6.2 on a free loopback port, for tests, benchmarks, examples and the
 * demo. No system Redis is needed: the server binary comes from the {@code
 * com.github.codemonstur:embedded-redis} jar (Linux amd64/arm64, macOS amd64/arm64), is copied to a
 * private temporary directory and run as a child process, so callers get its pid and can stop,
 * pause and restart it.
 *
 * <pre>{@code
 * try (EmbeddedRedis redis = EmbeddedRedis.start()) {
 *   String uri = redis.uri(); // redis://127.0.0.1:PORT
 * }
 * }</pre>
 *
 * <p>The server keeps no data on disk ({@code --save ""}, no AOF). {@link #close()} kills it and
 * deletes its directory; a JVM shutdown hook does the same for instances never closed, so the
 * process does not outlive a JVM that exits normally or on SIGTERM (nothing can run on SIGKILL).
 * Instances are thread-safe.
 */
public final class EmbeddedRedis implements AutoCloseable {

  private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final int PORT_ATTEMPTS = 5;

  private final int port;
  private final Path directory;
  private final Path executable;
  private final Thread shutdownHook;
  private Process process;
  private boolean closed;

  private EmbeddedRedis(int port, Path directory, Path executable) {
    this.port = port;
    this.directory = directory;
    this.executable = executable;
    this.shutdownHook = new Thread(this::destroyQuietly, "embedded-redis-" + port + "-cleanup");
  }

  /**
   * Extracts the server for this platform and starts it on a free loopback port, waiting until it
   * answers {@code PING}.
   *
   * @return the running server, the caller's to close
   * @throws HeimdallException if the platform has no bundled binary, or the server does not start
   *     within 10 s (the message includes its log)
   */
  public static EmbeddedRedis start() {
    String resource = RedisBinary.resourceName();
    Path directory = null;
    try {
      directory = Files.createTempDirectory("heimdall-redis-");
      Path executable = RedisBinary.extract(resource, directory);
      HeimdallException last = null;
      // a free port can be taken between probing it and the server binding it: try a few
      for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
        EmbeddedRedis redis = new EmbeddedRedis(freePort(), directory, executable);
        try {
          redis.launch();
          Runtime.getRuntime().addShutdownHook(redis.shutdownHook);
          return redis;
        } catch (HeimdallException e) {
          redis.destroyProcess();
          last = e;
        }
      }
      throw last;
    } catch (IOException e) {
      deleteTree(directory);
      throw new HeimdallException("cannot prepare redis-server in a temporary directory: " + e, e);
    } catch (RuntimeException e) {
      deleteTree(directory);
      throw e;
    }
  }

  /**
   * Returns the URI clients connect to.
   *
   * @return {@code redis://127.0.0.1:PORT}
   */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /**
   * Returns the loopback port, which stays the same across {@link #restart()}.
   *
   * @return the TCP port
   */
  public int port() {
    return port;
  }

  /**
   * Returns the process id of the running server, for fault tests that signal it (SIGSTOP,
   * SIGCONT).
   *
   * @return the pid
   * @throws IllegalStateException if the server is stopped or closed
   */
  public synchronized long pid() {
    requireRunning("pid()");
    return process.pid();
  }

  /**
   * Tells whether the server process is alive.
   *
   * @return {@code true} between a start and a stop or close
   */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Kills the server abruptly (SIGKILL), as a crash would: clients see their connections reset and
   * data is lost. Does nothing if it is already stopped.
   *
   * @throws IllegalStateException if the server was closed
   */
  public synchronized void stop() {
    requireOpen("stop()");
    destroyProcess();
  }

  /**
   * Starts the server again on the same port, empty, waiting until it answers {@code PING}; stops
   * it first if it is running.
   *
   * @throws IllegalStateException if the server was closed
   * @throws HeimdallException if it does not start within 10 s (for example, the port was taken
   *     meanwhile)
   */
  public synchronized void restart() {
    requireOpen("restart()");
    destroyProcess();
    launch();
  }

  /**
   * Freezes the server with SIGSTOP: it keeps its sockets open but answers nothing, like a stalled
   * host. {@link #resume()} undoes it.
   *
   * @throws IllegalStateException if the server is stopped or closed
   * @throws HeimdallException if the signal cannot be sent
   */
  public synchronized void pause() {
    signal("-STOP");
  }

  /**
   * Lets a paused server run again with SIGCONT.
   *
   * @throws IllegalStateException if the server is stopped or closed
   * @throws HeimdallException if the signal cannot be sent
   */
  public synchronized void resume() {
    signal("-CONT");
  }

  /** Kills the server and deletes its temporary directory. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    destroyQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it repeats the same idempotent cleanup
    }
  }

  private void launch() {
    Path log = directory.resolve("redis-" + port + ".log");
    try {
      process =
          new ProcessBuilder(
                  executable.toString(),
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no",
                  "--daemonize",
                  "no",
                  "--dir",
                  directory.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new HeimdallException("cannot run " + executable + ": " + e, e);
    }
    long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new HeimdallException(
            "redis-server on port "
                + port
                + " exited with "
                + process.exitValue()
                + ": "
                + readLog(log));
      }
      if (answersPing(port)) {
        return;
      }
      sleep(10);
    }
    throw new HeimdallException(
        "redis-server did not answer PING on port " + port + " within 10 s: " + readLog(log));
  }

  private void signal(String signal) {
    requireRunning(signal.equals("-STOP") ? "pause()" : "resume()");
    try {
      Process kill =
          new ProcessBuilder("kill", signal, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        kill.destroyForcibly();
        throw new HeimdallException("kill " + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new HeimdallException("cannot run kill " + signal + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HeimdallException("interrupted while sending " + signal, e);
    }
  }

  private synchronized void destroyProcess() {
    if (process == null) {
      return;
    }
    process.destroyForcibly(); // SIGKILL, which also ends a process stopped by SIGSTOP
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  private void destroyQuietly() {
    destroyProcess();
    deleteTree(directory);
  }

  private void requireOpen(String operation) {
    if (closed) {
      throw new IllegalStateException(
          "embedded Redis on port " + port + " is closed: " + operation + " needs an open one");
    }
  }

  private void requireRunning(String operation) {
    requireOpen(operation);
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException(
          "embedded Redis on port " + port + " is stopped: " + operation + " needs it running");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static boolean answersPing(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException notYet) {
      return false;
    }
  }

  private static String readLog(Path log) {
    try {
      String text = Files.readString(log).strip().replace('\n', ' ');
      return text.isEmpty() ? "(empty log)" : text;
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HeimdallException("interrupted while waiting for redis-server", e);
    }
  }

  private static void deleteTree(Path directory) {
    if (directory == null || !Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort: a temporary directory left behind is not worth failing a close for
    }
  }

  /** Which bundled binary runs here, and copying it out of the jar. */
  static final class RedisBinary {

    private RedisBinary() {}

    /** The resource name in the embedded-redis jar for this OS and architecture. */
    static String resourceName() {
      String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
      String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
      boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
      boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
      if (os.contains("linux") && x64) {
        return "redis-server-6.2.6-v5-linux-amd64";
      }
      if (os.contains("linux") && arm64) {
        return "redis-server-6.2.7-linux-arm64";
      }
      if (os.contains("mac") && x64) {
        return "redis-server-6.2.6-v5-darwin-amd64";
      }
      if (os.contains("mac") && arm64) {
        return "redis-server-6.2.6-v5-darwin-arm64";
      }
      throw new HeimdallException(
          "no bundled redis-server for os.name '"
              + os
              + "' and os.arch '"
              + arch
              + "': expected Linux or macOS on amd64 or arm64");
    }

    /** Copies the binary into {@code directory} and makes it executable. */
    static Path extract(String resource, Path directory) throws IOException {
      Path target = directory.resolve("redis-server");
      try (InputStream in = EmbeddedRedis.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new HeimdallException(
              "resource "
                  + resource
                  + " is missing: expected com.github.codemonstur:embedded-redis 1.4.3 on the"
                  + " class path");
        }
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      if (!target.toFile().setExecutable(true, true)) {
        throw new IOException("cannot make " + target + " executable");
      }
      return target;
    }
  }
}
