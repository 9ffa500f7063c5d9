package io.heimdall.cache;

import static io.heimdall.cache.Await.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Nothing the cache starts may keep a JVM alive. */
@Timeout(60)
class ThreadsTest {

  @Test
  void threadsStartedForRedisAreDaemonsAndStopOnClose() throws Exception {
    try (RedisFixture server = RedisFixture.start()) {
      Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
      HeimdallCache<String> cache =
          HeimdallCache.builder(String.class)
              .namespace("threads")
              .ttl(Duration.ofMinutes(1))
              .redis(server.uri())
              .build();
      cache.wrap((String s) -> s).apply("Torino");
      Set<Thread> started =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> !before.contains(t))
              .collect(Collectors.toSet());
      assertThat(started).as("threads started by the Redis tier").isNotEmpty();
      assertThat(started).filteredOn(t -> !t.isDaemon()).as("non-daemon threads").isEmpty();
      cache.close();
      awaitTrue(
          () -> started.stream().noneMatch(t -> t.isAlive() && t.getName().startsWith("lettuce")));
    }
  }

  @Test
  void aJvmUsingACacheItNeverClosedStillExits() throws Exception {
    try (RedisFixture server = RedisFixture.start()) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Path log = Files.createTempFile("heimdall-exit-", ".log");
      Process child =
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  UnclosedCacheMain.class.getName(),
                  server.uri())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean exited = child.waitFor(30, TimeUnit.SECONDS);
      if (!exited) {
        child.destroyForcibly();
      }
      assertThat(exited).as("child JVM exited; output: %s", Files.readString(log)).isTrue();
      assertThat(child.exitValue()).isZero();
      assertThat(Files.readAllLines(log)).contains("answered Torino, Redis connected: true");
      Files.delete(log);
    }
  }

  /** Builds a Redis-backed cache, uses it and returns from main with its connections still open. */
  public static final class UnclosedCacheMain {
    public static void main(String[] args) {
      HeimdallCache<String> cache =
          HeimdallCache.builder(String.class)
              .namespace("exit")
              .ttl(Duration.ofMinutes(1))
              .redis(args[0])
              .build();
      System.out.println(
          "answered "
              + cache.wrap((String s) -> s).apply("Torino")
              + ", Redis connected: "
              + cache.isRedisConnected());
    }
  }
}
