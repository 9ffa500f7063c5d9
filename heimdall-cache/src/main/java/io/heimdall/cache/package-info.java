/**
 * The cache-aside decorator: wrap a loader with {@link io.heimdall.cache.HeimdallCache} and get a
 * Caffeine local tier, an optional Redis tier shared by many JVMs, collision-free keys,
 * single-flight loading, early probabilistic refresh (XFetch), negative caching, invalidation
 * across JVMs, fail-open behaviour when Redis misbehaves, and Micrometer metrics.
 */
package io.heimdall.cache;
