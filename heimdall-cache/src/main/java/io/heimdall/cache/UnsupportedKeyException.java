package io.heimdall.cache;

import io.heimdall.InvalidInputException;

/**
 * Thrown when a loader argument cannot be turned into a stable cache key, for example an array or
 * an arbitrary object whose {@code toString} would not identify it. The message names the
 * argument's position and type and lists the supported types.
 */
public final class UnsupportedKeyException extends InvalidInputException {

  private static final long serialVersionUID = 1L;

  UnsupportedKeyException(String message) {
    super(message);
  }
}
