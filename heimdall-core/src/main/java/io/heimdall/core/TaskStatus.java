package io.heimdall.core;

import io.heimdall.InvalidInputException;

/** Lifecycle of a localisation task; stored as the lower-case {@link #dbValue()}. */
public enum TaskStatus implements DbValue {
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
   * Parses a stored or user-supplied status.
   *
   * @param value one of submitted, processing, completed, failed, cancelled (any case)
   * @return the status
   * @throws InvalidInputException naming the value and the allowed ones
   */
  public static TaskStatus fromDb(String value) {
    return DbValue.fromDb(TaskStatus.class, value);
  }
}
