package io.heimdall.cache;

/**
 * Thrown when a loader argument cannot be turned into a stable cache key, for example an array or
 * an arbitrary object whose {@code toString} would not identify it.
 */
public final class UnsupportedKeyException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  UnsupportedKeyException(String message) {
    super(message);
  }
}
