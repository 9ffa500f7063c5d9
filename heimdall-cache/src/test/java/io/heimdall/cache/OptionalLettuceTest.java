package io.heimdall.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lettuce is an optional dependency: a child JVM whose class path has no Lettuce, Netty or Reactor
 * runs a local-only cache, and configuring Redis there fails at build() naming the artifact.
 */
@Timeout(60)
class OptionalLettuceTest {

  private static final List<String> REDIS_CLIENT_JARS = List.of("lettuce", "netty", "reactor");

  @Test
  void aLocalOnlyCacheRunsWithoutLettuceAndRedisAsksForIt() throws Exception {
    String full =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> all = Arrays.asList(full.split(File.pathSeparator));
    assertThat(all)
        .as("the test class path has Lettuce to remove")
        .anyMatch(e -> e.contains("lettuce"));
    String withoutLettuce =
        all.stream()
            .filter(
                entry ->
                    REDIS_CLIENT_JARS.stream().noneMatch(name -> jarName(entry).contains(name)))
            .collect(Collectors.joining(File.pathSeparator));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(java, "-cp", withoutLettuce, WithoutLettuceMain.class.getName())
            .redirectErrorStream(true);
    builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
    Process child = builder.start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(output)
        .contains("lettuce absent: true")
        .contains("local: value-7 value-7 loads=1 after invalidate: value-7 loads=2")
        .contains(
            "redis: MissingDependencyException io.lettuce:lettuce-core:"
                + " redis(\"redis://127.0.0.1:6379\") needs the Redis client"
                + " io.lettuce:lettuce-core on the class path");
    assertThat(child.exitValue()).as(output).isZero();
  }

  private static String jarName(String entry) {
    return Path.of(entry).getFileName().toString();
  }

  /** Runs in the child JVM: a local-only cache, then a Redis one. */
  public static final class WithoutLettuceMain {
    /**
     * Prints what happened.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
      boolean absent;
      try {
        Class.forName("io.lettuce.core.RedisClient");
        absent = false;
      } catch (ClassNotFoundException e) {
        absent = true;
      }
      System.out.println("lettuce absent: " + absent);
      int[] loads = {0};
      try (HeimdallCache<String> cache =
          HeimdallCache.builder(String.class)
              .namespace("plain")
              .ttl(Duration.ofMinutes(1))
              .build()) {
        CachedFunction<Integer, String> get =
            cache.wrap(
                id -> {
                  loads[0]++;
                  return "value-" + id;
                });
        String first = get.apply(7);
        String second = get.apply(7);
        int before = loads[0];
        get.invalidate(7);
        System.out.println(
            "local: "
                + first
                + " "
                + second
                + " loads="
                + before
                + " after invalidate: "
                + get.apply(7)
                + " loads="
                + loads[0]);
      }
      try {
        HeimdallCache.builder(String.class)
            .namespace("shared")
            .ttl(Duration.ofMinutes(1))
            .redis("redis://127.0.0.1:6379")
            .build();
        System.out.println("redis: built without Lettuce");
      } catch (MissingDependencyException e) {
        System.out.println(
            "redis: MissingDependencyException " + e.artifact() + ": " + e.getMessage());
      }
    }
  }
}
