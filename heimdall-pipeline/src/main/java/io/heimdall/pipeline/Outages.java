package io.heimdall.pipeline;

import io.heimdall.core.db.DatabaseUnavailableException;
import io.heimdall.core.db.PoolExhaustedException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Tells a database outage (worth waiting out) from a failure of the task, and retries a write
 * through an outage with a bounded backoff.
 */
final class Outages {
  /** First pause between two attempts; doubles up to {@link #MAX_PAUSE}. */
  static final Duration FIRST_PAUSE = Duration.ofMillis(100);

  /** Longest pause between two attempts: a restarted server is noticed within it. */
  static final Duration MAX_PAUSE = Duration.ofSeconds(2);

  private Outages() {}

  /**
   * Whether {@code failure} says the database could not be reached (refused connection, broken
   * connection, server shutting down or starting up) rather than that the statement was wrong.
   */
  static boolean isOutage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DatabaseUnavailableException || t instanceof PoolExhaustedException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The pause after {@code failures} consecutive failed attempts (1, 2, ...). */
  static long pauseNanos(int failures) {
    long pause = FIRST_PAUSE.toNanos() << Math.min(failures - 1, 10);
    return Math.min(pause, MAX_PAUSE.toNanos());
  }

  /**
   * Runs {@code write}, retrying while it fails with an outage, until {@code budget} has passed
   * since the first attempt; then (or on any other failure) throws the last failure.
   */
  static <T> T retryThroughOutage(Supplier<T> write, Duration budget) {
    long deadline = System.nanoTime() + budget.toNanos();
    int failures = 0;
    while (true) {
      try {
        return write.get();
      } catch (RuntimeException e) {
        failures++;
        long pause = pauseNanos(failures);
        if (!isOutage(e) || System.nanoTime() + pause - deadline > 0) {
          throw e;
        }
        sleep(pause);
      }
    }
  }

  private static void sleep(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the database to return", e);
    }
  }
}
