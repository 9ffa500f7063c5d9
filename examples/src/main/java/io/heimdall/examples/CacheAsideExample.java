package io.heimdall.examples;

import io.heimdall.cache.CacheStats;
import io.heimdall.cache.CachedFunction;
import io.heimdall.cache.HeimdallCache;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * Cache-aside: wrap a slow loader (a stand-in for a 20 ms database read) and read through the
 * cache. With a Redis URI the values are shared by every JVM that uses it; without one, or when
 * Redis is down, the local Caffeine tier and the loader answer (fail-open).
 *
 * <pre>
 * java -cp examples/target/heimdall-examples.jar io.heimdall.examples.CacheAsideExample [redis://host:6379]
 * </pre>
 */
public final class CacheAsideExample {

  private CacheAsideExample() {}

  /** Runs the example; {@code args[0]} is an optional Redis URI. */
  public static void main(String[] args) {
    run(System.out, args.length > 0 ? args[0] : null);
  }

  /** Reads 50 keys twice through the cache and prints miss and hit latency. */
  public static void run(PrintStream out, String redisUri) {
    HeimdallCache.Builder<String> builder =
        HeimdallCache.builder(String.class)
            .namespace("example-stations")
            .ttl(Duration.ofMinutes(5));
    if (redisUri != null) {
      builder.redis(redisUri);
    }
    try (HeimdallCache<String> cache = builder.build()) {
      CachedFunction<Integer, String> station = cache.wrap(CacheAsideExample::slowLookup);
      long misses = timeReads(station);
      long hits = timeReads(station);
      CacheStats stats = cache.stats();
      out.printf(
          Locale.ROOT,
          "first pass (loads) %d ms, second pass (cached) %d ms for 50 reads%n",
          misses / 1_000_000,
          hits / 1_000_000);
      out.printf(
          Locale.ROOT,
          "hits %d, misses %d, Redis %s%n",
          stats.hits(),
          stats.misses(),
          redisUri == null
              ? "not configured"
              : cache.isRedisConnected() ? "connected" : "unreachable (fail-open)");
      station.invalidate(7);
      out.println("after invalidate(7): " + station.apply(7) + " (reloaded)");
    }
  }

  private static long timeReads(Function<Integer, String> station) {
    long start = System.nanoTime();
    for (int id = 0; id < 50; id++) {
      station.apply(id);
    }
    return System.nanoTime() - start;
  }

  private static String slowLookup(int id) {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return "station-" + id;
  }
}
