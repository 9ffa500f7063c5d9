package io.heimdall.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.heimdall.cache.CachedFunction;
import io.heimdall.cache.HeimdallCache;
import io.heimdall.embedded.EmbeddedRedis;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The cache-aside claims of the performance guide, each against its baseline in the same run.
 *
 * <ul>
 *   <li><b>Local hit overhead</b>: {@code localHit} (a {@link HeimdallCache} hit: key check, expiry
 *       and XFetch test, metrics) against {@code caffeineGetIfPresent} (a bare Caffeine lookup of
 *       the same keys) and {@code caffeineTtlGetIfPresent} (bare Caffeine with {@code
 *       expireAfterWrite}, what a hand-written TTL cache would be). Target ≤ 1.5×. Bare Caffeine
 *       skips its read buffer until the cache is half full (its frequency sketch is not yet
 *       initialised), so {@code caffeineFullGetIfPresent} repeats it on a full cache, and {@code
 *       clockRead} prices the {@code System.nanoTime()} every TTL check needs; {@code
 *       localHitCoarseClock} is the same hit with a {@link io.heimdall.cache.TimeSource} that reads
 *       a field a daemon thread updates every millisecond.
 *   <li><b>Hit vs miss</b>: the loader simulates a database read by parking the thread for 1 ms
 *       ({@link LockSupport#parkNanos}), i.e. a thread waiting on a socket, not burning CPU. {@code
 *       loaderDirect} calls it uncached, {@code miss} goes through the cache with a new key every
 *       call (the cache's bookkeeping on top of the load), {@code localHit} is the hit. {@code
 *       redisHit} reads a value another JVM would have written, from an embedded redis-server 6.2
 *       ({@link EmbeddedRedis}) on a loopback port (local tier of size 1).
 *   <li><b>Hot-key expiry</b>: 8 threads read one key whose TTL is 100 ms and whose load takes 1
 *       ms. {@code hotKeyNaive} is the guide's decorator translated to Caffeine ({@code
 *       getIfPresent}, on null load and {@code put}); {@code hotKeySingleFlight} is HeimdallCache
 *       without early refresh, {@code hotKeyXFetch} with it (β = 1). The {@code loads} counter
 *       reports loader calls (JMH sums it over the iterations): one per TTL period is ideal. XFetch
 *       refreshes earlier the more reads it sees (each read is a draw), so at millions of reads per
 *       second it refreshes a few δ ahead and its period shortens.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CacheBench {

  static final int KEYS = 1024;
  static final long DATABASE_READ_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** A value whose cost is waiting, like a round trip to a database. */
  static String databaseRead(long id) {
    LockSupport.parkNanos(DATABASE_READ_NANOS);
    return "row-" + id;
  }

  /** Pre-boxed keys, so no benchmark pays for boxing. */
  static Long[] keys() {
    Long[] keys = new Long[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = (long) i * 7919;
    }
    return keys;
  }

  /** Walks the keys; one cursor per thread. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    int advance() {
      next = (next + 1) & (KEYS - 1);
      return next;
    }
  }

  /** Bare Caffeine and a HeimdallCache (local tier only), both holding every key. */
  @State(Scope.Benchmark)
  public static class Local {
    final Long[] keys = keys();
    final AtomicLong newKeys = new AtomicLong(1L << 40);
    Cache<Long, String> caffeine;
    Cache<Long, String> caffeineTtl;
    Cache<Long, String> caffeineFull;
    HeimdallCache<String> cache;
    CachedFunction<Long, String> cached;
    volatile long coarseNanos = System.currentTimeMillis() * 1_000_000L;
    volatile boolean running = true;
    HeimdallCache<String> coarseCache;
    CachedFunction<Long, String> coarseCached;

    @Setup
    public void setUp() {
      caffeine = Caffeine.newBuilder().maximumSize(100_000).build();
      caffeineTtl =
          Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofHours(1)).build();
      caffeineFull = Caffeine.newBuilder().maximumSize(KEYS).build();
      cache =
          HeimdallCache.builder(String.class)
              .namespace("bench-local")
              .ttl(Duration.ofHours(1))
              .maximumSize(100_000)
              .build();
      cached = cache.wrap(CacheBench::databaseRead);
      Thread ticker =
          new Thread(
              () -> {
                while (running) {
                  LockSupport.parkNanos(DATABASE_READ_NANOS);
                  coarseNanos = System.currentTimeMillis() * 1_000_000L;
                }
              },
              "coarse-clock");
      ticker.setDaemon(true);
      ticker.start();
      coarseCache =
          HeimdallCache.builder(String.class)
              .namespace("bench-coarse")
              .ttl(Duration.ofHours(1))
              .maximumSize(100_000)
              .timeSource(() -> coarseNanos)
              .build();
      coarseCached = coarseCache.wrap(CacheBench::databaseRead);
      for (Long key : keys) {
        caffeine.put(key, "row-" + key);
        caffeineTtl.put(key, "row-" + key);
        caffeineFull.put(key, "row-" + key);
      }
      // fill the cache outside the measurement (parallel: 1024 × 1 ms sequentially is slow)
      Arrays.stream(keys).parallel().forEach(cached::apply);
      Arrays.stream(keys).parallel().forEach(coarseCached::apply);
    }

    @TearDown
    public void tearDown() {
      running = false;
      cache.close();
      coarseCache.close();
    }
  }

  @Benchmark
  public String caffeineGetIfPresent(Local local, Cursor cursor) {
    return local.caffeine.getIfPresent(local.keys[cursor.advance()]);
  }

  @Benchmark
  public String caffeineTtlGetIfPresent(Local local, Cursor cursor) {
    return local.caffeineTtl.getIfPresent(local.keys[cursor.advance()]);
  }

  @Benchmark
  public String caffeineFullGetIfPresent(Local local, Cursor cursor) {
    return local.caffeineFull.getIfPresent(local.keys[cursor.advance()]);
  }

  @Benchmark
  public long clockRead() {
    return System.nanoTime();
  }

  @Benchmark
  public String localHit(Local local, Cursor cursor) {
    return local.cached.apply(local.keys[cursor.advance()]);
  }

  @Benchmark
  public String localHitCoarseClock(Local local, Cursor cursor) {
    return local.coarseCached.apply(local.keys[cursor.advance()]);
  }

  @Benchmark
  public String loaderDirect(Local local, Cursor cursor) {
    return databaseRead(local.keys[cursor.advance()]);
  }

  @Benchmark
  public String miss(Local local) {
    return local.cached.apply(local.newKeys.incrementAndGet());
  }

  /**
   * An embedded redis-server 6.2 on a free loopback port; a writer cache fills it, a reader with a
   * 1-entry local tier reads it.
   */
  @State(Scope.Benchmark)
  public static class Shared {
    final Long[] keys = keys();
    EmbeddedRedis redis;
    HeimdallCache<String> writer;
    HeimdallCache<String> reader;
    CachedFunction<Long, String> read;

    @Setup
    public void setUp() throws InterruptedException {
      redis = EmbeddedRedis.start();
      writer =
          HeimdallCache.builder(String.class)
              .namespace("bench-shared")
              .ttl(Duration.ofHours(1))
              .redis(redis.uri())
              .build();
      CachedFunction<Long, String> write = writer.wrap(CacheBench::databaseRead);
      Arrays.stream(keys).parallel().forEach(write::apply);
      reader =
          HeimdallCache.builder(String.class)
              .namespace("bench-shared")
              .ttl(Duration.ofHours(1))
              .maximumSize(1)
              .redis(redis.uri())
              .build();
      read =
          reader.wrap(
              (Long id) -> {
                throw new IllegalStateException(
                    "every key is in Redis; the reader must not load " + id);
              });
      Thread.sleep(200); // let the asynchronous writes land
    }

    @TearDown
    public void tearDown() {
      System.out.println("\nredisHit reader: " + reader.stats());
      reader.close();
      writer.close();
      redis.close();
    }
  }

  @Benchmark
  public String redisHit(Shared shared, Cursor cursor) {
    return shared.read.apply(shared.keys[cursor.advance()]);
  }

  /** Loader calls made by one benchmark thread in an iteration (summed over threads by JMH). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Loads {
    static final ThreadLocal<Loads> CURRENT = new ThreadLocal<>();
    public long loads;

    @Setup(Level.Iteration)
    public void reset() {
      loads = 0;
      CURRENT.set(this);
    }
  }

  /** One hot key with a 100 ms TTL whose load takes 1 ms, behind three caches. */
  @State(Scope.Benchmark)
  public static class HotKey {
    static final Duration TTL = Duration.ofMillis(100);
    static final Long KEY = 42L;

    Cache<Long, String> naive;
    HeimdallCache<String> singleFlight;
    HeimdallCache<String> xfetch;
    CachedFunction<Long, String> singleFlightGet;
    CachedFunction<Long, String> xfetchGet;

    static String countedRead(long id) {
      Loads.CURRENT.get().loads++;
      return databaseRead(id);
    }

    @Setup
    public void setUp() {
      naive = Caffeine.newBuilder().expireAfterWrite(TTL).build();
      singleFlight =
          HeimdallCache.builder(String.class)
              .namespace("bench-hot-sf")
              .ttl(TTL)
              .ttlJitter(0)
              .earlyRefreshBeta(0)
              .build();
      xfetch =
          HeimdallCache.builder(String.class)
              .namespace("bench-hot-xf")
              .ttl(TTL)
              .ttlJitter(0)
              .earlyRefreshBeta(1.0)
              .build();
      singleFlightGet = singleFlight.wrap(HotKey::countedRead);
      xfetchGet = xfetch.wrap(HotKey::countedRead);
    }

    @TearDown
    public void tearDown() {
      singleFlight.close();
      xfetch.close();
    }
  }

  @Benchmark
  @Threads(8)
  public String hotKeyNaive(HotKey hot, Loads loads) {
    String value = hot.naive.getIfPresent(HotKey.KEY);
    if (value == null) {
      value = HotKey.countedRead(HotKey.KEY);
      hot.naive.put(HotKey.KEY, value);
    }
    return value;
  }

  @Benchmark
  @Threads(8)
  public String hotKeySingleFlight(HotKey hot, Loads loads) {
    return hot.singleFlightGet.apply(HotKey.KEY);
  }

  @Benchmark
  @Threads(8)
  public String hotKeyXFetch(HotKey hot, Loads loads) {
    return hot.xfetchGet.apply(HotKey.KEY);
  }
}
