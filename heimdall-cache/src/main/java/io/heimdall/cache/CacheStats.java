package io.heimdall.cache;

/**
 * A snapshot of a cache's counters since it was built (the same figures its Micrometer meters
 * report).
 *
 * @param localHits calls answered by the local tier
 * @param localMisses calls the local tier could not answer (they waited for a load in flight, read
 *     Redis or ran the loader)
 * @param redisHits lookups answered by the Redis tier
 * @param redisMisses lookups the Redis tier could not answer (absent, expired or corrupt)
 * @param loadSuccesses loader calls that returned (including "not found")
 * @param loadFailures loader calls that threw
 * @param errors Redis failures, calls that skipped Redis while the breaker was open, and
 *     undecodable values, each served without the shared tier
 * @param evictions local entries evicted for size plus corrupt values evicted
 * @param breakerOpenings times the Redis tier was skipped after consecutive failures (a breaker
 *     that a failed probe keeps open counts once)
 */
public record CacheStats(
    long localHits,
    long localMisses,
    long redisHits,
    long redisMisses,
    long loadSuccesses,
    long loadFailures,
    long errors,
    long evictions,
    long breakerOpenings) {

  /**
   * Checks that every counter is at least 0.
   *
   * @param localHits calls answered by the local tier
   * @param localMisses calls the local tier could not answer
   * @param redisHits lookups answered by the Redis tier
   * @param redisMisses lookups the Redis tier could not answer
   * @param loadSuccesses loader calls that returned
   * @param loadFailures loader calls that threw
   * @param errors calls served without the shared tier
   * @param evictions local evictions for size plus corrupt values evicted
   * @param breakerOpenings circuit breaker openings
   * @throws io.heimdall.InvalidInputException naming the first negative counter
   */
  public CacheStats {
    long[] counts = {
      localHits,
      localMisses,
      redisHits,
      redisMisses,
      loadSuccesses,
      loadFailures,
      errors,
      evictions,
      breakerOpenings
    };
    String[] names = {
      "localHits",
      "localMisses",
      "redisHits",
      "redisMisses",
      "loadSuccesses",
      "loadFailures",
      "errors",
      "evictions",
      "breakerOpenings"
    };
    for (int i = 0; i < counts.length; i++) {
      Checks.argument(counts[i] >= 0, names[i] + " must be at least 0, got " + counts[i]);
    }
  }

  /**
   * Returns the calls answered without running the loader.
   *
   * @return local hits plus Redis hits
   */
  public long hits() {
    return localHits + redisHits;
  }

  /**
   * Returns the calls that neither tier answered.
   *
   * @return local misses minus the ones Redis answered
   */
  public long misses() {
    return localMisses - redisHits;
  }
}
