package io.heimdall.cache;

import io.heimdall.HeimdallException;

/**
 * Thrown by {@link HeimdallCache.Builder#build()} when a configured feature needs a library that is
 * not on the class path: the Redis tier needs {@value #LETTUCE}, which heimdall-cache declares as
 * an optional dependency so that local-only caches do not bring Lettuce, Netty and Reactor.
 */
public final class MissingDependencyException extends HeimdallException {

  /** The Maven coordinates of the Redis client the Redis tier needs. */
  public static final String LETTUCE = "io.lettuce:lettuce-core";

  private static final long serialVersionUID = 1L;

  /** Maven coordinates of the missing artifact. */
  private final String artifact;

  MissingDependencyException(String artifact, String message) {
    super(message);
    this.artifact = artifact;
  }

  /**
   * Returns the artifact to add.
   *
   * @return Maven coordinates {@code groupId:artifactId}, such as {@value #LETTUCE}
   */
  public String artifact() {
    return artifact;
  }
}
