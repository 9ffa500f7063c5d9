package io.heimdall.cache;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A cache-aside decorator: {@link #wrap(Function) wrap} a loader (a database read, a model call)
 * and get a function that answers from a Caffeine local tier, then from an optional Redis tier
 * shared by many JVMs, and calls the loader only when neither has a fresh value.
 *
 * <pre>{@code
 * try (HeimdallCache<Location> cache = HeimdallCache.builder(Location.class)
 *         .namespace("locations").ttl(Duration.ofMinutes(10))
 *         .redis("redis://cache.internal:6379").meterRegistry(registry).build()) {
 *     CachedFunction<UUID, Location> locate = cache.wrap(dao::findLocation);
 *     Location where = locate.apply(taskId);
 *     locate.invalidate(taskId); // both tiers, every JVM
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
 *       compares encodings. The wrapped function is a typed handle ({@link CachedFunction}, {@link
 *       CachedBiFunction}, {@link CachedBulkFunction}) whose {@code invalidate} takes the loader's
 *       argument types, so a key of the wrong type does not compile.
 *   <li><b>Expiry</b>: every entry lives {@code ttl × (1 − jitter × u)}, u uniform in [0, 1), so
 *       entries written together do not expire together; Redis keys carry the same expiry.
 *   <li><b>Single flight</b>: concurrent misses of one key in this JVM run the loader once; the
 *       others wait for its result or its exception (checked exceptions thrown sneakily included,
 *       which reach the callers unchanged). A loader must not call its own cache with the same key.
 *   <li><b>Early refresh</b> (XFetch, Vattani et al., VLDB 2015): a read at time t of an entry that
 *       took δ to compute and expires at T recomputes it when {@code t − δ·β·ln(u) ≥ T}, u uniform
 *       in (0, 1]; at most one caller per key and JVM refreshes (synchronously, the others keep
 *       getting the current value). A failed early refresh is logged and the current value is
 *       served. β = 0 disables it.
 *   <li><b>Not found</b>: a loader result of {@code null} (or {@code Optional.empty()} with {@link
 *       #wrapOptional}) is cached for the negative TTL if one is set, otherwise not at all. Loader
 *       exceptions reach the caller and are never cached.
 *   <li><b>Invalidation</b>: {@code invalidate} on a wrapped function and {@link #invalidateAll}
 *       evict both tiers and publish on a Redis channel so other JVMs drop their local copies. An
 *       invalidation also leaves a short-lived tombstone in Redis (the namespace generation for
 *       {@code invalidateAll}), and every write-back to Redis is a script that writes only if no
 *       invalidation happened since the load began: no JVM writes back a value loaded before an
 *       invalidation, from a miss, an early refresh or a bulk load. Whenever the subscription comes
 *       back after a time without one (a reconnect, or a first connection after Redis was down at
 *       start-up), the local tier is cleared, because invalidations published meanwhile were lost.
 *   <li><b>Failure</b>: Redis unreachable, slow (beyond the command timeout) or holding undecodable
 *       bytes never fails a call: the value comes from the loader and the local tier, {@value
 *       #METRIC_ERRORS} increments and a WARN is logged at most every 30 s. After a few consecutive
 *       failures a circuit breaker skips Redis (no call waits for it) until a background probe gets
 *       an answer. A daemon thread reconnects in the background.
 * </ul>
 *
 * <p>Metrics (tag {@code cache}=namespace): {@value #METRIC_GETS} (tier=local|redis,
 * result=hit|miss), {@value #METRIC_LOADS} timer (outcome=success|error), {@value #METRIC_ERRORS},
 * {@value #METRIC_EVICTIONS} (reason=size|corrupt), {@value #METRIC_BREAKER_OPENINGS}. Use one
 * cache per namespace per registry. Cached values are shared between callers: treat them as
 * immutable. Instances are thread-safe; close them to release the Redis connections they created.
 *
 * <p>The Redis tier needs {@code io.lettuce:lettuce-core} on the class path, an optional dependency
 * of this module: a local-only cache runs without Lettuce, Netty or Reactor.
 *
 * @param <V> the type of the cached values
 */
public final class HeimdallCache<V> implements AutoCloseable {

  /** Counter of lookups, tagged {@code tier} (local, redis) and {@code result} (hit, miss). */
  public static final String METRIC_GETS = "heimdall.cache.gets";

  /** Timer of loader calls, tagged {@code outcome} (success, error). */
  public static final String METRIC_LOADS = "heimdall.cache.loads";

  /** Counter of calls served without Redis: failures, skipped calls, undecodable values. */
  public static final String METRIC_ERRORS = "heimdall.cache.errors";

  /** Counter of local evictions for size and of corrupt Redis values, tagged {@code reason}. */
  public static final String METRIC_EVICTIONS = "heimdall.cache.evictions";

  /** Counter of circuit breaker openings: times a stalled Redis started being skipped. */
  public static final String METRIC_BREAKER_OPENINGS = "heimdall.cache.breaker.openings";

  private final CacheCore<V> core;

  private HeimdallCache(CacheCore<V> core) {
    this.core = core;
  }

  /**
   * Starts configuring a cache of {@code valueType} with its natural codec ({@link
   * ValueCodec#forType}).
   *
   * @param valueType the class of the cached values
   * @param <V> the value type
   * @return a builder
   * @throws io.heimdall.InvalidInputException if {@code valueType} is null
   */
  public static <V> Builder<V> builder(Class<V> valueType) {
    return new Builder<>(ValueCodec.forType(Checks.notNull(valueType, "valueType")));
  }

  /**
   * Starts configuring a cache whose values go to Redis through {@code codec}.
   *
   * @param codec the value codec
   * @param <V> the value type
   * @return a builder
   * @throws io.heimdall.InvalidInputException if {@code codec} is null
   */
  public static <V> Builder<V> builder(ValueCodec<V> codec) {
    return new Builder<>(Checks.notNull(codec, "codec"));
  }

  /**
   * Wraps a one-argument loader. The returned function returns {@code null} where the loader did;
   * its {@link CachedFunction#invalidate invalidate} takes the same argument type.
   *
   * @param loader the loader, called on a miss with the same argument
   * @param <K> the argument type
   * @return the caching function
   * @throws io.heimdall.InvalidInputException if {@code loader} is null
   */
  @SuppressWarnings("unchecked")
  public <K> CachedFunction<K, V> wrap(Function<? super K, ? extends V> loader) {
    Checks.notNull(loader, "loader");
    Function<Object, V> load = key -> loader.apply((K) key);
    return new CachedFunction<>(key -> core.get(key, load), core::invalidate);
  }

  /**
   * Wraps a two-argument loader; its {@link CachedBiFunction#invalidate invalidate(a, b)} evicts
   * one pair.
   *
   * @param loader the loader
   * @param <A> the first argument type
   * @param <B> the second argument type
   * @return the caching function
   * @throws io.heimdall.InvalidInputException if {@code loader} is null
   */
  @SuppressWarnings("unchecked")
  public <A, B> CachedBiFunction<A, B, V> wrap(
      BiFunction<? super A, ? super B, ? extends V> loader) {
    Checks.notNull(loader, "loader");
    Function<Object, V> load =
        key -> {
          ArgumentTuple arguments = (ArgumentTuple) key;
          return loader.apply((A) arguments.get(0), (B) arguments.get(1));
        };
    return new CachedBiFunction<>(
        (a, b) -> core.get(new ArgumentTuple(a, b), load),
        (a, b) -> core.invalidate(new ArgumentTuple(a, b)));
  }

  /**
   * Wraps a loader that answers "not found" with {@link Optional#empty()}, which is cached for the
   * negative TTL when one is set.
   *
   * @param loader the loader; it must not return {@code null}
   * @param <K> the argument type
   * @return the caching function
   * @throws io.heimdall.InvalidInputException if {@code loader} is null
   */
  public <K> CachedFunction<K, Optional<V>> wrapOptional(
      Function<? super K, Optional<? extends V>> loader) {
    Checks.notNull(loader, "loader");
    CachedFunction<K, V> found = wrap((K key) -> loader.apply(key).orElse(null));
    return new CachedFunction<>(key -> Optional.ofNullable(found.apply(key)), found::invalidate);
  }

  /**
   * Wraps a bulk loader. The returned function answers each key from the local tier, then one Redis
   * {@code MGET}, then one loader call with the keys still missing; keys a load in flight is
   * already fetching are awaited, not reloaded. Keys absent from the loader's map are "not found"
   * (negatively cached if configured) and absent from the result. Bulk reads do not refresh early.
   * Keys are shared with {@link #wrap(Function)} of the same cache.
   *
   * @param bulkLoader called with the set of missing keys
   * @param <K> the key type
   * @return the caching function, returning found keys in the order given
   * @throws io.heimdall.InvalidInputException if {@code bulkLoader} is null
   */
  @SuppressWarnings("unchecked")
  public <K> CachedBulkFunction<K, V> wrapAll(
      Function<? super Set<K>, ? extends Map<? extends K, ? extends V>> bulkLoader) {
    Checks.notNull(bulkLoader, "bulkLoader");
    Function<Set<Object>, Map<?, ? extends V>> load =
        missing -> bulkLoader.apply((Set<K>) (Set<?>) missing);
    Function<Collection<? extends K>, Map<K, V>> getAll =
        requested -> (Map<K, V>) (Map<?, V>) core.getAll(requested, load);
    return new CachedBulkFunction<>(getAll, core::invalidate);
  }

  /**
   * Evicts every key of this namespace and version from both tiers and tells other JVMs to clear
   * their local tiers. The namespace generation in Redis is incremented first, so no load in flight
   * anywhere writes back; then keys are found with {@code SCAN MATCH} and removed with {@code
   * UNLINK} in batches of 500 (never {@code KEYS}). To retire a value format, bump the builder's
   * version instead.
   *
   * @throws IllegalStateException if the cache is closed
   */
  public void invalidateAll() {
    core.invalidateAll();
  }

  /**
   * Returns the counters since the cache was built.
   *
   * @return a snapshot of hits, misses, loads, errors, evictions and breaker openings
   */
  public CacheStats stats() {
    return core.stats();
  }

  /**
   * Returns the namespace, which is also the {@code cache} tag of the metrics.
   *
   * @return the namespace
   */
  public String namespace() {
    return core.namespace();
  }

  /**
   * Tells whether the Redis tier is configured, connected and in use: {@code false} while Redis is
   * unreachable or skipped by the circuit breaker, {@code true} again once a reconnect or a probe
   * succeeded.
   *
   * @return {@code true} when reads and writes go to Redis
   */
  public boolean isRedisConnected() {
    return core.isRedisConnected();
  }

  /**
   * Closes the Redis connections, removes the meters and empties the local tier. Wrapped functions
   * then throw {@link IllegalStateException}. Idempotent. Writes to Redis are asynchronous: a JVM
   * that exits without closing its caches may lose the last ones.
   */
  @Override
  public void close() {
    core.close();
  }

  /**
   * Configures a {@link HeimdallCache}. Each setter rejects an invalid value at once; {@link
   * #build()} checks what is required and the settings against each other. Only the namespace and
   * the TTL are required.
   *
   * @param <V> the value type
   */
  public static final class Builder<V> {

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Duration MAX_TTL = Duration.ofDays(365);
    private static final Duration MAX_COMMAND_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration MAX_COOL_DOWN = Duration.ofMinutes(10);
    private static final Duration MAX_TOMBSTONE_TTL = Duration.ofHours(1);

    private final ValueCodec<V> codec;
    private String namespace;
    private int version = 1;
    private Duration ttl;
    private double ttlJitter = 0.1;
    private long maximumSize = 10_000;
    private Duration negativeTtl;
    private double earlyRefreshBeta = 1.0;
    private String redisUri;
    private Duration commandTimeout = Duration.ofMillis(100);
    private int breakerFailures = 3;
    private Duration breakerCoolDown = Duration.ofSeconds(1);
    private Duration tombstoneTtl = Duration.ofMinutes(1);
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
     * @throws io.heimdall.InvalidInputException if it is empty or has other characters
     */
    public Builder<V> namespace(String namespace) {
      checkNamespace(namespace);
      this.namespace = namespace;
      return this;
    }

    /**
     * Sets the version (default 1, at least 0) that is part of every key: bump it when the value
     * format or the loader's meaning changes, and old entries are never read again.
     *
     * @param version the version
     * @return this builder
     * @throws io.heimdall.InvalidInputException if it is negative
     */
    public Builder<V> version(int version) {
      Checks.argument(version >= 0, "version must be at least 0, got " + version);
      this.version = version;
      return this;
    }

    /**
     * Sets the time to live of found values (required, positive, at most 365 days).
     *
     * @param ttl the time to live
     * @return this builder
     * @throws io.heimdall.InvalidInputException if it is null, not positive or too long
     */
    public Builder<V> ttl(Duration ttl) {
      this.ttl = Checks.duration("ttl", ttl, MAX_TTL);
      return this;
    }

    /**
     * Sets the jitter fraction j in [0, 1) (default 0.1): each entry lives {@code ttl × (1 − j ×
     * u)}, u uniform in [0, 1).
     *
     * @param fraction the jitter fraction
     * @return this builder
     * @throws io.heimdall.InvalidInputException if it is outside [0, 1)
     */
    public Builder<V> ttlJitter(double fraction) {
      Checks.argument(
          fraction >= 0 && fraction < 1, "ttlJitter must be in [0, 1), got " + fraction);
      this.ttlJitter = fraction;
      return this;
    }

    /**
     * Sets the maximum number of local entries (default 10 000).
     *
     * @param maximumSize the bound, at least 1
     * @return this builder
     * @throws io.heimdall.InvalidInputException if it is below 1
     */
    public Builder<V> maximumSize(long maximumSize) {
      Checks.argument(maximumSize >= 1, "maximumSize must be at least 1, got " + maximumSize);
      this.maximumSize = maximumSize;
      return this;
    }

    /**
     * Caches "not found" (a {@code null} or empty result) for this long; by default it is not
     * cached.
     *
     * @param negativeTtl positive, at most 365 days
     * @return this builder
     * @throws io.heimdall.InvalidInputException if it is null, not positive or too long
     */
    public Builder<V> negativeTtl(Duration negativeTtl) {
      this.negativeTtl = Checks.duration("negativeTtl", negativeTtl, MAX_TTL);
      return this;
    }

    /**
     * Sets XFetch's β (default 1.0; 0 disables early refresh; above 1 favours earlier refreshes).
     *
     * @param beta finite, at least 0
     * @return this builder
     * @throws io.heimdall.InvalidInputException if it is negative, infinite or NaN
     */
    public Builder<V> earlyRefreshBeta(double beta) {
      Checks.argument(
          beta >= 0 && beta < Double.POSITIVE_INFINITY,
          "earlyRefreshBeta must be finite and at least 0, got " + beta);
      this.earlyRefreshBeta = beta;
      return this;
    }

    /**
     * Adds a Redis tier at {@code uri} ({@code redis://[password@]host[:port][/database]}, {@code
     * rediss://} for TLS); by default the cache is local only. The cache creates and closes its own
     * client, which needs {@code io.lettuce:lettuce-core} on the class path ({@link #build()}
     * throws {@link MissingDependencyException} otherwise).
     *
     * @param uri the Redis URI
     * @return this builder
     * @throws io.heimdall.InvalidInputException if it is null
     */
    public Builder<V> redis(String uri) {
      this.redisUri = Checks.notNull(uri, "redis URI");
      return this;
    }

    /**
     * Sets how long a Redis command may take before the call is served without Redis (default 100
     * ms). It must be shorter than the tombstone TTL.
     *
     * @param timeout positive, at most one minute
     * @return this builder
     * @throws io.heimdall.InvalidInputException if it is null, not positive or too long
     */
    public Builder<V> commandTimeout(Duration timeout) {
      this.commandTimeout = Checks.duration("commandTimeout", timeout, MAX_COMMAND_TIMEOUT);
      return this;
    }

    /**
     * Sets how many consecutive Redis failures (timeouts, refused commands) open the circuit
     * breaker (default 3). While it is open no call waits for Redis: calls go straight to the local
     * tier and the loader, and a background probe asks Redis again every cool-down. With the
     * defaults, a stalled Redis costs at most 3 × the command timeout in total, not per call.
     *
     * @param failures at least 1
     * @return this builder
     * @throws io.heimdall.InvalidInputException if it is below 1
     */
    public Builder<V> breakerFailures(int failures) {
      Checks.argument(failures >= 1, "breakerFailures must be at least 1, got " + failures);
      this.breakerFailures = failures;
      return this;
    }

    /**
     * Sets how long the circuit breaker skips Redis before each probe (default 1 s): the time a
     * recovered Redis may stay unused.
     *
     * @param coolDown positive, at most 10 minutes
     * @return this builder
     * @throws io.heimdall.InvalidInputException if it is null, not positive or too long
     */
    public Builder<V> breakerCoolDown(Duration coolDown) {
      this.breakerCoolDown = Checks.duration("breakerCoolDown", coolDown, MAX_COOL_DOWN);
      return this;
    }

    /**
     * Sets how long an invalidation's tombstone stays in Redis (default 1 minute). A load that
     * began before an invalidation cannot write back while the tombstone lives; a load that takes
     * longer than this (minus the command timeout) is served but not written to Redis. It must be
     * longer than the command timeout.
     *
     * @param ttl positive, at most one hour
     * @return this builder
     * @throws io.heimdall.InvalidInputException if it is null, not positive or too long
     */
    public Builder<V> tombstoneTtl(Duration ttl) {
      this.tombstoneTtl = Checks.duration("tombstoneTtl", ttl, MAX_TOMBSTONE_TTL);
      return this;
    }

    /**
     * Registers the cache's meters in {@code registry} (by default they go to a private registry,
     * still readable through {@link HeimdallCache#stats()}).
     *
     * @param registry the registry
     * @return this builder
     * @throws io.heimdall.InvalidInputException if it is null
     */
    public Builder<V> meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Checks.notNull(registry, "meterRegistry");
      return this;
    }

    /**
     * Replaces the clock (default {@link TimeSource#system()}), for tests and simulations.
     *
     * @param timeSource the clock
     * @return this builder
     * @throws io.heimdall.InvalidInputException if it is null
     */
    public Builder<V> timeSource(TimeSource timeSource) {
      this.timeSource = Checks.notNull(timeSource, "timeSource");
      return this;
    }

    /**
     * Replaces the uniform draw of early refresh (default a uniform draw in (0, 1]), which must
     * return values in (0, 1], for deterministic tests.
     *
     * @param random the source of u
     * @return this builder
     * @throws io.heimdall.InvalidInputException if it is null
     */
    public Builder<V> earlyRefreshRandom(DoubleSupplier random) {
      this.random = Checks.notNull(random, "earlyRefreshRandom");
      return this;
    }

    /**
     * Validates the configuration and builds the cache. With a Redis tier it connects once (failing
     * open: if Redis is unreachable the cache works without it and reconnects in the background).
     *
     * @return the cache
     * @throws io.heimdall.InvalidInputException naming the first missing or conflicting setting and
     *     what was expected
     * @throws MissingDependencyException if a Redis tier is configured and {@code
     *     io.lettuce:lettuce-core} is not on the class path
     */
    public HeimdallCache<V> build() {
      checkNamespace(namespace);
      Checks.duration("ttl", ttl, MAX_TTL);
      RedisTier.Settings redis = null;
      if (redisUri != null) {
        Checks.argument(
            tombstoneTtl.compareTo(commandTimeout) > 0,
            "tombstoneTtl ("
                + tombstoneTtl
                + ") must be longer than commandTimeout ("
                + commandTimeout
                + ")");
        RedisTier.validate(redisUri);
        redis =
            new RedisTier.Settings(
                namespace,
                redisUri,
                commandTimeout,
                breakerFailures,
                breakerCoolDown,
                tombstoneTtl);
      }
      return new HeimdallCache<>(
          new CacheCore<>(
              namespace,
              version,
              codec,
              new Lifetimes(ttl, ttlJitter, negativeTtl),
              new EarlyRefresh(earlyRefreshBeta, random),
              timeSource,
              meterRegistry,
              maximumSize,
              redis));
    }

    private static void checkNamespace(String namespace) {
      Checks.argument(
          namespace != null && !namespace.isEmpty(),
          "namespace is required: 1-64 characters from [A-Za-z0-9._-], e.g."
              + " namespace(\"locations\")");
      Checks.argument(
          NAMESPACE.matcher(namespace).matches(),
          "namespace '" + namespace + "' is invalid: expected 1-64 characters from [A-Za-z0-9._-]");
    }
  }
}
