package io.heimdall.cache;

/**
 * One cached result.
 *
 * @param redisKey the encoded key, shared by both tiers
 * @param value the loader's result; {@code null} when the loader found nothing
 * @param expiresAtNanos expiry on the {@link TimeSource} scale
 * @param computeNanos how long the loader took (XFetch's delta)
 */
record Entry<V>(String redisKey, V value, long expiresAtNanos, long computeNanos) {

  boolean isFreshAt(long nowNanos) {
    return nowNanos < expiresAtNanos;
  }
}
