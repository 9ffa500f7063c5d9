package io.heimdall.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Lifecycle of a localisation task; stored as the lower-case {@link #dbValue()}. */
public enum TaskStatus {
  /** Queued, waiting for a worker. */
  SUBMITTED,
  /** Claimed by a worker that holds a lease on it. */
  PROCESSING,
  /** Its result is stored. */
  COMPLETED,
  /** Gave up after the last allowed attempt; {@code error_message} says why. */
  FAILED,
  /** Withdrawn by the user. */
  CANCELLED;

  /**
   * @return the value stored in the {@code status} column
   */
  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a stored or user-supplied status.
   *
   * @param value one of submitted, processing, completed, failed, cancelled (any case)
   * @return the status
   * @throws IllegalArgumentException naming the value and the allowed ones
   */
  public static TaskStatus fromDb(String value) {
    for (TaskStatus s : values()) {
      if (s.dbValue().equalsIgnoreCase(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown task status '"
            + value
            + "', expected one of "
            + Arrays.stream(values()).map(TaskStatus::dbValue).collect(Collectors.joining(", ")));
  }
}
