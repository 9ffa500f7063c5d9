package io.heimdall.cache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one cache. Hot-path counts are {@link LongAdder}s that Micrometer reads through
 * function counters, so a hit costs one striped increment whatever the registry.
 */
final class CacheMetrics implements AutoCloseable {

  private final LongAdder localHits = new LongAdder();
  private final LongAdder localMisses = new LongAdder();
  private final LongAdder redisHits = new LongAdder();
  private final LongAdder redisMisses = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder sizeEvictions = new LongAdder();
  private final LongAdder corruptEvictions = new LongAdder();
  private final LongAdder breakerOpenings = new LongAdder();
  private final Timer loadSuccesses;
  private final Timer loadFailures;
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();

  CacheMetrics(MeterRegistry registry, String cacheName) {
    this.registry = registry;
    Tags cache = Tags.of("cache", cacheName);
    gets(cache, "local", "hit", localHits);
    gets(cache, "local", "miss", localMisses);
    gets(cache, "redis", "hit", redisHits);
    gets(cache, "redis", "miss", redisMisses);
    counter(
        HeimdallCache.METRIC_ERRORS,
        cache,
        errors,
        "Redis failures, calls that skipped a stalled Redis and undecodable values");
    counter(
        HeimdallCache.METRIC_EVICTIONS,
        cache.and("reason", "size"),
        sizeEvictions,
        "Local entries evicted for size");
    counter(
        HeimdallCache.METRIC_EVICTIONS,
        cache.and("reason", "corrupt"),
        corruptEvictions,
        "Undecodable values evicted");
    counter(
        HeimdallCache.METRIC_BREAKER_OPENINGS,
        cache,
        breakerOpenings,
        "Times the Redis tier was skipped after consecutive failures");
    loadSuccesses = loads(cache, "success");
    loadFailures = loads(cache, "error");
  }

  private void gets(Tags cache, String tier, String result, LongAdder count) {
    counter(
        HeimdallCache.METRIC_GETS,
        cache.and("tier", tier, "result", result),
        count,
        "Cache lookups by tier and result");
  }

  private void counter(String name, Tags tags, LongAdder count, String description) {
    meters.add(
        FunctionCounter.builder(name, count, LongAdder::sum)
            .tags(tags)
            .description(description)
            .register(registry));
  }

  private Timer loads(Tags cache, String outcome) {
    Timer timer =
        Timer.builder(HeimdallCache.METRIC_LOADS)
            .tags(cache.and("outcome", outcome))
            .description("Loader calls and their duration")
            .register(registry);
    meters.add(timer);
    return timer;
  }

  void localHit() {
    localHits.increment();
  }

  void localMiss() {
    localMisses.increment();
  }

  void redisHit() {
    redisHits.increment();
  }

  void redisMiss() {
    redisMisses.increment();
  }

  void error() {
    errors.increment();
  }

  void breakerOpened() {
    breakerOpenings.increment();
  }

  void sizeEviction() {
    sizeEvictions.increment();
  }

  void corruptEviction() {
    corruptEvictions.increment();
  }

  void loadSucceeded(long nanos) {
    loadSuccesses.record(nanos, TimeUnit.NANOSECONDS);
  }

  void loadFailed(long nanos) {
    loadFailures.record(nanos, TimeUnit.NANOSECONDS);
  }

  CacheStats snapshot() {
    return new CacheStats(
        localHits.sum(),
        localMisses.sum(),
        redisHits.sum(),
        redisMisses.sum(),
        loadSuccesses.count(),
        loadFailures.count(),
        errors.sum(),
        sizeEvictions.sum() + corruptEvictions.sum(),
        breakerOpenings.sum());
  }

  /** Removes this cache's meters so a closed cache does not linger in a long-lived registry. */
  @Override
  public void close() {
    meters.forEach(registry::remove);
  }
}
