package io.heimdall.pipeline;

import static io.heimdall.pipeline.Checks.positive;
import static io.heimdall.pipeline.Checks.require;

import io.heimdall.cache.CacheStats;
import io.heimdall.cache.CachedFunction;
import io.heimdall.cache.HeimdallCache;
import io.heimdall.core.TaskResult;
import io.heimdall.core.db.HeimdallDatabase;
import io.heimdall.core.metrics.HeimdallMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads stored results cache-aside: from the local tier, then Redis when configured, then the
 * database. It needs only the database and the cache, not a model: a service that serves results
 * builds one of these and no pipeline. Absent results are not cached (they may appear later).
 * Reads are timed as {@value HeimdallMetrics#REQUEST_LATENCY}{@code {operation="result.get"}}.
 *
 * <pre>{@code
 * try (ResultReader results = ResultReader.builder(database).redis("redis://cache:6379").build()) {
 *   Optional<TaskResult> result = results.result(taskId);
 * }
 * }</pre>
 */
public final class ResultReader implements AutoCloseable {

  /** The {@code operation} tag of result reads in {@value HeimdallMetrics#REQUEST_LATENCY}. */
  public static final String RESULT_OPERATION = "result.get";

  private final HeimdallCache<TaskResult> cache;
  private final CachedFunction<UUID, Optional<TaskResult>> cachedResult;
  private final HeimdallMetrics metrics;

  private ResultReader(Builder b) {
    HeimdallCache.Builder<TaskResult> cache =
        HeimdallCache.builder(TaskResultCodec.INSTANCE)
            .namespace("task-results")
            .ttl(b.ttl)
            .maximumSize(b.maximumSize)
            .meterRegistry(b.registry);
    if (b.redisUri != null) {
      cache.redis(b.redisUri);
    }
    this.cache = cache.build();
    this.metrics = HeimdallMetrics.on(b.registry);
    HeimdallDatabase database = b.database;
    this.cachedResult =
        this.cache.<UUID>wrapOptional(taskId -> database.results().findByTask(taskId));
  }

  /**
   * Starts configuring a reader over {@code database}, which stays the caller's to close.
   *
   * @param database the database the results are stored in
   * @return a builder with the defaults stated on its setters
   */
  public static Builder builder(HeimdallDatabase database) {
    return new Builder(database);
  }

  /**
   * The stored result of a task.
   *
   * @param taskId the task
   * @return its result, or empty if none is stored yet
   * @throws IllegalStateException if the reader is closed
   */
  public Optional<TaskResult> result(UUID taskId) {
    Objects.requireNonNull(taskId, "taskId");
    return metrics.timeRequest(RESULT_OPERATION, () -> cachedResult.apply(taskId));
  }

  /**
   * Drops a task's result from both cache tiers; call it after changing or deleting the result.
   *
   * @param taskId the task
   */
  public void invalidate(UUID taskId) {
    cachedResult.invalidate(taskId);
  }

  /**
   * Hit and miss counters of the result cache.
   *
   * @return the counters since the reader was built
   */
  public CacheStats cacheStats() {
    return cache.stats();
  }

  /**
   * Whether the shared Redis tier is connected now.
   *
   * @return false without a Redis tier, or while Redis is unreachable
   */
  public boolean isRedisConnected() {
    return cache.isRedisConnected();
  }

  /** Closes the cache; the database stays open. Idempotent. */
  @Override
  public void close() {
    cache.close();
  }

  /** Configures a {@link ResultReader}; {@link #build()} validates every setting. */
  public static final class Builder {
    private final HeimdallDatabase database;
    private Duration ttl = Duration.ofMinutes(10);
    private long maximumSize = 100_000;
    private String redisUri;
    private MeterRegistry registry = new SimpleMeterRegistry();

    private Builder(HeimdallDatabase database) {
      this.database = Objects.requireNonNull(database, "database");
    }

    /**
     * Time to live of cached results (default 10 min).
     *
     * @param ttl greater than zero
     * @return this
     */
    public Builder ttl(Duration ttl) {
      this.ttl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /**
     * Most results held in the local tier (default 100 000).
     *
     * @param size at least 1
     * @return this
     */
    public Builder maximumSize(long size) {
      this.maximumSize = size;
      return this;
    }

    /**
     * Redis URI of the shared tier, e.g. {@code redis://host:6379} (default none: local tier only).
     * An unreachable Redis is tolerated: reads go to the database.
     *
     * @param uri a {@code redis://} URI
     * @return this
     */
    public Builder redis(String uri) {
      this.redisUri = Objects.requireNonNull(uri, "redis uri");
      return this;
    }

    /**
     * Registry for the cache's meters and the read timer (default a private simple registry).
     *
     * @param registry the registry
     * @return this
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "meterRegistry");
      return this;
    }

    /**
     * Validates the settings and builds the reader.
     *
     * @return the reader, the caller's to close
     * @throws io.heimdall.InvalidInputException naming the first invalid setting
     */
    public ResultReader build() {
      require(positive(ttl), "result ttl", ttl, "> 0");
      require(maximumSize >= 1, "result maximumSize", maximumSize, ">= 1");
      return new ResultReader(this);
    }
  }
}
