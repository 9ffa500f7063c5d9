package io.heimdall.cache;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The Redis commands the shared tier needs, free of client-library types so that a cache without a
 * Redis tier never loads the client. Every method throws a {@link RuntimeException} on failure or
 * after the command timeout; the tier turns failures into fail-open behaviour.
 */
interface RedisConnection extends AutoCloseable {

  /** What the connection reports to its tier. Called on client threads: must not block. */
  interface Listener {

    /** A message arrived on the invalidation channel. */
    void onMessage(String message);

    /**
     * The channel is subscribed after a period without a subscription (a reconnect, or a first
     * connection after start-up failed): messages published meanwhile were lost.
     */
    void onSubscriptionRestored();

    /** Both connections are up after having been down or never up. */
    void onConnected();

    /** A connection attempt failed; another follows in the background. */
    void onConnectFailed(RuntimeException failure);
  }

  /** Whether the data connection is established and currently open. */
  boolean isConnected();

  /** Values of {@code keys} in order, {@code null} where absent. */
  List<byte[]> mget(List<String> keys);

  /**
   * Sets {@code key} to {@code value} for {@code ttlMillis} only if the tombstone and generation
   * keys still hold what was observed ({@code ""} for absent), atomically; completes with whether
   * it wrote.
   */
  CompletionStage<Boolean> setIfUnchanged(
      String key,
      String tombstoneKey,
      String generationKey,
      byte[] value,
      long ttlMillis,
      String observedTombstone,
      String observedGeneration);

  /**
   * Atomically deletes {@code key}, sets {@code tombstoneKey} to {@code token} for {@code
   * tombstoneMillis} and publishes {@code message}.
   */
  void invalidate(
      String key, String tombstoneKey, String token, long tombstoneMillis, String message);

  /** Increments the namespace generation. */
  void incrementGeneration(String generationKey);

  /** Deletes every key matching {@code pattern} with SCAN + UNLINK in batches (never KEYS). */
  long deleteMatching(String pattern);

  /** Publishes on the invalidation channel. */
  void publish(String message);

  void delete(String key);

  /** A round trip: throws if Redis does not answer within the command timeout. */
  void ping();

  @Override
  void close();
}
