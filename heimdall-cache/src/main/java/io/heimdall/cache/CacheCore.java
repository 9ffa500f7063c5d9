package io.heimdall.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link HeimdallCache}: the Caffeine local tier, single-flight loading, and the
 * order in which the tiers, the loader and the policies ({@link Lifetimes}, {@link EarlyRefresh},
 * {@link RedisTier}, {@link Invalidations}) are consulted.
 *
 * <p>The local tier maps each local key (the argument, or an {@link ArgumentTuple}) to a future:
 * the first caller to miss puts its own and loads, every other caller waits on it. A future whose
 * load failed or whose result is not cacheable is removed as soon as it completes, whatever the
 * loader threw, so a key is never left claimed.
 */
final class CacheCore<V> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HeimdallCache.class);

  private final String namespace;
  private final KeyEncoder keys;
  private final Lifetimes lifetimes;
  private final EarlyRefresh earlyRefresh;
  private final TimeSource time;
  private final CacheMetrics metrics;
  private final AsyncCache<Object, Entry<V>> local;
  private final ConcurrentMap<Object, CompletableFuture<Entry<V>>> localMap;
  private final RateLimitedWarning refreshWarning =
      new RateLimitedWarning(LOG, 30, TimeUnit.SECONDS);

  /** Present only with a Redis tier. */
  private final Invalidations invalidations;

  private final RedisTier<V> redis;
  private volatile boolean closed;

  /**
   * @param registry {@code null} for a private registry
   * @param redisSettings {@code null} for a local-only cache
   */
  CacheCore(
      String namespace,
      int version,
      ValueCodec<V> codec,
      Lifetimes lifetimes,
      EarlyRefresh earlyRefresh,
      TimeSource time,
      MeterRegistry registry,
      long maximumSize,
      RedisTier.Settings redisSettings) {
    this.namespace = namespace;
    this.keys = new KeyEncoder(namespace, version);
    this.lifetimes = lifetimes;
    this.earlyRefresh = earlyRefresh;
    this.time = time;
    this.metrics =
        new CacheMetrics(registry == null ? new SimpleMeterRegistry() : registry, namespace);
    this.local =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .<Object, Entry<V>>removalListener(this::onLocalRemoval)
            .buildAsync();
    this.localMap = local.asMap();
    if (redisSettings == null) {
      this.invalidations = null;
      this.redis = null;
    } else {
      this.invalidations =
          new Invalidations(
              localKey -> local.synchronous().invalidate(localKey),
              this::clearLocal,
              localMap::containsKey);
      RedisTier<V> tier;
      try {
        tier =
            new RedisTier<>(
                redisSettings, keys, codec, time, metrics, invalidations, this::clearLocal);
      } catch (RuntimeException | Error e) {
        metrics.close();
        throw e;
      }
      this.redis = tier;
    }
  }

  String namespace() {
    return namespace;
  }

  CacheStats stats() {
    return metrics.snapshot();
  }

  boolean isRedisConnected() {
    return redis != null && redis.isConnected();
  }

  V get(Object localKey, Function<Object, V> loader) {
    ensureOpen();
    if (localKey == null) {
      keys.redisKey(null); // throws the explanatory UnsupportedKeyException
    }
    CompletableFuture<Entry<V>> cached = local.getIfPresent(localKey);
    if (cached != null) {
      long now = time.epochNanos();
      Entry<V> entry = freshEntry(cached, now);
      if (entry != null) {
        metrics.localHit();
        return earlyRefresh.isDue(entry, now)
            ? refreshEarly(localKey, cached, entry, loader)
            : entry.value();
      }
    }
    metrics.localMiss();
    CompletableFuture<Entry<V>> mine = new CompletableFuture<>();
    CompletableFuture<Entry<V>> found = claim(localKey, mine);
    return (found == mine ? load(localKey, mine, loader) : await(found)).value();
  }

  /** The entry of a completed, unexpired future; {@code null} otherwise. */
  private static <V> Entry<V> freshEntry(CompletableFuture<Entry<V>> future, long now) {
    if (!future.isDone() || future.isCompletedExceptionally()) {
      return null;
    }
    Entry<V> entry = future.join();
    return entry.isFreshAt(now) ? entry : null;
  }

  /**
   * Returns {@code mine} if this caller now owns the load of {@code localKey}, otherwise the future
   * to use: a load in flight or an entry completed meanwhile.
   */
  private CompletableFuture<Entry<V>> claim(Object localKey, CompletableFuture<Entry<V>> mine) {
    while (true) {
      CompletableFuture<Entry<V>> existing = localMap.putIfAbsent(localKey, mine);
      if (existing == null
          || !existing.isDone()
          || freshEntry(existing, time.epochNanos()) != null) {
        return existing == null ? mine : existing;
      }
      localMap.remove(localKey, existing); // expired or failed: replace it
    }
  }

  private Entry<V> load(
      Object localKey, CompletableFuture<Entry<V>> mine, Function<Object, V> loader) {
    String redisKey = null;
    try {
      redisKey = keys.redisKey(localKey);
      Entry<V> entry = null;
      RedisTier.Observation observed = null;
      if (redis != null) {
        invalidations.remember(redisKey, localKey); // before the read: messages must find it
        RedisTier.Read<V> read = redis.read(redisKey);
        entry = read.entry();
        observed = read.observation();
      }
      if (entry == null) {
        entry = compute(redisKey, localKey, loader);
        writeBack(localKey, mine, entry, observed);
      }
      mine.complete(entry);
      if (!lifetimes.isCacheable(entry)) {
        discard(localKey, mine, redisKey);
      }
      return entry;
    } catch (Throwable e) { // checked exceptions thrown sneakily too: the key must not stay claimed
      mine.completeExceptionally(e);
      discard(localKey, mine, redisKey);
      throw rethrow(e);
    }
  }

  /** Writes a loaded entry to Redis unless this JVM already dropped its load. */
  private void writeBack(
      Object localKey,
      CompletableFuture<Entry<V>> mine,
      Entry<V> entry,
      RedisTier.Observation observed) {
    // Redis decides atomically (against the tombstone); the local check only saves a round trip.
    if (redis != null && lifetimes.isCacheable(entry) && localMap.get(localKey) == mine) {
      redis.writeBack(entry, observed);
    }
  }

  Map<Object, V> getAll(
      Collection<?> requested, Function<Set<Object>, Map<?, ? extends V>> bulkLoader) {
    ensureOpen();
    Checks.notNull(requested, "keys");
    Set<Object> distinct = new LinkedHashSet<>(requested);
    // checked before claiming anything: a claimed key must always be completed
    if (distinct.contains(null)) {
      throw new UnsupportedKeyException("keys of a bulk call must not be null: " + requested);
    }
    Map<Object, String> redisKeys = new LinkedHashMap<>();
    distinct.forEach(key -> redisKeys.put(key, keys.redisKey(key)));
    Map<Object, CompletableFuture<Entry<V>>> found = new LinkedHashMap<>();
    Map<Object, CompletableFuture<Entry<V>>> owned = new LinkedHashMap<>();
    for (Object key : distinct) {
      CompletableFuture<Entry<V>> cached = local.getIfPresent(key);
      if (cached != null && freshEntry(cached, time.epochNanos()) != null) {
        metrics.localHit();
        found.put(key, cached);
        continue;
      }
      metrics.localMiss();
      CompletableFuture<Entry<V>> mine = new CompletableFuture<>();
      CompletableFuture<Entry<V>> claimed = claim(key, mine);
      (claimed == mine ? owned : found).put(key, claimed);
    }
    if (!owned.isEmpty()) {
      Map<Object, String> ownedKeys = new LinkedHashMap<>();
      owned.keySet().forEach(key -> ownedKeys.put(key, redisKeys.get(key)));
      loadAll(owned, ownedKeys, bulkLoader);
    }
    found.putAll(owned);
    Map<Object, V> result = new LinkedHashMap<>();
    for (Object key : distinct) {
      V value = await(found.get(key)).value();
      if (value != null) {
        result.put(key, value);
      }
    }
    return result;
  }

  /** Completes every owned future: from one Redis MGET, then one bulk loader call. */
  private void loadAll(
      Map<Object, CompletableFuture<Entry<V>>> owned,
      Map<Object, String> redisKeys,
      Function<Set<Object>, Map<?, ? extends V>> bulkLoader) {
    try {
      Set<Object> missing = new LinkedHashSet<>(owned.keySet());
      Map<Object, RedisTier.Observation> observed = new HashMap<>();
      if (redis != null) {
        redisKeys.forEach((key, redisKey) -> invalidations.remember(redisKey, key));
        redis
            .readAll(redisKeys)
            .forEach(
                (key, read) -> {
                  if (read.entry() != null) {
                    owned.get(key).complete(read.entry());
                    missing.remove(key);
                  } else {
                    observed.put(key, read.observation());
                  }
                });
      }
      if (!missing.isEmpty()) {
        Loaded<Map<?, ? extends V>> loaded =
            runLoader(() -> bulkLoader.apply(Collections.unmodifiableSet(missing)));
        for (Object key : missing) {
          V value = loaded.result() == null ? null : loaded.result().get(key);
          Entry<V> entry =
              lifetimes.entry(
                  redisKeys.get(key), value, loaded.finishedAtNanos(), loaded.computeNanos());
          writeBack(key, owned.get(key), entry, observed.get(key));
          owned.get(key).complete(entry);
        }
      }
    } catch (Throwable e) {
      owned.values().forEach(future -> future.completeExceptionally(e));
      throw rethrow(e);
    } finally {
      owned.forEach(
          (key, future) -> {
            if (future.isCompletedExceptionally() || !lifetimes.isCacheable(future.join())) {
              discard(key, future, redisKeys.get(key));
            }
          });
    }
  }

  /** A loader's result, when it finished and how long it took (XFetch's delta). */
  private record Loaded<T>(T result, long finishedAtNanos, long computeNanos) {}

  /** Runs a loader and records its duration and outcome. */
  private <T> Loaded<T> runLoader(Supplier<T> loader) {
    long start = time.epochNanos();
    T result;
    try {
      result = loader.get();
    } catch (Throwable e) {
      metrics.loadFailed(Math.max(0, time.epochNanos() - start));
      throw rethrow(e);
    }
    long end = time.epochNanos();
    long computeNanos = Math.max(0, end - start);
    metrics.loadSucceeded(computeNanos);
    return new Loaded<>(result, end, computeNanos);
  }

  private Entry<V> compute(String redisKey, Object localKey, Function<Object, V> loader) {
    Loaded<V> loaded = runLoader(() -> loader.apply(localKey));
    return lifetimes.entry(
        redisKey, loaded.result(), loaded.finishedAtNanos(), loaded.computeNanos());
  }

  /**
   * Recomputes a hot entry ahead of its expiry; other callers keep the current value meanwhile. The
   * new entry replaces the current one only if no invalidation removed it, and goes to Redis only
   * if no invalidation happened since the refresh observed the key.
   */
  private V refreshEarly(
      Object localKey,
      CompletableFuture<Entry<V>> current,
      Entry<V> entry,
      Function<Object, V> loader) {
    if (!earlyRefresh.begin(localKey)) {
      return entry.value(); // another caller is refreshing it
    }
    try {
      RedisTier.Observation observed = redis == null ? null : redis.observe(entry.redisKey());
      Entry<V> fresh = compute(entry.redisKey(), localKey, loader);
      boolean replaced =
          lifetimes.isCacheable(fresh)
              ? localMap.replace(localKey, current, CompletableFuture.completedFuture(fresh))
              : localMap.remove(localKey, current);
      if (replaced && redis != null && lifetimes.isCacheable(fresh)) {
        redis.writeBack(fresh, observed);
      }
      return fresh.value();
    } catch (Exception e) { // checked exceptions thrown sneakily too
      refreshWarning.warn(
          "cache '"
              + namespace
              + "' failed to refresh "
              + entry.redisKey()
              + " early; serving the current value",
          e);
      return entry.value();
    } finally {
      earlyRefresh.end(localKey);
    }
  }

  /**
   * Evicts one key: Redis first (value, tombstone and message in one script), so a reader that
   * misses locally afterwards cannot find the old value there.
   */
  void invalidate(Object localKey) {
    ensureOpen();
    String redisKey = keys.redisKey(localKey);
    if (redis != null) {
      redis.invalidate(redisKey);
    }
    local.synchronous().invalidate(localKey);
  }

  void invalidateAll() {
    ensureOpen();
    if (redis != null) {
      redis.invalidateAll();
    }
    clearLocal();
  }

  private void clearLocal() {
    local.synchronous().invalidateAll();
  }

  private static <V> Entry<V> await(CompletableFuture<Entry<V>> future) {
    try {
      return future.join();
    } catch (CompletionException | CancellationException e) {
      throw rethrow(e.getCause() == null ? e : e.getCause());
    }
  }

  /** Rethrows any throwable unchanged, checked ones included, without wrapping it. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException rethrow(Throwable failure) throws E {
    throw (E) failure;
  }

  /**
   * Removes a future that must not stay cached, and the key's index entry unless a new load took
   * its place.
   */
  private void discard(Object localKey, CompletableFuture<Entry<V>> future, String redisKey) {
    localMap.remove(localKey, future);
    if (invalidations != null) {
      invalidations.forgetIfGone(redisKey, localKey);
    }
  }

  private void onLocalRemoval(Object localKey, Entry<V> entry, RemovalCause cause) {
    if (cause == RemovalCause.SIZE) {
      metrics.sizeEviction();
    }
    if (entry != null && invalidations != null) {
      invalidations.forgetIfGone(entry.redisKey(), localKey);
    }
  }

  private void ensureOpen() {
    Checks.open(closed, namespace);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (redis != null) {
      redis.close();
    }
    metrics.close();
    clearLocal();
  }
}
