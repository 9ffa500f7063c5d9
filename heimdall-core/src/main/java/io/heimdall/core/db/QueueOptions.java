package io.heimdall.core.db;

import java.time.Duration;

/**
 * Settings of a {@link TaskQueue}.
 *
 * @param lease how long a claim lasts before the task returns to the queue, 1 s..24 h
 * @param maxAttempts claims allowed per task before it is marked failed, 1..100
 */
public record QueueOptions(Duration lease, int maxAttempts) {
  /** Validates both settings. */
  public QueueOptions {
    if (lease == null
        || lease.compareTo(Duration.ofSeconds(1)) < 0
        || lease.compareTo(Duration.ofHours(24)) > 0) {
      throw new IllegalArgumentException("lease must be between 1 s and 24 h, got " + lease);
    }
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("maxAttempts must be in 1..100, got " + maxAttempts);
    }
  }

  /**
   * @return a 5-minute lease and 3 attempts
   */
  public static QueueOptions defaults() {
    return new QueueOptions(Duration.ofMinutes(5), 3);
  }
}
