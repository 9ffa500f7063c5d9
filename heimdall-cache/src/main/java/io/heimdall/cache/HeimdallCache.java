package io.heimdall.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache-aside decorator: {@link #wrap(Function) wrap} a loader (a database read, a model call)
 * and get a function that answers from a Caffeine local tier, then from an optional Redis tier
 * shared by many JVMs, and calls the loader only when neither has a fresh value.
 *
 * <pre>{@code
 * try (HeimdallCache<Location> cache = HeimdallCache.builder(Location.class)
 *         .namespace("locations").ttl(Duration.ofMinutes(10))
 *         .redis("redis://cache.internal:6379").meterRegistry(registry).build()) {
 *     Function<UUID, Location> locate = cache.wrap(dao::findLocation);
 *     Location where = locate.apply(taskId);
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Keys</b> are {@code heimdall:<namespace>:v<version>:} plus a type-tagged,
 *       length-prefixed encoding of the arguments (strings, boxed primitives, UUIDs, {@code
 *       Instant}, {@code LocalDate}, enums, records, lists and sets of these); keys longer than 200
 *       characters are hashed with SHA-256. Other argument types fail with {@link
 *       UnsupportedKeyException}. Arguments must have value-based {@code equals} consistent with
 *       their components (records do): the local tier compares arguments with {@code equals}, Redis
 *       compares encodings.
 *   <li><b>Expiry</b>: every entry lives {@code ttl × (1 − jitter × u)}, u uniform in [0, 1), so
 *       entries written together do not expire together; Redis keys carry the same expiry. Expired
 *       local entries are dropped when read or evicted for size.
 *   <li><b>Single flight</b>: concurrent misses of one key in this JVM run the loader once; the
 *       others wait for its result (or its exception). A loader must not call its own cache with
 *       the same key.
 *   <li><b>Early refresh</b> (XFetch, Vattani et al., VLDB 2015): a read at time t of an entry that
 *       took δ to compute and expires at T recomputes it when {@code t − δ·β·ln(u) ≥ T}, u uniform
 *       in (0, 1]; at most one caller per key and JVM refreshes (synchronously, the others keep
 *       getting the current value), so a hot key is recomputed once ahead of its expiry instead of
 *       by every caller at it. A failed early refresh is logged and the current value is served. β
 *       = 0 disables it.
 *   <li><b>Not found</b>: a loader result of {@code null} (or {@code Optional.empty()} with {@link
 *       #wrapOptional}) is cached for the negative TTL if one is set, otherwise not at all. Loader
 *       exceptions reach the caller and are never cached.
 *   <li><b>Invalidation</b>: {@link #invalidate} and {@link #invalidateAll} evict both tiers and
 *       publish on a Redis channel so other JVMs drop their local copies; a load in flight for an
 *       invalidated key is not stored. After a pub/sub reconnect the local tier is cleared, because
 *       invalidations published meanwhile were lost.
 *   <li><b>Failure</b>: Redis unreachable, slow (beyond the command timeout) or holding undecodable
 *       bytes never fails a call: the value comes from the loader and the local tier, {@code
 *       heimdall.cache.errors} increments and a WARN is logged at most every 30 s. Lettuce
 *       reconnects by itself; commands are rejected, not queued, while disconnected.
 * </ul>
 *
 * <p>Metrics (tag {@code cache}=namespace): {@code heimdall.cache.gets} (tier=local|redis,
 * result=hit|miss), {@code heimdall.cache.loads} timer (outcome=success|error, as the other
 * Heimdall timers), {@code heimdall.cache.errors}, {@code heimdall.cache.evictions}
 * (reason=size|corrupt). Use one cache per namespace per registry. Cached values are shared between
 * callers: treat them as immutable. Instances are thread-safe; close them to release the Redis
 * connections they created (a caller-supplied {@link RedisClient} stays open).
 *
 * @param <V> the type of the cached values
 */
public final class HeimdallCache<V> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HeimdallCache.class);
  private static final String INVALIDATE_ALL = "*";

  /**
   * Beyond this many XFetch windows before expiry the refresh probability is below e^-40: skip the
   * draw.
   */
  private static final double MAX_WINDOWS_AHEAD = 40;

  private final String namespace;
  private final KeyEncoder keys;
  private final ValueCodec<V> codec;
  private final long ttlNanos;
  private final double ttlJitter;
  private final long negativeTtlNanos;
  private final double earlyRefreshBeta;
  private final TimeSource time;
  private final DoubleSupplier random;
  private final CacheMetrics metrics;
  private final AsyncCache<Object, Entry<V>> local;
  private final ConcurrentMap<Object, Boolean> refreshing = new ConcurrentHashMap<>();

  /**
   * Redis key → local key, so invalidations from other JVMs (which carry Redis keys) find local
   * entries.
   */
  private final ConcurrentMap<String, Object> localKeysByRedisKey = new ConcurrentHashMap<>();

  private final String instanceId = UUID.randomUUID().toString();
  private final RateLimitedWarning redisWarning = new RateLimitedWarning(LOG, 30, TimeUnit.SECONDS);
  private final RateLimitedWarning refreshWarning =
      new RateLimitedWarning(LOG, 30, TimeUnit.SECONDS);
  private final RedisTier redis;
  private volatile boolean closed;

  private HeimdallCache(Builder<V> builder) {
    this.namespace = builder.namespace;
    this.keys = new KeyEncoder(builder.namespace, builder.version);
    this.codec = builder.codec;
    this.ttlNanos = builder.ttl.toNanos();
    this.ttlJitter = builder.ttlJitter;
    this.negativeTtlNanos = builder.negativeTtl == null ? 0 : builder.negativeTtl.toNanos();
    this.earlyRefreshBeta = builder.earlyRefreshBeta;
    this.time = builder.timeSource;
    this.random = builder.random;
    this.metrics =
        new CacheMetrics(
            builder.meterRegistry == null ? new SimpleMeterRegistry() : builder.meterRegistry,
            namespace);
    this.local =
        Caffeine.newBuilder()
            .maximumSize(builder.maximumSize)
            .<Object, Entry<V>>removalListener(
                (key, entry, cause) -> onLocalRemoval(key, entry, cause))
            .buildAsync();
    if (builder.redisUri != null) {
      this.redis =
          RedisTier.create(
              builder.redisUri,
              builder.commandTimeout,
              keys.channel(),
              this::onInvalidationMessage,
              this::onResubscribed,
              e -> redisFailed("connecting", e));
    } else if (builder.redisClient != null) {
      this.redis =
          RedisTier.onClient(
              builder.redisClient,
              builder.commandTimeout,
              keys.channel(),
              this::onInvalidationMessage,
              this::onResubscribed,
              e -> redisFailed("connecting", e));
    } else {
      this.redis = null;
    }
  }

  /**
   * Starts configuring a cache of {@code valueType} with its natural codec ({@link
   * ValueCodec#forType}).
   *
   * @param valueType the class of the cached values
   * @param <V> the value type
   * @return a builder
   */
  public static <V> Builder<V> builder(Class<V> valueType) {
    return new Builder<>(ValueCodec.forType(valueType));
  }

  /**
   * Starts configuring a cache whose values go to Redis through {@code codec}.
   *
   * @param codec the value codec
   * @param <V> the value type
   * @return a builder
   */
  public static <V> Builder<V> builder(ValueCodec<V> codec) {
    return new Builder<>(Objects.requireNonNull(codec, "codec"));
  }

  /**
   * Wraps a one-argument loader. The returned function returns {@code null} where the loader did.
   *
   * @param loader the loader, called on a miss with the same argument
   * @param <A> the argument type
   * @return the caching function
   */
  @SuppressWarnings("unchecked")
  public <A> Function<A, V> wrap(Function<? super A, ? extends V> loader) {
    Objects.requireNonNull(loader, "loader");
    Function<Object, V> load = argument -> loader.apply((A) argument);
    return argument -> get(argument, load);
  }

  /**
   * Wraps a two-argument loader; {@link #invalidate invalidate(a, b)} evicts its entries.
   *
   * @param loader the loader
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @return the caching function
   */
  @SuppressWarnings("unchecked")
  public <A, B> BiFunction<A, B, V> wrap(BiFunction<? super A, ? super B, ? extends V> loader) {
    Objects.requireNonNull(loader, "loader");
    Function<Object, V> load =
        key -> {
          ArgumentTuple arguments = (ArgumentTuple) key;
          return loader.apply((A) arguments.get(0), (B) arguments.get(1));
        };
    return (a, b) -> get(new ArgumentTuple(a, b), load);
  }

  /**
   * Wraps a loader that answers "not found" with {@link Optional#empty()}, which is cached for the
   * negative TTL when one is set.
   *
   * @param loader the loader
   * @param <A> the argument type
   * @return the caching function
   */
  public <A> Function<A, Optional<V>> wrapOptional(
      Function<? super A, Optional<? extends V>> loader) {
    Objects.requireNonNull(loader, "loader");
    Function<A, V> found = wrap(argument -> loader.apply(argument).orElse(null));
    return argument -> Optional.ofNullable(found.apply(argument));
  }

  /**
   * Wraps a bulk loader. The returned function answers each key from the local tier, then one Redis
   * {@code MGET}, then one loader call with the keys still missing; keys a load in flight is
   * already fetching are awaited, not reloaded. Keys absent from the loader's map are "not found"
   * (negatively cached if configured) and absent from the result. Bulk reads do not refresh early.
   * Keys are shared with {@link #wrap(Function)} of the same cache.
   *
   * @param bulkLoader called with the set of missing keys
   * @param <A> the key type
   * @return the caching function, returning found keys in the order given
   */
  @SuppressWarnings("unchecked")
  public <A> Function<Collection<? extends A>, Map<A, V>> wrapAll(
      Function<? super Set<A>, ? extends Map<? extends A, ? extends V>> bulkLoader) {
    Objects.requireNonNull(bulkLoader, "bulkLoader");
    Function<Set<Object>, Map<?, ? extends V>> load = missing -> bulkLoader.apply((Set<A>) missing);
    return requested -> (Map<A, V>) getAll(requested, load);
  }

  /**
   * Evicts one key from both tiers and tells other JVMs to drop their local copies. Pass the same
   * arguments as the wrapped call: one for {@link #wrap(Function)}, two for {@link
   * #wrap(BiFunction)}. If Redis is unreachable only this JVM's local tier is evicted (counted as
   * an error): other JVMs keep their copies until their TTL or until their pub/sub connection comes
   * back, which clears their local tiers.
   *
   * @param arguments the call's arguments
   * @throws UnsupportedKeyException if the arguments cannot form a key
   */
  public void invalidate(Object... arguments) {
    ensureOpen();
    if (arguments == null || arguments.length == 0) {
      throw new IllegalArgumentException(
          "invalidate needs the arguments of the cached call, got none");
    }
    Object localKey = arguments.length == 1 ? arguments[0] : new ArgumentTuple(arguments);
    String redisKey = keys.redisKey(localKey);
    // Redis first: a reader that misses locally afterwards must not find the old value there.
    if (redis != null) {
      try {
        redis.delete(redisKey);
        redis.publish(instanceId + " " + redisKey);
      } catch (RuntimeException e) {
        redisFailed("invalidating " + redisKey, e);
      }
    }
    local.synchronous().invalidate(localKey);
  }

  /**
   * Evicts every key of this namespace and version from both tiers and tells other JVMs to clear
   * their local tiers. Redis keys are found with {@code SCAN MATCH} and removed with {@code UNLINK}
   * in batches of 500 (never {@code KEYS}); values written by loads running concurrently with the
   * scan may survive it. To retire a value format, bump the builder's version instead.
   */
  public void invalidateAll() {
    ensureOpen();
    if (redis != null) {
      try {
        redis.deleteMatching(keys.pattern());
        redis.publish(instanceId + " " + INVALIDATE_ALL);
      } catch (RuntimeException e) {
        redisFailed("invalidating all", e);
      }
    }
    local.synchronous().invalidateAll();
  }

  /**
   * Returns the counters since the cache was built.
   *
   * @return a snapshot of hits, misses, loads, errors and evictions
   */
  public CacheStats stats() {
    return metrics.snapshot();
  }

  /**
   * Returns the namespace, which is also the {@code cache} tag of the metrics.
   *
   * @return the namespace
   */
  public String namespace() {
    return namespace;
  }

  /**
   * Tells whether the Redis tier is configured and currently connected.
   *
   * @return {@code true} when reads and writes go to Redis
   */
  public boolean isRedisConnected() {
    return redis != null && redis.isConnected();
  }

  /**
   * Closes the Redis connections (and the client, if the cache created it), removes the meters and
   * empties the local tier. Wrapped functions then throw {@link IllegalStateException}. Idempotent.
   * Writes to Redis are asynchronous: a JVM that exits without closing its caches may lose the last
   * ones.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (redis != null) {
      redis.close();
    }
    metrics.close();
    local.synchronous().invalidateAll();
  }

  private V get(Object localKey, Function<Object, V> loader) {
    ensureOpen();
    CompletableFuture<Entry<V>> cached = local.getIfPresent(localKey);
    if (cached != null) {
      long now = time.epochNanos();
      Entry<V> entry = freshEntry(cached, now);
      if (entry != null) {
        metrics.localHit();
        return shouldRefreshEarly(entry, now)
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
    ConcurrentMap<Object, CompletableFuture<Entry<V>>> map = local.asMap();
    while (true) {
      CompletableFuture<Entry<V>> existing = map.putIfAbsent(localKey, mine);
      if (existing == null
          || !existing.isDone()
          || freshEntry(existing, time.epochNanos()) != null) {
        return existing == null ? mine : existing;
      }
      map.remove(localKey, existing); // expired or failed: replace it
    }
  }

  private Entry<V> load(
      Object localKey, CompletableFuture<Entry<V>> mine, Function<Object, V> loader) {
    String redisKey = null;
    try {
      redisKey = keys.redisKey(localKey);
      remember(redisKey, localKey);
      Entry<V> entry = redis == null ? null : readRedis(redisKey);
      if (entry == null) {
        entry = compute(redisKey, localKey, loader);
        if (local.asMap().get(localKey) == mine) { // not invalidated while loading
          writeRedis(entry);
        }
      }
      mine.complete(entry);
      if (!isCacheable(entry)) {
        discard(localKey, mine, redisKey);
      }
      return entry;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      discard(localKey, mine, redisKey);
      throw e;
    }
  }

  private Map<Object, V> getAll(
      Collection<?> requested, Function<Set<Object>, Map<?, ? extends V>> bulkLoader) {
    ensureOpen();
    Objects.requireNonNull(requested, "keys");
    Set<Object> distinct = new LinkedHashSet<>(requested);
    if (distinct.contains(
        null)) { // checked before claiming anything: a claimed key must always be completed
      throw new UnsupportedKeyException("keys of a bulk call must not be null: " + requested);
    }
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
      loadAll(owned, bulkLoader);
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
      Function<Set<Object>, Map<?, ? extends V>> bulkLoader) {
    Map<Object, String> redisKeys = new LinkedHashMap<>();
    try {
      owned.keySet().forEach(key -> redisKeys.put(key, keys.redisKey(key)));
      redisKeys.forEach((key, redisKey) -> remember(redisKey, key));
      Set<Object> missing = new LinkedHashSet<>(owned.keySet());
      if (redis != null) {
        readRedisAll(redisKeys)
            .forEach(
                (key, entry) -> {
                  owned.get(key).complete(entry);
                  missing.remove(key);
                });
      }
      if (!missing.isEmpty()) {
        Loaded<Map<?, ? extends V>> loaded =
            runLoader(() -> bulkLoader.apply(Collections.unmodifiableSet(missing)));
        for (Object key : missing) {
          V value = loaded.result() == null ? null : loaded.result().get(key);
          Entry<V> entry = newEntry(redisKeys.get(key), value, loaded);
          if (local.asMap().get(key) == owned.get(key)) {
            writeRedis(entry);
          }
          owned.get(key).complete(entry);
        }
      }
    } catch (RuntimeException | Error e) {
      owned.values().forEach(future -> future.completeExceptionally(e));
      throw e;
    } finally {
      owned.forEach(
          (key, future) -> {
            if (future.isCompletedExceptionally() || !isCacheable(future.join())) {
              discard(key, future, redisKeys.get(key));
            }
          });
    }
  }

  private Entry<V> readRedis(String redisKey) {
    byte[] bytes;
    try {
      bytes = redis.get(redisKey);
    } catch (RuntimeException e) {
      redisFailed("reading " + redisKey, e);
      return null;
    }
    return decodeRedis(redisKey, bytes);
  }

  private Map<Object, Entry<V>> readRedisAll(Map<Object, String> redisKeys) {
    List<Object> localKeys = new ArrayList<>(redisKeys.keySet());
    List<byte[]> values;
    try {
      values = redis.getAll(new ArrayList<>(redisKeys.values()));
    } catch (RuntimeException e) {
      redisFailed("reading " + redisKeys.size() + " keys", e);
      return Map.of();
    }
    Map<Object, Entry<V>> entries = new LinkedHashMap<>();
    for (int i = 0; i < localKeys.size(); i++) {
      Entry<V> entry = decodeRedis(redisKeys.get(localKeys.get(i)), values.get(i));
      if (entry != null) {
        entries.put(localKeys.get(i), entry);
      }
    }
    return entries;
  }

  /**
   * A fresh entry from Redis bytes, or {@code null} (counted as a Redis miss; corrupt bytes are
   * deleted).
   */
  private Entry<V> decodeRedis(String redisKey, byte[] bytes) {
    if (bytes != null) {
      try {
        Entry<V> entry = Envelope.decode(redisKey, bytes, codec);
        if (entry.isFreshAt(time.epochNanos())) {
          metrics.redisHit();
          return entry;
        }
      } catch (RuntimeException corrupt) {
        metrics.error();
        metrics.corruptEviction();
        redisWarning.warn(
            "cache '" + namespace + "' evicted an undecodable value at " + redisKey, corrupt);
        try {
          redis.delete(redisKey);
        } catch (RuntimeException e) {
          redisFailed("deleting " + redisKey, e);
        }
      }
    }
    metrics.redisMiss();
    return null;
  }

  private void writeRedis(Entry<V> entry) {
    if (redis == null || !isCacheable(entry)) {
      return;
    }
    long ttlMillis =
        Math.max(1, TimeUnit.NANOSECONDS.toMillis(entry.expiresAtNanos() - time.epochNanos()));
    try {
      redis.setAsync(
          entry.redisKey(),
          Envelope.encode(entry, codec),
          ttlMillis,
          failure -> redisFailed("writing " + entry.redisKey(), failure));
    } catch (RuntimeException e) {
      redisFailed("writing " + entry.redisKey(), e);
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
    } catch (RuntimeException | Error e) {
      metrics.loadFailed(Math.max(0, time.epochNanos() - start));
      throw e;
    }
    long end = time.epochNanos();
    long computeNanos = Math.max(0, end - start);
    metrics.loadSucceeded(computeNanos);
    return new Loaded<>(result, end, computeNanos);
  }

  private Entry<V> compute(String redisKey, Object localKey, Function<Object, V> loader) {
    Loaded<V> loaded = runLoader(() -> loader.apply(localKey));
    return newEntry(redisKey, loaded.result(), loaded);
  }

  /**
   * The entry a loaded value is cached as: found values live the jittered TTL, "not found" the
   * negative TTL.
   */
  private Entry<V> newEntry(String redisKey, V value, Loaded<?> loaded) {
    long lifetime = value != null ? jitteredTtl() : negativeTtlNanos;
    return new Entry<>(redisKey, value, loaded.finishedAtNanos() + lifetime, loaded.computeNanos());
  }

  private long jitteredTtl() {
    return ttlJitter == 0
        ? ttlNanos
        : (long) (ttlNanos * (1 - ttlJitter * ThreadLocalRandom.current().nextDouble()));
  }

  private boolean isCacheable(Entry<V> entry) {
    return entry.value() != null || negativeTtlNanos > 0;
  }

  private boolean shouldRefreshEarly(Entry<V> entry, long now) {
    double window = earlyRefreshBeta * entry.computeNanos();
    double remaining = entry.expiresAtNanos() - now;
    if (window <= 0 || remaining > MAX_WINDOWS_AHEAD * window) {
      return false;
    }
    return -window * Math.log(random.getAsDouble()) >= remaining;
  }

  private V refreshEarly(
      Object localKey,
      CompletableFuture<Entry<V>> current,
      Entry<V> entry,
      Function<Object, V> loader) {
    if (refreshing.putIfAbsent(localKey, Boolean.TRUE) != null) {
      return entry.value(); // another caller is refreshing it
    }
    try {
      Entry<V> fresh = compute(entry.redisKey(), localKey, loader);
      boolean replaced =
          isCacheable(fresh)
              ? local.asMap().replace(localKey, current, CompletableFuture.completedFuture(fresh))
              : local.asMap().remove(localKey, current);
      if (replaced) {
        writeRedis(fresh);
      }
      return fresh.value();
    } catch (RuntimeException e) {
      refreshWarning.warn(
          "cache '"
              + namespace
              + "' failed to refresh "
              + entry.redisKey()
              + " early; serving the current value",
          e);
      return entry.value();
    } finally {
      refreshing.remove(localKey);
    }
  }

  private static <V> Entry<V> await(CompletableFuture<Entry<V>> future) {
    try {
      return future.join();
    } catch (CompletionException | CancellationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private void remember(String redisKey, Object localKey) {
    if (redis != null) {
      localKeysByRedisKey.put(redisKey, localKey);
    }
  }

  /**
   * Removes a future that must not stay cached, and the key's index entry unless a new load took
   * its place.
   */
  private void discard(Object localKey, CompletableFuture<Entry<V>> future, String redisKey) {
    local.asMap().remove(localKey, future);
    forgetIfGone(redisKey, localKey);
  }

  private void forgetIfGone(String redisKey, Object localKey) {
    if (redisKey != null) {
      localKeysByRedisKey.computeIfPresent(
          redisKey, (ignored, current) -> local.asMap().containsKey(current) ? current : null);
    }
  }

  private void onLocalRemoval(Object localKey, Entry<V> entry, RemovalCause cause) {
    if (cause == RemovalCause.SIZE) {
      metrics.sizeEviction();
    }
    if (entry != null) {
      forgetIfGone(entry.redisKey(), localKey);
    }
  }

  private void onInvalidationMessage(String message) {
    int space = message.indexOf(' ');
    if (space < 0 || message.startsWith(instanceId + " ")) {
      return; // malformed, or our own invalidation (already applied)
    }
    String redisKey = message.substring(space + 1);
    if (INVALIDATE_ALL.equals(redisKey)) {
      local.synchronous().invalidateAll();
      return;
    }
    Object localKey = localKeysByRedisKey.get(redisKey);
    if (localKey != null) {
      local.synchronous().invalidate(localKey);
    }
  }

  private void onResubscribed() {
    LOG.info(
        "cache '{}' re-subscribed to invalidations after a Redis reconnect; clearing the local"
            + " tier",
        namespace);
    local.synchronous().invalidateAll();
  }

  private void redisFailed(String operation, Throwable failure) {
    metrics.error();
    redisWarning.warn(
        "cache '" + namespace + "' served without Redis after " + operation + " failed", failure);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("cache '" + namespace + "' is closed");
    }
  }

  /**
   * Configures a {@link HeimdallCache}; {@link #build()} validates everything. Only the namespace
   * and the TTL are required.
   *
   * @param <V> the value type
   */
  public static final class Builder<V> {

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Duration MAX_TTL = Duration.ofDays(365);

    private final ValueCodec<V> codec;
    private String namespace;
    private int version = 1;
    private Duration ttl;
    private double ttlJitter = 0.1;
    private long maximumSize = 10_000;
    private Duration negativeTtl;
    private double earlyRefreshBeta = 1.0;
    private String redisUriText;
    private RedisURI redisUri;
    private RedisClient redisClient;
    private Duration commandTimeout = Duration.ofMillis(100);
    private MeterRegistry meterRegistry;
    private TimeSource timeSource = TimeSource.system();
    private DoubleSupplier random = () -> 1.0 - ThreadLocalRandom.current().nextDouble();

    private Builder(ValueCodec<V> codec) {
      this.codec = codec;
    }

    /**
     * Sets the namespace (required): 1–64 characters from {@code [A-Za-z0-9._-]}, unique per
     * loader; it prefixes every key and tags the metrics.
     *
     * @param namespace the namespace
     * @return this builder
     */
    public Builder<V> namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /**
     * Sets the version (default 1, at least 0) that is part of every key: bump it when the value
     * format or the loader's meaning changes, and old entries are never read again.
     *
     * @param version the version
     * @return this builder
     */
    public Builder<V> version(int version) {
      this.version = version;
      return this;
    }

    /**
     * Sets the time to live of found values (required, positive, at most 365 days).
     *
     * @param ttl the time to live
     * @return this builder
     */
    public Builder<V> ttl(Duration ttl) {
      this.ttl = ttl;
      return this;
    }

    /**
     * Sets the jitter fraction j in [0, 1) (default 0.1): each entry lives {@code ttl × (1 − j ×
     * u)}, u uniform in [0, 1).
     *
     * @param fraction the jitter fraction
     * @return this builder
     */
    public Builder<V> ttlJitter(double fraction) {
      this.ttlJitter = fraction;
      return this;
    }

    /**
     * Sets the maximum number of local entries (default 10 000).
     *
     * @param maximumSize the bound, at least 1
     * @return this builder
     */
    public Builder<V> maximumSize(long maximumSize) {
      this.maximumSize = maximumSize;
      return this;
    }

    /**
     * Caches "not found" (a {@code null} or empty result) for this long; by default it is not
     * cached.
     *
     * @param negativeTtl positive, at most 365 days
     * @return this builder
     */
    public Builder<V> negativeTtl(Duration negativeTtl) {
      this.negativeTtl = negativeTtl;
      return this;
    }

    /**
     * Sets XFetch's β (default 1.0; 0 disables early refresh; above 1 favours earlier refreshes).
     *
     * @param beta finite, at least 0
     * @return this builder
     */
    public Builder<V> earlyRefreshBeta(double beta) {
      this.earlyRefreshBeta = beta;
      return this;
    }

    /**
     * Adds a Redis tier at {@code uri} ({@code redis://[password@]host[:port][/database]}, {@code
     * rediss://} for TLS). The cache creates and closes its own client.
     *
     * @param uri the Redis URI
     * @return this builder
     */
    public Builder<V> redis(String uri) {
      this.redisUriText = uri;
      return this;
    }

    /**
     * Adds a Redis tier on an existing client created with a URI. The cache opens its own
     * connections on it (closed by {@link HeimdallCache#close()}) but leaves the client open;
     * configure it with {@code DisconnectedBehavior.REJECT_COMMANDS} and {@code TimeoutOptions} so
     * commands never queue while Redis is away.
     *
     * @param client the client
     * @return this builder
     */
    public Builder<V> redis(RedisClient client) {
      this.redisClient = client;
      return this;
    }

    /**
     * Sets how long a Redis command may take before the call is served without Redis (default 100
     * ms).
     *
     * @param timeout positive, at most one minute
     * @return this builder
     */
    public Builder<V> commandTimeout(Duration timeout) {
      this.commandTimeout = timeout;
      return this;
    }

    /**
     * Registers the cache's meters in {@code registry} (by default they go to a private registry,
     * still readable through {@link HeimdallCache#stats()}).
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder<V> meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * Replaces the clock (default {@link TimeSource#system()}), for tests and simulations.
     *
     * @param timeSource the clock
     * @return this builder
     */
    public Builder<V> timeSource(TimeSource timeSource) {
      this.timeSource = timeSource;
      return this;
    }

    /**
     * Replaces the uniform draw of early refresh, which must return values in (0, 1], for
     * deterministic tests.
     *
     * @param random the source of u
     * @return this builder
     */
    public Builder<V> earlyRefreshRandom(DoubleSupplier random) {
      this.random = random;
      return this;
    }

    /**
     * Validates the configuration and builds the cache. With a Redis tier it connects once (failing
     * open: if Redis is unreachable the cache works without it and keeps retrying).
     *
     * @return the cache
     * @throws IllegalArgumentException naming the first invalid setting and what was expected
     */
    public HeimdallCache<V> build() {
      if (namespace == null || namespace.isEmpty()) {
        throw new IllegalArgumentException(
            "namespace is required: 1-64 characters from [A-Za-z0-9._-],"
                + " e.g. namespace(\"locations\")");
      }
      if (!NAMESPACE.matcher(namespace).matches()) {
        throw new IllegalArgumentException(
            "namespace '"
                + namespace
                + "' is invalid: expected 1-64 characters from [A-Za-z0-9._-]");
      }
      if (version < 0) {
        throw new IllegalArgumentException("version must be at least 0, got " + version);
      }
      requireDuration("ttl", ttl, MAX_TTL);
      if (!(ttlJitter >= 0 && ttlJitter < 1)) {
        throw new IllegalArgumentException("ttlJitter must be in [0, 1), got " + ttlJitter);
      }
      if (maximumSize < 1) {
        throw new IllegalArgumentException("maximumSize must be at least 1, got " + maximumSize);
      }
      if (negativeTtl != null) {
        requireDuration("negativeTtl", negativeTtl, MAX_TTL);
      }
      if (!(earlyRefreshBeta >= 0 && earlyRefreshBeta < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(
            "earlyRefreshBeta must be finite and at least 0, got " + earlyRefreshBeta);
      }
      requireDuration("commandTimeout", commandTimeout, Duration.ofMinutes(1));
      Objects.requireNonNull(timeSource, "timeSource");
      Objects.requireNonNull(random, "earlyRefreshRandom");
      if (redisUriText != null && redisClient != null) {
        throw new IllegalArgumentException("give either redis(uri) or redis(client), not both");
      }
      redisUri = redisUriText == null ? null : parseRedisUri(redisUriText);
      return new HeimdallCache<>(this);
    }

    private static void requireDuration(String name, Duration value, Duration max) {
      if (value == null) {
        throw new IllegalArgumentException(
            name + " is required, e.g. " + name + "(Duration.ofMinutes(10))");
      }
      if (value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            name + " must be positive and at most " + max + ", got " + value);
      }
    }

    private static RedisURI parseRedisUri(String text) {
      String expected = "expected redis://[password@]host[:port][/database] or rediss://...";
      RedisURI uri;
      try {
        uri = RedisURI.create(text);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "redis URI '" + text + "' is invalid (" + e.getMessage() + "): " + expected, e);
      }
      if (uri.getSocket() == null && (uri.getHost() == null || uri.getHost().isEmpty())) {
        throw new IllegalArgumentException("redis URI '" + text + "' names no host: " + expected);
      }
      return uri;
    }
  }
}
