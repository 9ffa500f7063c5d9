package io.heimdall.cache;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Invalidation across JVMs: the only owner of the pub/sub message format and of the tombstone
 * tokens.
 *
 * <p>A message is {@code <instance id> <redis key>}, or {@code <instance id> *} for "everything of
 * this namespace and version". An instance ignores its own messages (it already applied them) and
 * finds the local entry of another's through an index from Redis keys to local keys, kept for keys
 * that have a local entry or a load in flight. A tombstone token is unique per invalidation, so a
 * write-back can tell whether any invalidation happened since it observed the key.
 */
final class Invalidations {

  private static final String ALL = "*";

  private final String instanceId = UUID.randomUUID().toString();
  private final AtomicLong tokens = new AtomicLong();
  private final ConcurrentMap<String, Object> localKeysByRedisKey = new ConcurrentHashMap<>();
  private final Consumer<Object> evictLocal;
  private final Runnable evictAllLocal;
  private final Predicate<Object> hasLocal;

  /**
   * @param evictLocal removes a local key (entry or load in flight)
   * @param evictAllLocal empties the local tier
   * @param hasLocal whether a local key still has an entry or a load in flight
   */
  Invalidations(Consumer<Object> evictLocal, Runnable evictAllLocal, Predicate<Object> hasLocal) {
    this.evictLocal = evictLocal;
    this.evictAllLocal = evictAllLocal;
    this.hasLocal = hasLocal;
  }

  /** The message that tells other instances to drop one key. */
  String keyMessage(String redisKey) {
    return instanceId + " " + redisKey;
  }

  /** The message that tells other instances to drop every key. */
  String allMessage() {
    return instanceId + " " + ALL;
  }

  /** A tombstone value no other invalidation, here or in another JVM, ever writes. */
  String newTombstoneToken() {
    return instanceId + ":" + tokens.incrementAndGet();
  }

  /** Records which local key a Redis key belongs to, before its load or Redis read starts. */
  void remember(String redisKey, Object localKey) {
    localKeysByRedisKey.put(redisKey, localKey);
  }

  /** Drops the index entry of a key that no longer has a local entry or load. */
  void forgetIfGone(String redisKey, Object localKey) {
    if (redisKey != null) {
      localKeysByRedisKey.computeIfPresent(
          redisKey, (ignored, current) -> hasLocal.test(current) ? current : null);
    }
  }

  /** Applies a message received on the channel. */
  void onMessage(String message) {
    int space = message.indexOf(' ');
    if (space < 0 || message.startsWith(instanceId + " ")) {
      return; // malformed, or our own invalidation (already applied)
    }
    String redisKey = message.substring(space + 1);
    if (ALL.equals(redisKey)) {
      evictAllLocal.run();
      return;
    }
    Object localKey = localKeysByRedisKey.get(redisKey);
    if (localKey != null) {
      evictLocal.accept(localKey);
    }
  }
}
