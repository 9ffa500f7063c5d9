package io.heimdall.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Task priority; the queue hands out {@link #HIGH} first. Stored as the lower-case {@link
 * #dbValue()}.
 */
public enum Priority {
  /** Served after everything else. */
  LOW,
  /** The default. */
  NORMAL,
  /** Served first. */
  HIGH;

  /**
   * @return the value stored in the {@code priority} column
   */
  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a stored or user-supplied priority.
   *
   * @param value one of low, normal, high (any case)
   * @return the priority
   * @throws IllegalArgumentException naming the value and the allowed ones
   */
  public static Priority fromDb(String value) {
    for (Priority p : values()) {
      if (p.dbValue().equalsIgnoreCase(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown priority '"
            + value
            + "', expected one of "
            + Arrays.stream(values()).map(Priority::dbValue).collect(Collectors.joining(", ")));
  }
}
