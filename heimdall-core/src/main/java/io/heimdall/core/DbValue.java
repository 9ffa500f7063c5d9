package io.heimdall.core;

import io.heimdall.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enum stored in a text column as its lower-case name ({@code TaskStatus.COMPLETED} is {@code
 * completed}). One mapping for every such enum, so the stored form and the parser can never
 * disagree.
 */
public interface DbValue {

  /**
   * The constant's name, as {@link Enum#name()} returns it.
   *
   * @return the constant's name
   */
  String name();

  /**
   * The value stored in the database, which is also the form users type.
   *
   * @return the constant's name in lower case
   */
  default String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a stored or user-supplied value.
   *
   * @param <E> the enum
   * @param type the enum's class
   * @param value the value, any case
   * @return the constant whose {@link #dbValue()} equals {@code value} ignoring case
   * @throws InvalidInputException naming the value and listing the accepted ones
   */
  static <E extends Enum<E> & DbValue> E fromDb(Class<E> type, String value) {
    E[] constants = type.getEnumConstants();
    for (E constant : constants) {
      if (constant.dbValue().equalsIgnoreCase(value)) {
        return constant;
      }
    }
    throw new InvalidInputException(
        "unknown "
            + label(type)
            + " '"
            + value
            + "', expected one of "
            + Arrays.stream(constants).map(DbValue::dbValue).collect(Collectors.joining(", ")));
  }

  /** "TaskStatus" reads as "task status" in messages. */
  private static String label(Class<?> type) {
    return type.getSimpleName().replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(Locale.ROOT);
  }
}
