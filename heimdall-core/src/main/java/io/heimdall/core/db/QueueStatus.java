package io.heimdall.core.db;

import io.heimdall.core.TaskStatus;
import io.heimdall.core.internal.Checks;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of the task queue from {@link TaskQueue#status()}.
 *
 * @param counts how many tasks have each status; every status is present
 * @param oldestClaimAge how long ago the longest-running claimed task was claimed, by the database
 *     clock; empty when no task is processing
 */
public record QueueStatus(Map<TaskStatus, Long> counts, Optional<Duration> oldestClaimAge) {

  /**
   * Copies the counts and checks that every status is present.
   *
   * @param counts how many tasks have each status
   * @param oldestClaimAge the oldest claim's age, or empty
   * @throws io.heimdall.InvalidInputException if a status is missing or an argument is null
   */
  public QueueStatus {
    Checks.required("counts", counts);
    Checks.required("oldestClaimAge", oldestClaimAge);
    Checks.argument(
        counts.keySet().containsAll(EnumSet.allOf(TaskStatus.class)),
        "counts must hold every task status, got %s",
        counts.keySet());
    counts = Collections.unmodifiableMap(new EnumMap<>(counts));
  }

  /**
   * How many tasks have one status.
   *
   * @param status the status
   * @return the count, 0 or more
   */
  public long count(TaskStatus status) {
    return counts.get(status);
  }
}
