package io.heimdall.core.db;

import io.heimdall.core.internal.Checks;
import java.time.Duration;

/**
 * Settings of a {@link TaskQueue}.
 *
 * @param lease how long a claim lasts before the task returns to the queue, 1 s..24 h
 * @param maxAttempts claims allowed per task before it is marked failed, 1..100
 */
public record QueueOptions(Duration lease, int maxAttempts) {
  /**
   * Validates both settings.
   *
   * @param lease how long a claim lasts before the task returns to the queue, 1 s..24 h
   * @param maxAttempts claims allowed per task before it is marked failed, 1..100
   * @throws io.heimdall.InvalidInputException naming the setting that is out of range
   */
  public QueueOptions {
    Checks.between("lease", lease, Duration.ofSeconds(1), Duration.ofHours(24));
    Checks.between("maxAttempts", maxAttempts, 1, 100);
  }

  /**
   * @return a 5-minute lease and 3 attempts
   */
  public static QueueOptions defaults() {
    return new QueueOptions(Duration.ofMinutes(5), 3);
  }
}
