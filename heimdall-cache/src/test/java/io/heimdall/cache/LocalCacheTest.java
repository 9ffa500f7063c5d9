package io.heimdall.cache;

import static io.heimdall.cache.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heimdall.InvalidInputException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Behaviour of the local tier alone (no Redis). */
@Timeout(60)
class LocalCacheTest {

  private final FakeTime time = new FakeTime();
  private final AtomicInteger loads = new AtomicInteger();

  private HeimdallCache.Builder<String> builder() {
    return HeimdallCache.builder(String.class)
        .namespace("local-test")
        .ttl(Duration.ofMinutes(10))
        .ttlJitter(0)
        .timeSource(time);
  }

  private CachedFunction<Integer, String> counting(HeimdallCache<String> cache) {
    return cache.wrap(id -> "value-" + id + "-" + loads.incrementAndGet());
  }

  @Test
  void hitsAreServedWithoutTheLoaderUntilTheTtlPasses() {
    try (HeimdallCache<String> cache = builder().build()) {
      CachedFunction<Integer, String> get = counting(cache);
      assertThat(get.apply(1)).isEqualTo("value-1-1");
      assertThat(get.apply(1)).isEqualTo("value-1-1");
      assertThat(get.apply(2)).isEqualTo("value-2-2");
      time.advance(Duration.ofMinutes(10).minusNanos(1));
      assertThat(get.apply(1)).isEqualTo("value-1-1");
      time.advance(Duration.ofNanos(1));
      assertThat(get.apply(1)).isEqualTo("value-1-3");
      CacheStats stats = cache.stats();
      assertThat(stats.localHits()).isEqualTo(2);
      assertThat(stats.localMisses()).isEqualTo(3);
      assertThat(stats.loadSuccesses()).isEqualTo(3);
      assertThat(stats.redisHits() + stats.redisMisses()).isZero();
    }
  }

  @Test
  void jitterShortensLifetimesWithinTheConfiguredFraction() {
    try (HeimdallCache<String> cache = builder().ttlJitter(0.5).build()) {
      CachedFunction<Integer, String> get = counting(cache);
      for (int i = 0; i < 200; i++) {
        get.apply(i);
      }
      time.advance(Duration.ofMinutes(5).minusNanos(1)); // below ttl × (1 − 0.5): all alive
      for (int i = 0; i < 200; i++) {
        get.apply(i);
      }
      assertThat(loads.get()).isEqualTo(200);
      time.advance(
          Duration.ofMinutes(3)); // 8 min: lifetimes 10 × (1 − 0.5u) ≤ 8 for u ≥ 0.4, about 60 %
      for (int i = 0; i < 200; i++) {
        get.apply(i);
      }
      int reloaded = loads.get() - 200;
      assertThat(reloaded).isBetween(85, 155);
      time.advance(
          Duration.ofMinutes(
              2)); // the full ttl: every first entry is gone, every reload lives ≥ 5 min
      for (int i = 0; i < 200; i++) {
        get.apply(i);
      }
      assertThat(loads.get() - 200 - reloaded).isEqualTo(200 - reloaded);
    }
  }

  @Test
  void twoHundredConcurrentMissesLoadOnce() throws Exception {
    try (HeimdallCache<String> cache = builder().timeSource(TimeSource.system()).build()) {
      CountDownLatch release = new CountDownLatch(1);
      CachedFunction<String, String> get =
          cache.wrap(
              key -> {
                loads.incrementAndGet();
                await(release);
                return key.toUpperCase();
              });
      int threads = 200;
      CyclicBarrier start = new CyclicBarrier(threads + 1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return get.apply("torino");
                  }));
        }
        start.await();
        // every caller is either the loader or waiting on it before the load finishes
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cache.stats().localMisses() < threads && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        release.countDown();
        for (Future<String> result : results) {
          assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("TORINO");
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(cache.stats().localMisses()).isEqualTo(threads);
      assertThat(loads.get()).isEqualTo(1);
    }
  }

  @Test
  void loaderExceptionsReachEveryWaiterAndAreNotCached() throws Exception {
    try (HeimdallCache<String> cache = builder().build()) {
      CountDownLatch loading = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      IllegalStateException failure = new IllegalStateException("database is down");
      CachedFunction<Integer, String> get =
          cache.wrap(
              id -> {
                if (loads.incrementAndGet() == 1) {
                  loading.countDown();
                  await(release);
                  throw failure;
                }
                return "recovered";
              });
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<String> first = pool.submit(() -> get.apply(7));
        loading.await();
        Future<String> waiter = pool.submit(() -> get.apply(7));
        while (cache.stats().localMisses() < 2) {
          Thread.sleep(1);
        }
        release.countDown();
        assertThatThrownBy(first::get).hasCause(failure);
        assertThatThrownBy(waiter::get).hasCause(failure);
      } finally {
        pool.shutdownNow();
      }
      assertThat(get.apply(7)).isEqualTo("recovered");
      assertThat(loads.get()).isEqualTo(2);
      assertThat(cache.stats().loadFailures()).isEqualTo(1);
    }
  }

  @Test
  void aLoaderThatThrowsACheckedExceptionSneakilyDoesNotBlockTheKeyForever() throws Exception {
    try (HeimdallCache<String> cache = builder().build()) {
      CachedFunction<Integer, String> get =
          cache.wrap(
              id -> {
                if (loads.incrementAndGet() == 1) {
                  throw LocalCacheTest.<RuntimeException>sneaky(
                      new java.io.IOException("disk gone"));
                }
                return "recovered";
              });
      assertThatThrownBy(() -> get.apply(7))
          .isInstanceOf(java.io.IOException.class)
          .hasMessage("disk gone");
      // the failed single-flight future must be gone, not left to block every later caller
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        assertThat(pool.submit(() -> get.apply(7)).get(5, TimeUnit.SECONDS)).isEqualTo("recovered");
      } finally {
        pool.shutdownNow();
      }
      assertThat(cache.stats().loadFailures()).isEqualTo(1);
    }
  }

  @Test
  void aBulkLoaderThatThrowsACheckedExceptionSneakilyReleasesEveryKey() throws Exception {
    try (HeimdallCache<String> cache = builder().build()) {
      CachedBulkFunction<Integer, String> many =
          cache.wrapAll(
              ids -> {
                if (loads.incrementAndGet() == 1) {
                  throw LocalCacheTest.<RuntimeException>sneaky(new java.io.IOException("gone"));
                }
                return Map.of(1, "one", 2, "two");
              });
      assertThatThrownBy(() -> many.apply(List.of(1, 2))).isInstanceOf(java.io.IOException.class);
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        assertThat(pool.submit(() -> many.apply(List.of(1, 2))).get(5, TimeUnit.SECONDS))
            .containsExactly(Map.entry(1, "one"), Map.entry(2, "two"));
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Throws a checked exception without declaring it, as Kotlin or Lombok's @SneakyThrows do. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable t) throws E {
    throw (E) t;
  }

  @Test
  void notFoundIsNotCachedWithoutANegativeTtl() {
    try (HeimdallCache<String> cache = builder().build()) {
      CachedFunction<Integer, String> get =
          cache.wrap(
              id -> {
                loads.incrementAndGet();
                return null;
              });
      assertThat(get.apply(1)).isNull();
      assertThat(get.apply(1)).isNull();
      assertThat(loads.get()).isEqualTo(2);
    }
  }

  @Test
  void notFoundIsCachedForTheNegativeTtl() {
    try (HeimdallCache<String> cache = builder().negativeTtl(Duration.ofSeconds(30)).build()) {
      CachedFunction<Integer, Optional<String>> find =
          cache.wrapOptional(
              id -> {
                loads.incrementAndGet();
                return id == 1 ? Optional.of("found") : Optional.empty();
              });
      assertThat(find.apply(2)).isEmpty();
      time.advance(Duration.ofSeconds(29));
      assertThat(find.apply(2)).isEmpty();
      assertThat(loads.get()).isEqualTo(1);
      time.advance(Duration.ofSeconds(1));
      assertThat(find.apply(2)).isEmpty();
      assertThat(loads.get()).isEqualTo(2);
      assertThat(find.apply(1)).contains("found");
      time.advance(Duration.ofMinutes(5)); // found values keep the full ttl
      assertThat(find.apply(1)).contains("found");
      assertThat(loads.get()).isEqualTo(3);
    }
  }

  @Test
  void earlyRefreshHappensOnceAheadOfExpiryFollowingXFetch() {
    double[] u = {0.5}; // −ln(0.5) ≈ 0.693: refresh when less than 0.693 × β × δ remains
    try (HeimdallCache<String> cache =
        builder().earlyRefreshBeta(2.0).earlyRefreshRandom(() -> u[0]).build()) {
      CachedFunction<Integer, String> get =
          cache.wrap(
              id -> {
                time.advance(Duration.ofSeconds(10)); // δ = 10 s: window β·δ = 20 s
                return "v" + loads.incrementAndGet();
              });
      assertThat(get.apply(1)).isEqualTo("v1");
      // expiry is at 10 min after the load; 20 s × 0.693 = 13.9 s before it the refresh starts
      time.advance(Duration.ofMinutes(10).minusSeconds(14));
      assertThat(get.apply(1)).isEqualTo("v1");
      assertThat(loads.get()).isEqualTo(1);
      time.advance(Duration.ofSeconds(1)); // 13 s before expiry
      assertThat(get.apply(1)).isEqualTo("v2"); // this caller refreshed
      assertThat(get.apply(1)).isEqualTo("v2"); // the new entry is far from its expiry
      assertThat(loads.get()).isEqualTo(2);
      u[0] = 1.0; // −ln(1) = 0: no early refresh, only real expiry
      time.advance(Duration.ofMinutes(10).minusSeconds(1));
      assertThat(get.apply(1)).isEqualTo("v2");
      time.advance(Duration.ofSeconds(1));
      assertThat(get.apply(1)).isEqualTo("v3");
    }
  }

  @Test
  void onlyOneCallerRefreshesEarlyWhileOthersKeepTheCurrentValue() throws Exception {
    CountDownLatch refreshing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (HeimdallCache<String> cache = builder().earlyRefreshRandom(() -> 1e-9).build()) {
      CachedFunction<Integer, String> get =
          cache.wrap(
              id -> {
                int n = loads.incrementAndGet();
                time.advance(Duration.ofSeconds(1));
                if (n == 2) {
                  refreshing.countDown();
                  await(release);
                }
                return "v" + n;
              });
      get.apply(1);
      time.advance(Duration.ofMinutes(9)); // −ln(1e-9) × 1 s ≈ 20.7 s < 1 min left: no refresh yet
      assertThat(get.apply(1)).isEqualTo("v1");
      time.advance(Duration.ofSeconds(45)); // 15 s left: every read now wants to refresh
      ExecutorService pool = Executors.newFixedThreadPool(9);
      try {
        Future<String> refresher = pool.submit(() -> get.apply(1));
        refreshing.await();
        List<Future<String>> readers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          readers.add(pool.submit(() -> get.apply(1)));
        }
        for (Future<String> reader : readers) {
          assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo("v1");
        }
        release.countDown();
        assertThat(refresher.get(10, TimeUnit.SECONDS)).isEqualTo("v2");
      } finally {
        pool.shutdownNow();
      }
      assertThat(loads.get()).isEqualTo(2);
    }
  }

  @Test
  void failedEarlyRefreshServesTheCurrentValue() {
    try (HeimdallCache<String> cache = builder().earlyRefreshRandom(() -> 1e-9).build()) {
      CachedFunction<Integer, String> get =
          cache.wrap(
              id -> {
                time.advance(Duration.ofSeconds(1));
                if (loads.incrementAndGet() > 1) {
                  throw new IllegalStateException("flaky");
                }
                return "v1";
              });
      get.apply(1);
      time.advance(Duration.ofMinutes(10).minusSeconds(5));
      assertThat(get.apply(1)).isEqualTo("v1");
      assertThat(loads.get()).isEqualTo(2);
      assertThat(cache.stats().loadFailures()).isEqualTo(1);
    }
  }

  @Test
  void twoArgumentLoadersAndInvalidation() {
    try (HeimdallCache<String> cache = builder().build()) {
      CachedBiFunction<String, Integer, String> get =
          cache.wrap(
              (String station, Integer hour) ->
                  station + "@" + hour + "#" + loads.incrementAndGet());
      assertThat(get.apply("a,b", 1)).isEqualTo("a,b@1#1");
      assertThat(get.apply("a", 1)).isEqualTo("a@1#2");
      assertThat(get.apply("a,b", 1)).isEqualTo("a,b@1#1");
      get.invalidate("a,b", 1);
      assertThat(get.apply("a,b", 1)).isEqualTo("a,b@1#3");
      assertThat(get.apply("a", 1)).isEqualTo("a@1#2");
      cache.invalidateAll();
      assertThat(get.apply("a", 1)).isEqualTo("a@1#4");
    }
  }

  @Test
  void bulkLoadsOnlyTheMissingKeysInOneCall() {
    List<Set<Integer>> calls = new ArrayList<>();
    try (HeimdallCache<String> cache = builder().negativeTtl(Duration.ofMinutes(1)).build()) {
      CachedFunction<Integer, String> one = counting(cache);
      CachedBulkFunction<Integer, String> many =
          cache.wrapAll(
              ids -> {
                calls.add(Set.copyOf(ids));
                Map<Integer, String> found = new java.util.HashMap<>();
                ids.stream().filter(id -> id % 2 == 0).forEach(id -> found.put(id, "bulk-" + id));
                return found;
              });
      one.apply(2);
      Map<Integer, String> result = many.apply(List.of(4, 2, 3, 4, 6));
      assertThat(result)
          .containsExactly(
              Map.entry(4, "bulk-4"), Map.entry(2, "value-2-1"), Map.entry(6, "bulk-6"));
      assertThat(calls).containsExactly(Set.of(3, 4, 6));
      assertThat(many.apply(List.of(2, 3, 4, 6))).hasSize(3); // 3 is negatively cached
      assertThat(calls).hasSize(1);
      assertThat(one.apply(6)).isEqualTo("bulk-6");
    }
  }

  @Test
  void bulkLoaderFailurePropagatesAndCachesNothing() {
    try (HeimdallCache<String> cache = builder().build()) {
      CachedBulkFunction<Integer, String> many =
          cache.wrapAll(
              ids -> {
                if (loads.incrementAndGet() == 1) {
                  throw new IllegalStateException("bulk failed");
                }
                return Map.of(1, "one");
              });
      assertThatThrownBy(() -> many.apply(List.of(1))).hasMessage("bulk failed");
      assertThat(many.apply(List.of(1))).containsExactly(Map.entry(1, "one"));
      assertThatThrownBy(() -> many.apply(java.util.Arrays.asList(2, null)))
          .isInstanceOf(UnsupportedKeyException.class)
          .hasMessageContaining("must not be null");
      CachedFunction<Integer, String> one = cache.wrap(id -> "single-" + id);
      assertThat(one.apply(2))
          .isEqualTo("single-2"); // key 2 was not left claimed by the failed call
    }
  }

  @Test
  void sizeEvictionsAndMetricsAreReported() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (HeimdallCache<String> cache = builder().maximumSize(10).meterRegistry(registry).build()) {
      CachedFunction<Integer, String> get = counting(cache);
      for (int i = 0; i < 100; i++) {
        get.apply(i);
      }
      get.apply(99);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (cache.stats().evictions() < 90 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(cache.stats().evictions()).isGreaterThanOrEqualTo(90);
      assertThat(
              registry
                  .get("heimdall.cache.gets")
                  .tags("cache", "local-test", "tier", "local", "result", "hit")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
      assertThat(
              registry
                  .get("heimdall.cache.gets")
                  .tags("tier", "local", "result", "miss")
                  .functionCounter()
                  .count())
          .isEqualTo(100);
      assertThat(registry.get("heimdall.cache.loads").tags("outcome", "success").timer().count())
          .isEqualTo(100);
      assertThat(
              registry
                  .get("heimdall.cache.evictions")
                  .tags("reason", "size")
                  .functionCounter()
                  .count())
          .isGreaterThanOrEqualTo(90);
      assertThat(registry.get(HeimdallCache.METRIC_ERRORS).functionCounter().count()).isZero();
      assertThat(registry.get(HeimdallCache.METRIC_BREAKER_OPENINGS).functionCounter().count())
          .isZero();
    }
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void closedCachesRefuseCalls() {
    HeimdallCache<String> cache = builder().build();
    CachedFunction<Integer, String> get = counting(cache);
    cache.close();
    cache.close();
    assertThatThrownBy(() -> get.apply(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cache 'local-test' is closed");
  }

  @Test
  void unsupportedArgumentsFailBeforeLoading() {
    try (HeimdallCache<String> cache = builder().build()) {
      CachedFunction<Object, String> get = cache.wrap(o -> "x" + loads.incrementAndGet());
      assertThatThrownBy(() -> get.apply(new StringBuilder("torino")))
          .isInstanceOf(UnsupportedKeyException.class)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("java.lang.StringBuilder");
      assertThat(loads.get()).isZero();
      assertThat(get.apply("fine")).isEqualTo("x1");
    }
  }

  @Test
  void invalidConfigurationIsRejectedWithHelpfulMessages() {
    assertThatThrownBy(() -> HeimdallCache.builder(String.class).ttl(Duration.ofMinutes(1)).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("namespace is required");
    assertThatThrownBy(
            () ->
                HeimdallCache.builder(String.class)
                    .namespace("")
                    .ttl(Duration.ofMinutes(1))
                    .build())
        .hasMessageContaining("namespace is required");
    assertThatThrownBy(
            () ->
                HeimdallCache.builder(String.class)
                    .namespace("my cache")
                    .ttl(Duration.ofMinutes(1))
                    .build())
        .hasMessageContaining("namespace 'my cache' is invalid")
        .hasMessageContaining("[A-Za-z0-9._-]");
    assertThatThrownBy(() -> HeimdallCache.builder(String.class).namespace("n").build())
        .hasMessageContaining("ttl is required");
    assertThatThrownBy(
            () -> HeimdallCache.builder(String.class).namespace("n").ttl(Duration.ZERO).build())
        .hasMessageContaining("ttl must be positive")
        .hasMessageContaining("PT0S");
    assertThatThrownBy(
            () ->
                HeimdallCache.builder(String.class)
                    .namespace("n")
                    .ttl(Duration.ofSeconds(-1))
                    .build())
        .hasMessageContaining("ttl must be positive");
    assertThatThrownBy(() -> builder().ttlJitter(1.0).build())
        .hasMessageContaining("ttlJitter must be in [0, 1), got 1.0");
    assertThatThrownBy(() -> builder().maximumSize(0).build())
        .hasMessageContaining("maximumSize must be at least 1");
    assertThatThrownBy(() -> builder().negativeTtl(Duration.ZERO).build())
        .hasMessageContaining("negativeTtl must be positive");
    assertThatThrownBy(() -> builder().earlyRefreshBeta(Double.NaN).build())
        .hasMessageContaining("earlyRefreshBeta");
    assertThatThrownBy(() -> builder().version(-1).build())
        .hasMessageContaining("version must be at least 0");
    assertThatThrownBy(() -> builder().commandTimeout(Duration.ofMinutes(2)).build())
        .hasMessageContaining("commandTimeout");
    assertThatThrownBy(() -> builder().redis("not a uri").build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("redis URI 'not a uri' is invalid")
        .hasMessageContaining("redis://");
    assertThatThrownBy(() -> builder().redis("http://localhost:6379").build())
        .hasMessageContaining("redis URI 'http://localhost:6379' is invalid");
    assertThatThrownBy(
            () ->
                builder()
                    .redis("redis://127.0.0.1:1")
                    .commandTimeout(Duration.ofSeconds(2))
                    .tombstoneTtl(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("tombstoneTtl (PT1S) must be longer than commandTimeout (PT2S)");
    assertThatThrownBy(() -> builder().breakerFailures(0))
        .hasMessage("breakerFailures must be at least 1, got 0");
    assertThatThrownBy(() -> builder().breakerCoolDown(Duration.ZERO))
        .hasMessageContaining("breakerCoolDown must be positive");
    assertThatThrownBy(() -> builder().timeSource(null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("timeSource must not be null");
  }
}
