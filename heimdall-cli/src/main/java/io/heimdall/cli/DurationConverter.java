package io.heimdall.cli;

import io.heimdall.InvalidInputException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Reads durations on the command line as people write them: {@code 500ms}, {@code 10s}, {@code
 * 2m}, {@code 1h}, {@code 1d} (a whole number with one unit, also {@code 1.5s}), or ISO-8601 such as
 * {@code PT10S}. Use it on a {@link Duration} option with {@code converter =
 * DurationConverter.class}; a value it cannot read is bad input (exit 2) with a message that shows
 * the accepted forms.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

  private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

  /** Creates the converter; picocli instantiates it. */
  public DurationConverter() {}

  /**
   * Parses one duration.
   *
   * @param text e.g. {@code 10s}, {@code 500ms} or {@code PT10S}
   * @return the duration, zero or positive
   * @throws InvalidInputException if it is none of the accepted forms or negative
   */
  public static Duration parse(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    Matcher simple = SIMPLE.matcher(value);
    if (simple.matches()) {
      long unitNanos =
          switch (simple.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L;
          };
      java.math.BigDecimal nanos =
          new java.math.BigDecimal(simple.group(1))
              .multiply(java.math.BigDecimal.valueOf(unitNanos));
      try {
        return Duration.ofNanos(nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
      } catch (ArithmeticException tooLong) {
        throw new InvalidInputException("duration '" + text + "' is too long", tooLong);
      }
    }
    if (value.startsWith("p")) {
      try {
        Duration duration = Duration.parse(text.strip());
        if (!duration.isNegative()) {
          return duration;
        }
      } catch (DateTimeParseException e) {
        // reported below with the accepted forms
      }
    }
    throw new InvalidInputException(
        "cannot read duration '"
            + text
            + "'; expected a number with a unit (500ms, 10s, 2m, 1h, 1d) or ISO-8601 (PT10S)");
  }

  /**
   * Picocli's entry point.
   *
   * @param value the option's text
   * @return the duration
   * @throws CommandLine.TypeConversionException if it cannot be read
   */
  @Override
  public Duration convert(String value) {
    try {
      return parse(value);
    } catch (InvalidInputException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
