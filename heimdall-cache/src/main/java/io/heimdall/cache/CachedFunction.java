package io.heimdall.cache;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A one-argument loader wrapped by {@link HeimdallCache#wrap(Function)} or {@link
 * HeimdallCache#wrapOptional(Function)}: {@link #apply} answers from the cache, {@link #invalidate}
 * evicts one key. Both take the loader's argument type, so a key of another type does not compile.
 * Thread-safe; valid until its cache is closed.
 *
 * @param <K> the argument (key) type
 * @param <R> the result type
 */
public final class CachedFunction<K, R> implements Function<K, R> {

  private final Function<K, R> get;
  private final Consumer<K> invalidate;

  CachedFunction(Function<K, R> get, Consumer<K> invalidate) {
    this.get = get;
    this.invalidate = invalidate;
  }

  /**
   * Returns the cached result for {@code key}, calling the loader only if no tier has a fresh one.
   *
   * @param key the loader's argument
   * @return the result; {@code null} where the loader returned {@code null}
   * @throws UnsupportedKeyException if {@code key} cannot form a cache key
   * @throws IllegalStateException if the cache is closed
   */
  @Override
  public R apply(K key) {
    return get.apply(key);
  }

  /**
   * Evicts {@code key} from both tiers and tells other JVMs to drop their local copies; a load of
   * it already in flight, here or in another JVM, is not written back. If Redis is unreachable only
   * this JVM's local tier is evicted (counted as an error).
   *
   * @param key the argument whose result to evict
   * @throws UnsupportedKeyException if {@code key} cannot form a cache key
   * @throws IllegalStateException if the cache is closed
   */
  public void invalidate(K key) {
    invalidate.accept(key);
  }
}
