package io.heimdall.cache;

import static io.heimdall.cache.Await.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two cache instances, each with its own local tier, sharing one real redis-server. */
@Timeout(60)
class RedisCacheTest {

  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  record Location(double latitude, double longitude, String station) {}

  private final AtomicInteger loadsA = new AtomicInteger();
  private final AtomicInteger loadsB = new AtomicInteger();

  private HeimdallCache.Builder<Location> builder() {
    return HeimdallCache.builder(Location.class)
        .namespace("locations")
        .ttl(Duration.ofMinutes(5))
        .redis(REDIS.server().uri())
        .commandTimeout(Duration.ofSeconds(1));
  }

  private static CachedFunction<String, Location> loader(
      HeimdallCache<Location> cache, AtomicInteger loads) {
    // the identity hash tells which instance loaded a value
    return cache.wrap(
        station ->
            new Location(45.0 + loads.incrementAndGet(), System.identityHashCode(loads), station));
  }

  @Test
  void instancesShareRedisAndARedisHitFillsTheLocalTier() {
    try (HeimdallCache<Location> a = builder().build();
        HeimdallCache<Location> b = builder().build()) {
      assertThat(a.isRedisConnected()).isTrue();
      CachedFunction<String, Location> getA = loader(a, loadsA);
      CachedFunction<String, Location> getB = loader(b, loadsB);
      Location loaded = getA.apply("Torino");
      awaitTrue(() -> REDIS.server().raw().exists(keyOf("Torino")) == 1);
      assertThat(getB.apply("Torino")).isEqualTo(loaded);
      assertThat(getB.apply("Torino")).isEqualTo(loaded);
      assertThat(loadsB.get()).isZero();
      assertThat(b.stats().redisHits()).isEqualTo(1);
      assertThat(b.stats().localHits()).isEqualTo(1);
      assertThat(a.stats().redisMisses()).isEqualTo(1);
    }
  }

  @Test
  void everyKeyHasATtlIncludingNegativeEntries() {
    try (HeimdallCache<Location> cache = builder().negativeTtl(Duration.ofSeconds(20)).build()) {
      CachedFunction<String, Location> get =
          cache.wrap(
              station -> station.startsWith("missing") ? null : new Location(45, 7, station));
      for (int i = 0; i < 20; i++) {
        get.apply("station-" + i);
        get.apply("missing-" + i);
      }
      RedisCommands<String, byte[]> raw = REDIS.server().raw();
      awaitTrue(() -> raw.dbsize() == 40);
      for (String key : allKeys(raw)) {
        long pttl = raw.pttl(key);
        long limit = key.contains("missing") ? 20_000 : 300_000;
        assertThat(pttl).as("PTTL of %s", key).isPositive().isLessThanOrEqualTo(limit);
        if (!key.contains("missing")) {
          assertThat(pttl).as("jitter is at most 10 %%").isGreaterThan(260_000);
        }
        assertThat(key).startsWith("heimdall:locations:v1:s");
      }
    }
  }

  @Test
  void closeLetsPendingWritesLand() {
    try (HeimdallCache<Location> cache = builder().build()) {
      CachedFunction<String, Location> get = loader(cache, loadsA);
      for (int i = 0; i < 500; i++) {
        get.apply("station-" + i);
      }
    }
    assertThat(REDIS.server().raw().dbsize()).isEqualTo(500);
  }

  @Test
  void invalidationReachesTheOtherInstancesLocalTier() {
    try (HeimdallCache<Location> a = builder().build();
        HeimdallCache<Location> b = builder().build()) {
      CachedFunction<String, Location> getA = loader(a, loadsA);
      CachedFunction<String, Location> getB = loader(b, loadsB);
      Location first = getA.apply("Genova");
      awaitTrue(() -> REDIS.server().raw().exists(keyOf("Genova")) == 1);
      assertThat(getB.apply("Genova")).isEqualTo(first); // now in B's local tier
      getA.invalidate("Genova");
      assertThat(REDIS.server().raw().exists(keyOf("Genova"))).isZero();
      awaitTrue(() -> !getB.apply("Genova").equals(first)); // B reloads once the message arrives
      assertThat(loadsB.get()).isEqualTo(1);
      awaitTrue(
          () -> REDIS.server().raw().exists(keyOf("Genova")) == 1); // B's write is asynchronous
      assertThat(getA.apply("Genova"))
          .isEqualTo(getB.apply("Genova")); // A reads B's reload from Redis
      assertThat(loadsA.get()).isEqualTo(1);
    }
  }

  @Test
  void invalidateAllScansAwayTheNamespaceAndClearsOtherInstances() {
    try (HeimdallCache<Location> a = builder().build();
        HeimdallCache<Location> b = builder().build();
        HeimdallCache<Location> other = builder().namespace("other").build()) {
      CachedFunction<String, Location> getA = loader(a, loadsA);
      CachedFunction<String, Location> getB = loader(b, loadsB);
      loader(other, new AtomicInteger()).apply("Torino");
      for (int i = 0; i < 1200; i++) {
        getA.apply("s" + i);
      }
      RedisCommands<String, byte[]> raw = REDIS.server().raw();
      awaitTrue(() -> raw.dbsize() == 1201);
      getB.apply("s1");
      assertThat(loadsB.get()).isZero();
      a.invalidateAll();
      // the generation (incremented, so no load in flight writes back) survives the scan
      assertThat(allKeys(raw))
          .containsExactlyInAnyOrder(
              "heimdall:other:v1:s6:Torino", "heimdall:locations:v1!generation");
      awaitTrue(
          () -> {
            getB.apply("s1");
            return loadsB.get() == 1;
          });
    }
  }

  @Test
  void garbageInRedisIsAMissAndIsEvicted() {
    try (HeimdallCache<Location> cache = builder().build()) {
      CachedFunction<String, Location> get = loader(cache, loadsA);
      RedisCommands<String, byte[]> raw = REDIS.server().raw();
      raw.set(keyOf("Coazze"), "definitely not an entry".getBytes(StandardCharsets.UTF_8));
      Location loaded = get.apply("Coazze");
      assertThat(loaded.station()).isEqualTo("Coazze");
      assertThat(loadsA.get()).isEqualTo(1);
      CacheStats stats = cache.stats();
      assertThat(stats.errors()).isEqualTo(1);
      assertThat(stats.evictions()).isEqualTo(1);
      assertThat(stats.redisMisses()).isEqualTo(1);
      // the corrupt bytes were deleted and the fresh value written in their place
      awaitTrue(
          () -> {
            byte[] stored = raw.get(keyOf("Coazze"));
            return stored != null
                && Envelope.decode(keyOf("Coazze"), stored, ValueCodec.json(Location.class))
                    .value()
                    .equals(loaded);
          });
    }
  }

  @Test
  void valuesOfAnotherFormatAreMissesToo() {
    try (HeimdallCache<String> strings =
            HeimdallCache.builder(String.class)
                .namespace("locations")
                .ttl(Duration.ofMinutes(1))
                .redis(REDIS.server().uri())
                .build();
        HeimdallCache<Location> cache = builder().build()) {
      strings.wrap((String s) -> "just text").apply("Montanaro");
      awaitTrue(() -> REDIS.server().raw().exists(keyOf("Montanaro")) == 1);
      assertThat(loader(cache, loadsA).apply("Montanaro").station()).isEqualTo("Montanaro");
      assertThat(cache.stats().errors()).isEqualTo(1);
    }
  }

  @Test
  void floatArraysAndBulkReadsGoThroughRedis() {
    try (HeimdallCache<float[]> a = floats();
        HeimdallCache<float[]> b = floats()) {
      AtomicInteger bulkLoads = new AtomicInteger();
      CachedBulkFunction<UUID, float[]> manyA =
          a.wrapAll(
              ids -> {
                bulkLoads.incrementAndGet();
                Map<UUID, float[]> found = new java.util.HashMap<>();
                ids.forEach(id -> found.put(id, new float[] {id.hashCode(), 0.5f}));
                return found;
              });
      List<UUID> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ids.add(UUID.randomUUID());
      }
      Map<UUID, float[]> loaded = manyA.apply(ids);
      awaitTrue(() -> REDIS.server().raw().dbsize() == 5);
      CachedBulkFunction<UUID, float[]> manyB =
          b.wrapAll(
              missing -> {
                throw new AssertionError("B must read Redis, not load: " + missing);
              });
      Map<UUID, float[]> fromRedis = manyB.apply(ids);
      assertThat(fromRedis.keySet()).containsExactlyElementsOf(ids);
      ids.forEach(id -> assertThat(fromRedis.get(id)).containsExactly(loaded.get(id)));
      assertThat(b.stats().redisHits()).isEqualTo(5);
      assertThat(bulkLoads.get()).isEqualTo(1);
    }
  }

  private HeimdallCache<float[]> floats() {
    return HeimdallCache.builder(float[].class)
        .namespace("features")
        .ttl(Duration.ofMinutes(1))
        .redis(REDIS.server().uri())
        .build();
  }

  private static String keyOf(String station) {
    return new KeyEncoder("locations", 1).redisKey(station);
  }

  private static List<String> allKeys(RedisCommands<String, byte[]> raw) {
    List<String> keys = new ArrayList<>();
    KeyScanCursor<String> cursor = raw.scan(ScanArgs.Builder.limit(1000));
    keys.addAll(cursor.getKeys());
    while (!cursor.isFinished()) {
      cursor = raw.scan(cursor, ScanArgs.Builder.limit(1000));
      keys.addAll(cursor.getKeys());
    }
    return keys;
  }
}
