package io.heimdall.cache;

import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A bulk loader wrapped by {@link HeimdallCache#wrapAll(Function)}: {@link #apply} answers many
 * keys at once, {@link #invalidate} evicts one. Keys are shared with {@link
 * HeimdallCache#wrap(Function)} of the same cache. Thread-safe; valid until its cache is closed.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class CachedBulkFunction<K, V>
    implements Function<Collection<? extends K>, Map<K, V>> {

  private final Function<Collection<? extends K>, Map<K, V>> get;
  private final Consumer<K> invalidate;

  CachedBulkFunction(Function<Collection<? extends K>, Map<K, V>> get, Consumer<K> invalidate) {
    this.get = get;
    this.invalidate = invalidate;
  }

  /**
   * Answers each key from the local tier, then one Redis {@code MGET}, then one loader call with
   * the keys still missing; keys a load in flight is already fetching are awaited, not reloaded.
   *
   * @param keys the keys, none {@code null}; duplicates are answered once
   * @return the found keys and their values, in the order given; "not found" keys are absent
   * @throws UnsupportedKeyException if a key is {@code null} or cannot form a cache key
   * @throws IllegalStateException if the cache is closed
   */
  @Override
  public Map<K, V> apply(Collection<? extends K> keys) {
    return get.apply(keys);
  }

  /**
   * Evicts one key from both tiers and tells other JVMs, as {@link CachedFunction#invalidate}.
   *
   * @param key the key to evict
   * @throws UnsupportedKeyException if {@code key} cannot form a cache key
   * @throws IllegalStateException if the cache is closed
   */
  public void invalidate(K key) {
    invalidate.accept(key);
  }
}
