package io.heimdall.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared tier: reads, conditional write-backs and invalidations in Redis, failing open.
 *
 * <p><b>Tombstones.</b> An invalidation atomically deletes the value, writes a tombstone (a token
 * unique to that invalidation, living the tombstone TTL) and publishes the message; {@code
 * invalidateAll} increments the namespace generation. Every read that may lead to a load also
 * observes the key's tombstone and the generation, in the same round trip; the write-back of the
 * loaded value is a Lua script that sets the value only if both are unchanged. So no JVM writes
 * back a value loaded before an invalidation, whichever JVM invalidated and whenever its message
 * arrives. A load that took longer than the tombstone TTL (minus the command timeout) is not
 * written back at all, since its tombstone may have expired.
 *
 * <p><b>Failing open.</b> Every failure (unreachable, timed out, rejected) is counted and logged at
 * most every 30 s, and the call goes on without Redis. After {@code breakerFailures} consecutive
 * failures the {@link CircuitBreaker} skips Redis until a background probe gets an answer.
 */
final class RedisTier<V> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HeimdallCache.class);
  private static final String LETTUCE_CLASS = "io.lettuce.core.RedisClient";

  /** The cause logged for skipped calls: one instance, so a skipped call allocates nothing. */
  private static final IllegalStateException SKIPPED =
      new IllegalStateException(
          "circuit breaker open after consecutive Redis failures; a background probe retries");

  /** What a load observed before it started; its write-back is conditional on it. */
  record Observation(String tombstone, String generation, long atNanos) {}

  /** A Redis read: the fresh entry found (or {@code null}) and the observation for a load. */
  record Read<V>(Entry<V> entry, Observation observation) {}

  private final String namespace;
  private final KeyEncoder keys;
  private final ValueCodec<V> codec;
  private final TimeSource time;
  private final CacheMetrics metrics;
  private final Invalidations invalidations;
  private final long tombstoneMillis;
  private final long writeDeadlineNanos;
  private final RateLimitedWarning warning = new RateLimitedWarning(LOG, 30, TimeUnit.SECONDS);
  private final CircuitBreaker breaker;
  private final RedisConnection connection;

  /**
   * Connects (failing open: an unreachable Redis is retried in the background).
   *
   * @param clearLocal empties the local tier when invalidations may have been missed
   */
  RedisTier(
      Settings settings,
      KeyEncoder keys,
      ValueCodec<V> codec,
      TimeSource time,
      CacheMetrics metrics,
      Invalidations invalidations,
      Runnable clearLocal) {
    this.namespace = settings.namespace();
    this.keys = keys;
    this.codec = codec;
    this.time = time;
    this.metrics = metrics;
    this.invalidations = invalidations;
    this.tombstoneMillis = settings.tombstoneTtl().toMillis();
    this.writeDeadlineNanos = settings.tombstoneTtl().minus(settings.commandTimeout()).toNanos();
    this.breaker =
        new CircuitBreaker(
            settings.breakerFailures(),
            settings.breakerCoolDown().toMillis(),
            this::answersPing,
            metrics::breakerOpened);
    this.connection =
        LettuceRedisConnection.open(
            settings.uri(),
            settings.commandTimeout(),
            keys.channel(),
            new RedisConnection.Listener() {
              @Override
              public void onMessage(String message) {
                invalidations.onMessage(message);
              }

              @Override
              public void onSubscriptionRestored() {
                LOG.info(
                    "cache '{}' subscribed to invalidations after a time without; clearing the"
                        + " local tier",
                    namespace);
                clearLocal.run();
              }

              @Override
              public void onConnected() {
                breaker.reset();
              }

              @Override
              public void onConnectFailed(RuntimeException failure) {
                failed("connecting", failure);
              }
            });
  }

  /** The Redis settings of a cache, validated by its builder. */
  record Settings(
      String namespace,
      String uri,
      Duration commandTimeout,
      int breakerFailures,
      Duration breakerCoolDown,
      Duration tombstoneTtl) {}

  /**
   * Checks that the Redis client is on the class path and that {@code uri} parses, without loading
   * any Lettuce class when it is absent.
   *
   * @throws MissingDependencyException if Lettuce is absent
   * @throws io.heimdall.InvalidInputException if the URI is invalid
   */
  static void validate(String uri) {
    try {
      Class.forName(LETTUCE_CLASS, false, RedisTier.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new MissingDependencyException(
          MissingDependencyException.LETTUCE,
          "redis(\""
              + uri
              + "\") needs the Redis client "
              + MissingDependencyException.LETTUCE
              + " on the class path (heimdall-cache declares it optional): add that dependency,"
              + " or remove redis(...) for a local-only cache");
    }
    LettuceRedisConnection.validate(uri);
  }

  /** Whether Redis is connected and not skipped by the breaker. */
  boolean isConnected() {
    return connection.isConnected() && !breaker.isOpen();
  }

  /** Reads one key and observes its tombstone and the generation, in one round trip. */
  Read<V> read(String redisKey) {
    if (!available("reading " + redisKey)) {
      return new Read<>(null, null);
    }
    long at = System.nanoTime();
    List<byte[]> values;
    try {
      values =
          connection.mget(List.of(redisKey, keys.tombstoneKey(redisKey), keys.generationKey()));
      breaker.success();
    } catch (RuntimeException e) {
      failedCall("reading " + redisKey, e);
      return new Read<>(null, null);
    }
    Observation observed = new Observation(text(values.get(1)), text(values.get(2)), at);
    return new Read<>(decode(redisKey, values.get(0)), observed);
  }

  /**
   * Reads many keys in one MGET with their tombstones and the generation; the result maps every
   * requested local key to its read, in order.
   */
  Map<Object, Read<V>> readAll(Map<Object, String> redisKeys) {
    Map<Object, Read<V>> reads = new LinkedHashMap<>();
    if (!available("reading " + redisKeys.size() + " keys")) {
      redisKeys.keySet().forEach(key -> reads.put(key, new Read<>(null, null)));
      return reads;
    }
    List<String> request = new ArrayList<>(redisKeys.values());
    redisKeys.values().forEach(redisKey -> request.add(keys.tombstoneKey(redisKey)));
    request.add(keys.generationKey());
    long at = System.nanoTime();
    List<byte[]> values;
    try {
      values = connection.mget(request);
      breaker.success();
    } catch (RuntimeException e) {
      failedCall("reading " + redisKeys.size() + " keys", e);
      redisKeys.keySet().forEach(key -> reads.put(key, new Read<>(null, null)));
      return reads;
    }
    int n = redisKeys.size();
    String generation = text(values.get(2 * n));
    int i = 0;
    for (Map.Entry<Object, String> key : redisKeys.entrySet()) {
      Observation observed = new Observation(text(values.get(n + i)), generation, at);
      reads.put(key.getKey(), new Read<>(decode(key.getValue(), values.get(i)), observed));
      i++;
    }
    return reads;
  }

  /** Observes a key's tombstone and the generation before an early refresh. */
  Observation observe(String redisKey) {
    if (!available("reading " + redisKey)) {
      return null;
    }
    long at = System.nanoTime();
    try {
      List<byte[]> values =
          connection.mget(List.of(keys.tombstoneKey(redisKey), keys.generationKey()));
      breaker.success();
      return new Observation(text(values.get(0)), text(values.get(1)), at);
    } catch (RuntimeException e) {
      failedCall("reading " + redisKey, e);
      return null;
    }
  }

  /**
   * Writes a loaded entry without waiting, if nothing invalidated it since {@code observed} (a
   * {@code null} observation, from a failed read, writes nothing).
   */
  void writeBack(Entry<V> entry, Observation observed) {
    if (observed == null || System.nanoTime() - observed.atNanos() >= writeDeadlineNanos) {
      return;
    }
    String redisKey = entry.redisKey();
    if (!available("writing " + redisKey)) {
      return;
    }
    long ttlMillis =
        Math.max(1, TimeUnit.NANOSECONDS.toMillis(entry.expiresAtNanos() - time.epochNanos()));
    byte[] bytes;
    try {
      bytes = Envelope.encode(entry, codec);
    } catch (RuntimeException e) { // the value's fault, not Redis's: the breaker does not count it
      failed("encoding " + redisKey, e);
      return;
    }
    try {
      connection
          .setIfUnchanged(
              redisKey,
              keys.tombstoneKey(redisKey),
              keys.generationKey(),
              bytes,
              ttlMillis,
              observed.tombstone(),
              observed.generation())
          .whenComplete(
              (written, failure) -> {
                if (failure == null) {
                  breaker.success();
                } else {
                  failedCall("writing " + redisKey, failure);
                }
              });
    } catch (RuntimeException e) {
      failedCall("writing " + redisKey, e);
    }
  }

  /**
   * Deletes a key, writes its tombstone and tells other JVMs, atomically.
   *
   * @return whether Redis took it (otherwise only the local tier is evicted)
   */
  boolean invalidate(String redisKey) {
    if (!available("invalidating " + redisKey)) {
      return false;
    }
    try {
      connection.invalidate(
          redisKey,
          keys.tombstoneKey(redisKey),
          invalidations.newTombstoneToken(),
          tombstoneMillis,
          invalidations.keyMessage(redisKey));
      breaker.success();
      return true;
    } catch (RuntimeException e) {
      failedCall("invalidating " + redisKey, e);
      return false;
    }
  }

  /**
   * Increments the generation (so no load in flight writes back), deletes the namespace's keys and
   * tells other JVMs.
   */
  void invalidateAll() {
    if (!available("invalidating all")) {
      return;
    }
    try {
      connection.incrementGeneration(keys.generationKey());
      connection.deleteMatching(keys.pattern());
      connection.publish(invalidations.allMessage());
      breaker.success();
    } catch (RuntimeException e) {
      failedCall("invalidating all", e);
    }
  }

  /** A fresh entry from Redis bytes, or {@code null} (a Redis miss; corrupt bytes are deleted). */
  private Entry<V> decode(String redisKey, byte[] bytes) {
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
        warning.warn(
            "cache '" + namespace + "' evicted an undecodable value at " + redisKey, corrupt);
        try {
          connection.delete(redisKey);
        } catch (RuntimeException e) {
          failedCall("deleting " + redisKey, e);
        }
      }
    }
    metrics.redisMiss();
    return null;
  }

  /** Whether the breaker lets a call through; a skipped call counts as an error. */
  private boolean available(String operation) {
    if (breaker.allows()) {
      return true;
    }
    metrics.error();
    warning.warn("cache '" + namespace + "' skipped Redis while " + operation, SKIPPED);
    return false;
  }

  private boolean answersPing() {
    try {
      connection.ping();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void failedCall(String operation, Throwable failure) {
    breaker.failure();
    failed(operation, failure);
  }

  private void failed(String operation, Throwable failure) {
    metrics.error();
    warning.warn(
        "cache '" + namespace + "' served without Redis after " + operation + " failed", failure);
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    breaker.shutdown();
    connection.close();
  }
}
