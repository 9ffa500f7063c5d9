package io.heimdall.cache;

import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * A two-argument loader wrapped by {@link HeimdallCache#wrap(BiFunction)}: {@link #apply} answers
 * from the cache, {@link #invalidate} evicts one pair of arguments. Both take the loader's argument
 * types, so keys of other types do not compile. Thread-safe; valid until its cache is closed.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <R> the result type
 */
public final class CachedBiFunction<A, B, R> implements BiFunction<A, B, R> {

  private final BiFunction<A, B, R> get;
  private final BiConsumer<A, B> invalidate;

  CachedBiFunction(BiFunction<A, B, R> get, BiConsumer<A, B> invalidate) {
    this.get = get;
    this.invalidate = invalidate;
  }

  /**
   * Returns the cached result for the arguments, calling the loader only if no tier has a fresh
   * one.
   *
   * @param first the loader's first argument
   * @param second the loader's second argument
   * @return the result; {@code null} where the loader returned {@code null}
   * @throws UnsupportedKeyException if the arguments cannot form a cache key
   * @throws IllegalStateException if the cache is closed
   */
  @Override
  public R apply(A first, B second) {
    return get.apply(first, second);
  }

  /**
   * Evicts the result of these arguments from both tiers and tells other JVMs; a load of it in
   * flight is not written back. If Redis is unreachable only this JVM's local tier is evicted.
   *
   * @param first the first argument
   * @param second the second argument
   * @throws UnsupportedKeyException if the arguments cannot form a cache key
   * @throws IllegalStateException if the cache is closed
   */
  public void invalidate(A first, B second) {
    invalidate.accept(first, second);
  }
}
