package io.heimdall.core;

import io.heimdall.InvalidInputException;

/**
 * Task priority; the queue hands out {@link #HIGH} first. Stored as the lower-case {@link
 * #dbValue()}.
 */
public enum Priority implements DbValue {
  /** Served after everything else. */
  LOW,
  /** The default. */
  NORMAL,
  /** Served first. */
  HIGH;

  /**
   * Parses a stored or user-supplied priority.
   *
   * @param value one of low, normal, high (any case)
   * @return the priority
   * @throws InvalidInputException naming the value and the allowed ones
   */
  public static Priority fromDb(String value) {
    return DbValue.fromDb(Priority.class, value);
  }
}
