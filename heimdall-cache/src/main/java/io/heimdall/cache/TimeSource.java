package io.heimdall.cache;

/**
 * The clock of a cache: nanoseconds since the Unix epoch.
 *
 * <p>Expiry instants are stored in Redis and compared by other JVMs, so the clock must be anchored
 * to the wall clock; it must also never go backwards within a JVM. Tests and simulations inject
 * their own source to make expiry and early refresh deterministic.
 */
@FunctionalInterface
public interface TimeSource {

  /**
   * Returns the current time.
   *
   * @return nanoseconds since 1970-01-01T00:00Z
   */
  long epochNanos();

  /**
   * Returns the system source: the wall clock read once at start-up, advanced by {@link
   * System#nanoTime()} so it is monotonic and costs one {@code nanoTime} call.
   *
   * @return the shared system time source
   */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }
}
