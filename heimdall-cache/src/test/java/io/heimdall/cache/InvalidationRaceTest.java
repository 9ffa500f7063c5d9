package io.heimdall.cache;

import static io.heimdall.cache.Await.await;
import static io.heimdall.cache.Await.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A load that read the database before an invalidation must never write its value back to Redis
 * after it: not from a miss, an early refresh or a bulk load, whether the invalidation comes from
 * the loading instance or from another one (another JVM, as far as the local tiers go).
 *
 * <p>Each round: the loader reads the "database" (round r − 1), the test sets it to r and
 * invalidates, and the loader returns 0–600 µs after the invalidation started. Afterwards Redis may
 * hold nothing or a value of round r or later, never r − 1.
 */
@Timeout(120)
class InvalidationRaceTest {

  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  private static final int ROUNDS = 200;

  private final AtomicInteger database = new AtomicInteger();
  private final AtomicReference<CountDownLatch> readDone = new AtomicReference<>();
  private final AtomicReference<CountDownLatch> invalidating = new AtomicReference<>();
  private ExecutorService pool;
  private HeimdallCache<String> reader;
  private HeimdallCache<String> other;

  @BeforeEach
  void setUp() {
    pool = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    if (reader != null) {
      reader.close();
    }
    if (other != null) {
      other.close();
    }
  }

  private HeimdallCache<String> cache(double beta) {
    return HeimdallCache.builder(String.class)
        .namespace("race")
        .ttl(Duration.ofMinutes(1))
        .earlyRefreshBeta(beta)
        .earlyRefreshRandom(() -> 1e-300)
        .commandTimeout(Duration.ofSeconds(1))
        .redis(REDIS.server().uri())
        .build();
  }

  /** Reads the database, then returns 0–600 µs after the test starts invalidating. */
  private String slowRead() {
    String value = "round-" + database.get();
    CountDownLatch read = readDone.get();
    CountDownLatch go = invalidating.get();
    if (read != null && go != null) {
      read.countDown();
      await(go);
      LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(600_000));
    }
    return value;
  }

  @Test
  void aMissLoadedBeforeAnInvalidationIsNotWrittenBack() throws Exception {
    reader = cache(0);
    other = cache(0);
    CachedFunction<String, String> get = reader.wrap((String key) -> slowRead());
    CachedFunction<String, String> otherGet = other.wrap((String key) -> slowRead());
    int stale = runRounds(() -> get.apply("row"), get::invalidate, otherGet::invalidate, false);
    assertThat(stale).as("rounds that left the pre-invalidation value in Redis").isZero();
  }

  @Test
  void anEarlyRefreshLoadedBeforeAnInvalidationIsNotWrittenBack() throws Exception {
    reader = cache(1e9); // every hit refreshes early
    other = cache(0);
    CachedFunction<String, String> get = reader.wrap((String key) -> slowRead());
    CachedFunction<String, String> otherGet = other.wrap((String key) -> slowRead());
    int stale = runRounds(() -> get.apply("row"), get::invalidate, otherGet::invalidate, true);
    assertThat(stale).as("rounds that left the pre-invalidation value in Redis").isZero();
  }

  @Test
  void aBulkLoadBeforeAnInvalidationIsNotWrittenBack() throws Exception {
    reader = cache(0);
    other = cache(0);
    CachedBulkFunction<String, String> getAll = reader.wrapAll(keys -> Map.of("row", slowRead()));
    CachedFunction<String, String> otherGet = other.wrap((String key) -> slowRead());
    int stale =
        runRounds(
            () -> getAll.apply(List.of("row")).get("row"),
            getAll::invalidate,
            otherGet::invalidate,
            false);
    assertThat(stale).as("rounds that left the pre-invalidation value in Redis").isZero();
  }

  /**
   * Runs the rounds, alternating the invalidating instance; returns how many left a stale value.
   */
  private int runRounds(
      java.util.concurrent.Callable<String> read,
      Consumer<String> invalidateHere,
      Consumer<String> invalidateThere,
      boolean warm)
      throws Exception {
    RedisCommands<String, byte[]> raw = REDIS.server().raw();
    String key = new KeyEncoder("race", 1).redisKey("row");
    int stale = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      if (warm) {
        read.call(); // a fresh local entry, so the next read refreshes it early
      }
      CountDownLatch read1 = new CountDownLatch(1);
      CountDownLatch go = new CountDownLatch(1);
      readDone.set(read1);
      invalidating.set(go);
      Future<String> loading = pool.submit(read);
      assertThat(read1.await(10, TimeUnit.SECONDS)).isTrue();
      database.set(round);
      go.countDown();
      (round % 2 == 0 ? invalidateHere : invalidateThere).accept("row");
      loading.get(10, TimeUnit.SECONDS);
      readDone.set(null);
      invalidating.set(null);
      Thread.sleep(3); // let an asynchronous write-back land
      byte[] stored = raw.get(key);
      if (stored != null) {
        String value = Envelope.decode(key, stored, ValueCodec.utf8()).value();
        if (Integer.parseInt(value.substring("round-".length())) < round) {
          stale++;
          raw.del(key);
        }
      }
      reader.invalidateAll(); // next round starts from empty tiers
    }
    // write-backs still work: a load that began after the last invalidation reaches Redis
    assertThat(read.call()).isEqualTo("round-" + ROUNDS);
    awaitTrue(
        () -> {
          byte[] stored = raw.get(key);
          return stored != null
              && Envelope.decode(key, stored, ValueCodec.utf8()).value().equals("round-" + ROUNDS);
        });
    return stale;
  }
}
