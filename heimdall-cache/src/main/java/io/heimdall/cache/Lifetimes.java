package io.heimdall.cache;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long entries live: found values the TTL shortened by jitter, so entries written together do
 * not expire together; "not found" the negative TTL, or not at all without one.
 */
final class Lifetimes {

  private final long ttlNanos;
  private final double jitter;
  private final long negativeTtlNanos;

  /**
   * @param negativeTtl {@code null} when "not found" is not cached
   */
  Lifetimes(Duration ttl, double jitter, Duration negativeTtl) {
    this.ttlNanos = ttl.toNanos();
    this.jitter = jitter;
    this.negativeTtlNanos = negativeTtl == null ? 0 : negativeTtl.toNanos();
  }

  /** The entry of a loader result finished at {@code finishedAtNanos}. */
  <V> Entry<V> entry(String redisKey, V value, long finishedAtNanos, long computeNanos) {
    long lifetime = value != null ? jitteredTtl() : negativeTtlNanos;
    return new Entry<>(redisKey, value, finishedAtNanos + lifetime, computeNanos);
  }

  /** Whether an entry is kept at all: found values always, "not found" with a negative TTL. */
  boolean isCacheable(Entry<?> entry) {
    return entry.value() != null || negativeTtlNanos > 0;
  }

  /** {@code ttl × (1 − jitter × u)}, u uniform in [0, 1). */
  private long jitteredTtl() {
    return jitter == 0
        ? ttlNanos
        : (long) (ttlNanos * (1 - jitter * ThreadLocalRandom.current().nextDouble()));
  }
}
