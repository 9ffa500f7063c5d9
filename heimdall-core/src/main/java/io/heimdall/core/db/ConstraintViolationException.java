package io.heimdall.core.db;

import io.heimdall.InvalidInputException;

/**
 * A write broke a schema constraint (check, foreign key, unique, not null); nothing of it was
 * stored. It is bad input: the rows, as given, can never be stored (a duplicate id, a measurement
 * of a task that does not exist, a second result for a task), so retrying them unchanged is
 * pointless.
 */
public class ConstraintViolationException extends InvalidInputException {
  private static final long serialVersionUID = 1L;
  /** The violated constraint's name, or null. */
  private final String constraint;

  /**
   * @param message the database's message
   * @param constraint the violated constraint's name, or null if the database did not say
   * @param cause the driver's exception
   */
  public ConstraintViolationException(String message, String constraint, Throwable cause) {
    super(message, cause);
    this.constraint = constraint;
  }

  /**
   * @return the violated constraint's name (e.g. {@code measurements_quality_check}), or null
   */
  public String constraint() {
    return constraint;
  }
}
