package io.heimdall.cache;

import static io.heimdall.cache.RedisCacheTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
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

  private Function<Integer, String> loader(HeimdallCache<String> cache) {
    return cache.wrap(id -> "v" + id + "#" + loads.incrementAndGet());
  }

  @Test
  void killedRedisDegradesToTheLoaderAndRestartedRedisIsUsedAgain() throws Exception {
    try (RedisFixture server = RedisFixture.start();
        HeimdallCache<String> a = cache(server);
        HeimdallCache<String> b = cache(server)) {
      Function<Integer, String> getA = loader(a);
      Function<Integer, String> getB = loader(b);
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
      b.invalidate(1000);
      awaitTrue(() -> !getA.apply(1000).equals(loadedByA));
      assertThat(loads.get()).isEqualTo(before + 1);
    }
  }

  @Test
  void hungRedisCostsAtMostTheCommandTimeout() throws Exception {
    try (RedisFixture server = RedisFixture.start();
        HeimdallCache<String> cache = cache(server)) {
      Function<Integer, String> get = loader(cache);
      get.apply(0);
      server.server().pause();
      try {
        long start = System.nanoTime();
        for (int i = 1; i <= 5; i++) {
          assertThat(get.apply(i)).startsWith("v" + i);
        }
        long perCallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / 5;
        assertThat(perCallMillis).as("ms per call with a hung Redis").isBetween(90L, 400L);
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
        Function<Integer, String> get = loader(cache);
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
}
