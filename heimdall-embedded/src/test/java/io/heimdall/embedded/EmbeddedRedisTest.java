package io.heimdall.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded server is a real redis-server 6.2 that tests can stop, pause and restart. */
@Timeout(60)
class EmbeddedRedisTest {

  @Test
  void answersRedisCommandsOnItsLoopbackPort() throws IOException {
    try (EmbeddedRedis redis = EmbeddedRedis.start()) {
      assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
      assertThat(command(redis.port(), "PING")).isEqualTo("+PONG");
      assertThat(command(redis.port(), "SET heimdall 42")).isEqualTo("+OK");
      assertThat(command(redis.port(), "GET heimdall")).isEqualTo("$2\r\n42");
      assertThat(command(redis.port(), "INFO server")).contains("redis_version:6.2.");
      assertThat(ProcessHandle.of(redis.pid()).map(ProcessHandle::isAlive)).contains(true);
    }
  }

  @Test
  void restartsEmptyOnTheSamePortAfterAStop() throws IOException {
    try (EmbeddedRedis redis = EmbeddedRedis.start()) {
      int port = redis.port();
      long firstPid = redis.pid();
      command(port, "SET heimdall 1");
      redis.stop();
      assertThat(redis.isRunning()).isFalse();
      assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();
      assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
          .isInstanceOf(IOException.class);
      assertThatThrownBy(redis::pid)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("stopped");
      redis.restart();
      assertThat(redis.port()).isEqualTo(port);
      assertThat(redis.pid()).isNotEqualTo(firstPid);
      assertThat(command(port, "PING")).isEqualTo("+PONG");
      assertThat(command(port, "EXISTS heimdall")).isEqualTo(":0");
    }
  }

  @Test
  void pauseFreezesTheServerAndResumeLetsItAnswer() throws IOException {
    try (EmbeddedRedis redis = EmbeddedRedis.start()) {
      redis.pause();
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), redis.port())) {
        socket.setSoTimeout(300);
        socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> socket.getInputStream().read())
            .isInstanceOf(SocketTimeoutException.class);
        redis.resume();
        socket.setSoTimeout(5000);
        assertThat(new String(socket.getInputStream().readNBytes(7), StandardCharsets.US_ASCII))
            .isEqualTo("+PONG\r\n");
      }
    }
  }

  @Test
  void closeKillsTheProcessAndDeletesItsFilesOnce() throws Exception {
    EmbeddedRedis redis = EmbeddedRedis.start();
    long pid = redis.pid();
    Path directory = binaryDirectory(pid);
    assertThat(directory).isDirectory();
    redis.pause(); // a stopped process must die too
    redis.close();
    redis.close();
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isPresent()) {
      process.get().onExit().get(10, TimeUnit.SECONDS);
    }
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(directory).doesNotExist();
    assertThatThrownBy(redis::restart)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aJvmThatExitsWithoutClosingTakesItsServerDown() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), UnclosedMain.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(output).startsWith("pid ");
    long pid = Long.parseLong(output.strip().split(" ")[1]);
    Optional<ProcessHandle> server = ProcessHandle.of(pid);
    if (server.isPresent()) {
      server.get().onExit().get(10, TimeUnit.SECONDS);
    }
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as(output).isEmpty();
  }

  /** Starts a server and returns from main without closing it: the shutdown hook must. */
  public static final class UnclosedMain {
    /**
     * Prints the server's pid and exits.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
      System.out.println("pid " + EmbeddedRedis.start().pid());
    }
  }

  private static Path binaryDirectory(long pid) {
    String command = ProcessHandle.of(pid).flatMap(p -> p.info().command()).orElseThrow();
    return Path.of(command).getParent();
  }

  /** Sends one inline command and returns the reply without its final CRLF. */
  private static String command(int port, String command) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String first = readLine(in);
      if (!first.startsWith("$") || first.equals("$-1")) {
        return first;
      }
      int length = Integer.parseInt(first.substring(1));
      return first + "\r\n" + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
      line.append((char) c);
    }
    return line.toString().stripTrailing();
  }
}
