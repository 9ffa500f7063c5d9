package io.heimdall.cache;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real redis-server on a free loopback port, started, stopped and restarted by tests. */
final class RedisServer implements AutoCloseable {

  private static final String EXECUTABLE = "/usr/bin/redis-server";

  private final int port;
  private final Path workDir;
  private Process process;
  private RedisClient rawClient;
  private StatefulRedisConnection<String, byte[]> raw;

  private RedisServer(int port) throws IOException {
    this.port = port;
    this.workDir = Files.createTempDirectory("heimdall-redis-");
  }

  static RedisServer start() throws IOException {
    RedisServer server = new RedisServer(freePort());
    server.startProcess();
    return server;
  }

  /** A server object for a port nothing listens on yet; {@link #restart()} starts it. */
  static RedisServer notStarted() throws IOException {
    return new RedisServer(freePort());
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  /**
   * Sync commands on a plain Lettuce connection (String keys, byte[] values) for checking what the
   * cache wrote.
   */
  synchronized RedisCommands<String, byte[]> raw() {
    if (raw == null) {
      rawClient = RedisClient.create(uri());
      raw = rawClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      raw.setTimeout(Duration.ofSeconds(5));
    }
    return raw.sync();
  }

  /** SIGKILL: the server vanishes without closing anything gracefully. */
  void kill() throws InterruptedException {
    closeRaw();
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGSTOP / SIGCONT: the server keeps its sockets but stops answering. */
  void pause(boolean paused) throws IOException, InterruptedException {
    Process signal =
        new ProcessBuilder("kill", paused ? "-STOP" : "-CONT", Long.toString(process.pid()))
            .start();
    if (!signal.waitFor(10, TimeUnit.SECONDS) || signal.exitValue() != 0) {
      throw new IOException("could not signal redis-server " + process.pid());
    }
  }

  void restart() throws IOException {
    startProcess();
  }

  private void startProcess() throws IOException {
    process =
        new ProcessBuilder(
                EXECUTABLE,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                workDir.toString())
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("redis.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "redis-server exited with "
                + process.exitValue()
                + ": "
                + Files.readString(workDir.resolve("redis.log")));
      }
      if (answersPing()) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for redis-server", e);
      }
    }
    throw new IOException("redis-server did not answer PING on port " + port + " within 10 s");
  }

  private boolean answersPing() {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  private synchronized void closeRaw() {
    if (raw != null) {
      raw.close();
      rawClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      raw = null;
      rawClient = null;
    }
  }

  @Override
  public void close() {
    closeRaw();
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
