package io.heimdall.cache;

import static io.heimdall.cache.Await.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Redis going away, hanging, coming back, or absent at start: calls always answer. */
@Timeout(60)
class RedisFailureTest {

  private final AtomicInteger loads = new AtomicInteger();

  private HeimdallCache<String> cache(RedisFixture server) {
    return HeimdallCache.builder(String.class)
        .namespace("failures")
        .ttl(Duration.ofMinutes(5))
        .commandTimeout(Duration.ofMillis(100))
        .redis(server.uri())
        .build();
  }

  private CachedFunction<Integer, String> loader(HeimdallCache<String> cache) {
    return cache.wrap(id -> "v" + id + "#" + loads.incrementAndGet());
  }

  @Test
  void killedRedisDegradesToTheLoaderAndRestartedRedisIsUsedAgain() throws Exception {
    try (RedisFixture server = RedisFixture.start();
        HeimdallCache<String> a = cache(server);
        HeimdallCache<String> b = cache(server)) {
      CachedFunction<Integer, String> getA = loader(a);
      CachedFunction<Integer, String> getB = loader(b);
      getA.apply(0);
      server.kill();
      long slowest = 0;
      for (int i = 1; i <= 300; i++) {
        long start = System.nanoTime();
        assertThat(getA.apply(i)).startsWith("v" + i + "#");
        assertThat(getA.apply(0)).isEqualTo("v0#1"); // the local tier still answers
        slowest = Math.max(slowest, System.nanoTime() - start);
      }
      assertThat(TimeUnit.NANOSECONDS.toMillis(slowest))
          .as("slowest call while Redis is down, ms")
          .isLessThan(1000);
      assertThat(a.stats().errors()).isGreaterThanOrEqualTo(300);
      assertThat(a.isRedisConnected()).isFalse();

      server.restart();
      awaitTrue(
          () ->
              a.isRedisConnected()
                  && b.isRedisConnected()
                  && server
                          .raw()
                          .pubsubNumsub("heimdall:failures:v1:invalidations")
                          .values()
                          .iterator()
                          .next()
                      == 2);
      // invalidations sent while A was away are lost, so A cleared its local tier on re-subscribing
      awaitTrue(() -> !getA.apply(0).equals("v0#1"));
      String loadedByA = getA.apply(1000);
      awaitTrue(() -> server.raw().exists(new KeyEncoder("failures", 1).redisKey(1000)) == 1);
      int before = loads.get();
      assertThat(getB.apply(1000)).isEqualTo(loadedByA);
      assertThat(loads.get()).isEqualTo(before); // B found A's value in the restarted Redis
      // the re-subscribed channel works: B's invalidation makes A drop its local copy and reload
      getB.invalidate(1000);
      awaitTrue(() -> !getA.apply(1000).equals(loadedByA));
      assertThat(loads.get()).isEqualTo(before + 1);
    }
  }

  @Test
  void eachCallToAHungRedisWaitsAtMostTheCommandTimeout() throws Exception {
    try (RedisFixture server = RedisFixture.start();
        HeimdallCache<String> cache = cache(server)) {
      CachedFunction<Integer, String> get = loader(cache);
      get.apply(0);
      server.server().pause();
      long first = 0;
      long slowest = 0;
      try {
        for (int i = 1; i <= 5; i++) {
          long start = System.nanoTime();
          assertThat(get.apply(i)).startsWith("v" + i);
          long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          first = i == 1 ? millis : first;
          slowest = Math.max(slowest, millis);
        }
        assertThat(first)
            .as("first call, ms: it waited for Redis, then loaded")
            .isBetween(90L, 400L);
        assertThat(slowest).as("slowest call with a hung Redis, ms").isLessThan(400L);
        assertThat(cache.stats().errors()).isGreaterThanOrEqualTo(5);
      } finally {
        server.server().resume();
      }
      awaitTrue(
          () -> {
            long errors = cache.stats().errors();
            get.apply(10_000 + loads.get());
            return cache.stats().errors() == errors;
          });
    }
  }

  @Test
  void unreachableRedisAtStartIsUsedOnceItAppears() throws Exception {
    try (RedisFixture server = RedisFixture.start()) {
      server.kill();
      long start = System.nanoTime();
      try (HeimdallCache<String> cache = cache(server)) {
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
        CachedFunction<Integer, String> get = loader(cache);
        assertThat(get.apply(1)).isEqualTo("v1#1");
        assertThat(cache.isRedisConnected()).isFalse();
        assertThat(cache.stats().errors()).isPositive();
        server.restart();
        awaitTrue(
            () -> {
              get.apply(loads.get() + 100); // calls trigger background reconnection attempts
              return cache.isRedisConnected();
            });
        get.apply(5000);
        awaitTrue(() -> server.raw().exists(new KeyEncoder("failures", 1).redisKey(5000)) == 1);
      }
    }
  }

  @Test
  void anInstanceBuiltWhileRedisWasDownClearsItsLocalTierOnItsFirstSubscription() throws Exception {
    try (RedisFixture server = RedisFixture.start()) {
      server.kill();
      try (HeimdallCache<String> a = cache(server)) {
        CachedFunction<Integer, String> getA = loader(a);
        assertThat(getA.apply(1)).isEqualTo("v1#1"); // local only: Redis is down
        server.restart();
        try (HeimdallCache<String> b = cache(server)) {
          loader(b).invalidate(1); // A is not subscribed yet: this message never reaches it
          awaitTrue(
              () -> {
                getA.apply(loads.get() + 100); // misses, so even old code retries connecting
                return a.isRedisConnected();
              });
          awaitTrue(() -> !getA.apply(1).equals("v1#1"));
        }
      }
    }
  }

  @Test
  void anInstanceThatOnlyHitsItsLocalTierReconnectsInTheBackground() throws Exception {
    try (RedisFixture server = RedisFixture.start()) {
      server.kill();
      try (HeimdallCache<String> a = cache(server)) {
        CachedFunction<Integer, String> getA = loader(a);
        assertThat(getA.apply(1)).isEqualTo("v1#1");
        server.restart();
        awaitTrue(
            () -> {
              getA.apply(1); // local hits only: no call reaches the Redis tier
              return a.isRedisConnected();
            });
        String current = getA.apply(1); // reloaded once: connecting cleared the local tier
        try (HeimdallCache<String> b = cache(server)) {
          loader(b).invalidate(1); // now reaches A, which reloads
          awaitTrue(() -> !getA.apply(1).equals(current));
        }
      }
    }
  }

  @Test
  void aStalledRedisIsSkippedByTheBreakerAndUsedAgainAfterItResumes() throws Exception {
    try (RedisFixture server = RedisFixture.start();
        HeimdallCache<String> cache = cache(server);
        HeimdallCache<String> other = cache(server)) {
      CachedFunction<Integer, String> get = loader(cache);
      get.apply(0);
      awaitTrue(() -> server.raw().exists(new KeyEncoder("failures", 1).redisKey(0)) == 1);
      server.server().pause();
      long waited;
      try {
        // 200 reads spread over about 3 s of stall, so failed probes re-open the breaker too
        waited = 0;
        for (int i = 1; i <= 200; i++) {
          long start = System.nanoTime();
          assertThat(get.apply(i)).startsWith("v" + i + "#");
          waited += System.nanoTime() - start;
          Thread.sleep(15);
        }
        assertThat(cache.isRedisConnected()).as("status while Redis is stalled").isFalse();
      } finally {
        server.server().resume();
      }
      System.out.printf(
          "200 reads of a stalled Redis took %d ms, breaker openings %d%n",
          TimeUnit.NANOSECONDS.toMillis(waited), cache.stats().breakerOpenings());
      assertThat(TimeUnit.NANOSECONDS.toMillis(waited))
          .as("total wait of 200 reads of a stalled Redis, ms (100 ms command timeout)")
          .isLessThan(3000);
      breakerChecks(cache);
      // after the resume the shared tier is used again: written by one instance, read by another
      awaitTrue(cache::isRedisConnected);
      String written = get.apply(5000);
      awaitTrue(() -> server.raw().exists(new KeyEncoder("failures", 1).redisKey(5000)) == 1);
      int before = loads.get();
      assertThat(loader(other).apply(5000)).isEqualTo(written);
      assertThat(loads.get()).isEqualTo(before);
      assertThat(other.stats().redisHits()).isEqualTo(1);
      assertThat(cache.isRedisConnected()).isTrue();
    }
  }

  private static void breakerChecks(HeimdallCache<String> cache) {
    CacheStats stats = cache.stats();
    assertThat(stats.breakerOpenings()).as("breaker openings").isGreaterThanOrEqualTo(1);
    assertThat(stats.errors()).as("calls served without Redis").isGreaterThanOrEqualTo(200);
  }
}
