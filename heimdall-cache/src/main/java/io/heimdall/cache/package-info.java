/**
 * The cache-aside decorator: wrap a loader with {@link io.heimdall.cache.HeimdallCache} and get a
 * typed handle ({@link io.heimdall.cache.CachedFunction} and its two-argument and bulk siblings)
 * backed by a Caffeine local tier, an optional Redis tier shared by many JVMs, collision-free keys,
 * single-flight loading, early probabilistic refresh (XFetch), negative caching, invalidation
 * across JVMs that no load in flight can undo (tombstones and conditional write-backs), fail-open
 * behaviour with a circuit breaker when Redis misbehaves, and Micrometer metrics. The Redis tier
 * needs the optional dependency {@code io.lettuce:lettuce-core}.
 */
package io.heimdall.cache;
