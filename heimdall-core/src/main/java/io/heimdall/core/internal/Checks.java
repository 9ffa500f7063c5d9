package io.heimdall.core.internal;

import io.heimdall.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.Function;

/**
 * The one argument-check helper of heimdall-core, used by the records, builders, DAOs and the task
 * queue alike. Every failed check throws {@link InvalidInputException} (or, for {@link #state},
 * {@link IllegalStateException}) with a one-line message that names the field, the value received
 * and what was expected. The messages are built only when a check fails, so the checks cost
 * nothing on the hot path of record construction.
 *
 * <p>Not part of the API: public only so that every package of the module can share it.
 */
public final class Checks {
  private Checks() {}

  /**
   * Checks a condition on an argument.
   *
   * @param condition what must hold
   * @param template the message, with {@code %s} placeholders for {@code args}
   * @param args the values the message names
   * @throws InvalidInputException with the formatted message if the condition is false
   */
  public static void argument(boolean condition, String template, Object... args) {
    if (!condition) {
      throw new InvalidInputException(String.format(Locale.ROOT, template, args));
    }
  }

  /**
   * The exception for a failed check that the caller tested itself, for loops on a hot path where
   * {@link #argument(boolean, String, Object...)} would box and allocate its arguments per
   * element.
   *
   * @param template the message, with {@code %s} placeholders for {@code args}
   * @param args the values the message names
   * @return the exception, to throw
   */
  public static InvalidInputException invalid(String template, Object... args) {
    return new InvalidInputException(String.format(Locale.ROOT, template, args));
  }

  /**
   * Checks a condition on an argument, reporting a failure as a specific kind of bad input.
   *
   * @param <E> the kind of bad input
   * @param condition what must hold
   * @param kind makes the exception from the message, e.g. {@code
   *     InvalidPageRequestException::new}
   * @param template the message, with {@code %s} placeholders for {@code args}
   * @param args the values the message names
   * @throws E with the formatted message if the condition is false
   */
  public static <E extends InvalidInputException> void argument(
      boolean condition, Function<String, E> kind, String template, Object... args) {
    if (!condition) {
      throw kind.apply(String.format(Locale.ROOT, template, args));
    }
  }

  /**
   * Checks a condition on the state of an object, such as not being closed.
   *
   * @param condition what must hold
   * @param template the message, with {@code %s} placeholders for {@code args}
   * @param args the values the message names
   * @throws IllegalStateException with the formatted message if the condition is false
   */
  public static void state(boolean condition, String template, Object... args) {
    if (!condition) {
      throw new IllegalStateException(String.format(Locale.ROOT, template, args));
    }
  }

  /**
   * Checks that a value, if present, is finite.
   *
   * @param field the field's name, for the message
   * @param value the value, or null
   * @return {@code value}
   * @throws InvalidInputException if the value is NaN or infinite
   */
  public static Double finite(String field, Double value) {
    if (value != null && !Double.isFinite(value)) {
      throw new InvalidInputException(field + " must be a finite number, got " + value);
    }
    return value;
  }

  /**
   * Checks that a value is finite and strictly positive.
   *
   * @param field the field's name, for the message
   * @param value the value
   * @return {@code value}
   * @throws InvalidInputException if the value is not a finite number &gt; 0
   */
  public static double positive(String field, double value) {
    if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
      throw new InvalidInputException(field + " must be a finite number > 0, got " + value);
    }
    return value;
  }

  /**
   * Checks that a value, if present, lies in a closed interval (NaN never does).
   *
   * @param field the field's name, for the message
   * @param value the value, or null
   * @param min the smallest accepted value
   * @param max the largest accepted value
   * @return {@code value}
   * @throws InvalidInputException if the value lies outside [min, max] or is NaN
   */
  public static Double range(String field, Double value, double min, double max) {
    if (value != null && !(value >= min && value <= max)) {
      throw new InvalidInputException(
          field + " must be in [" + min + ", " + max + "], got " + value);
    }
    return value;
  }

  /**
   * Checks that a value, if present, lies in a half-open interval, such as an angle in [0, 360).
   *
   * @param field the field's name, for the message
   * @param value the value, or null
   * @param min the smallest accepted value
   * @param end the first value no longer accepted
   * @return {@code value}
   * @throws InvalidInputException if the value lies outside [min, end) or is NaN
   */
  public static Double halfOpen(String field, Double value, double min, double end) {
    if (value != null && !(value >= min && value < end)) {
      throw new InvalidInputException(field + " must be in [" + min + ", " + end + "), got " + value);
    }
    return value;
  }

  /**
   * Checks that a value, if present, is finite and not negative.
   *
   * @param field the field's name, for the message
   * @param value the value, or null
   * @return {@code value}
   * @throws InvalidInputException if the value is negative, infinite or NaN
   */
  public static Double nonNegative(String field, Double value) {
    if (value != null && !(value >= 0 && value < Double.POSITIVE_INFINITY)) {
      throw new InvalidInputException(field + " must be a finite number >= 0, got " + value);
    }
    return value;
  }

  /**
   * Checks that a value, if present, is strictly positive.
   *
   * @param field the field's name, for the message
   * @param value the value, or null
   * @return {@code value}
   * @throws InvalidInputException if the value is zero or negative
   */
  public static Integer positive(String field, Integer value) {
    if (value != null && value <= 0) {
      throw new InvalidInputException(field + " must be > 0, got " + value);
    }
    return value;
  }

  /**
   * Checks that a value, if present, is not negative.
   *
   * @param field the field's name, for the message
   * @param value the value, or null
   * @return {@code value}
   * @throws InvalidInputException if the value is negative
   */
  public static Integer nonNegative(String field, Integer value) {
    if (value != null && value < 0) {
      throw new InvalidInputException(field + " must be >= 0, got " + value);
    }
    return value;
  }

  /**
   * Checks that a whole number lies in a closed interval.
   *
   * @param field the field's name, for the message
   * @param value the value
   * @param min the smallest accepted value
   * @param max the largest accepted value
   * @return {@code value}
   * @throws InvalidInputException if the value lies outside min..max
   */
  public static int between(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new InvalidInputException(
          field + " must be in " + min + ".." + max + ", got " + value);
    }
    return value;
  }

  /**
   * Checks that a duration is present and lies in a closed interval.
   *
   * @param field the field's name, for the message
   * @param value the duration
   * @param min the shortest accepted duration
   * @param max the longest accepted duration
   * @return {@code value}
   * @throws InvalidInputException if the duration is null or outside [min, max]
   */
  public static Duration between(String field, Duration value, Duration min, Duration max) {
    if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new InvalidInputException(
          field
              + " must be between "
              + min.toMillis()
              + " ms and "
              + max.toMillis()
              + " ms, got "
              + (value == null ? "null" : value.toMillis() + " ms"));
    }
    return value;
  }

  /**
   * Checks that a value is present.
   *
   * @param <T> the value's type
   * @param field the field's name, for the message
   * @param value the value
   * @return {@code value}
   * @throws InvalidInputException if the value is null
   */
  public static <T> T required(String field, T value) {
    if (value == null) {
      throw new InvalidInputException(field + " is required, got null");
    }
    return value;
  }

  /**
   * Checks that a string is present and not blank.
   *
   * @param field the field's name, for the message
   * @param value the value
   * @return {@code value}
   * @throws InvalidInputException if the value is null, empty or only white space
   */
  public static String requiredText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException(
          field
              + " must be a non-blank string, got "
              + (value == null ? "null" : "'" + value + "'"));
    }
    return value;
  }

  /**
   * Truncates an instant to microseconds. PostgreSQL keeps microseconds; truncating on the way in
   * makes a stored and re-read record equal to the original.
   *
   * @param value the instant, or null
   * @return the instant truncated to microseconds, or null
   */
  public static Instant micros(Instant value) {
    return value == null ? null : value.truncatedTo(ChronoUnit.MICROS);
  }
}
