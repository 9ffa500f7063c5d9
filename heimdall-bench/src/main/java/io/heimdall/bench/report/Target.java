package io.heimdall.bench.report;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A claim's goal, e.g. {@code ratio >= 20} (at least 20 times better), {@code cost <= 1.5} (the
 * optimised figure costs at most 1.5 times the baseline's), {@code optimised <= 2.5 ms/op}, {@code
 * optimised >= 100000 ops/s} (times and rates convert into each other) or {@code difference <= 20
 * us/op} (optimised minus baseline).
 *
 * @param subject ratio, cost, optimised or difference
 * @param atLeast whether the subject must be &ge; the bound (else &le;)
 * @param bound the bound
 * @param unit the bound's unit for optimised and difference, null for ratio and cost
 */
public record Target(Subject subject, boolean atLeast, double bound, String unit) {
  private static final Pattern SYNTAX =
      Pattern.compile("(ratio|cost|optimised|difference)\\s*(>=|<=)\\s*([0-9.eE+-]+)\\s*(\\S+)?");

  /** What a target bounds. */
  public enum Subject {
    /** How many times better the optimised figure is. */
    RATIO,
    /** The inverse of the ratio: how many times the baseline's cost the optimised figure costs. */
    COST,
    /** The optimised figure itself. */
    OPTIMISED,
    /** Optimised minus baseline. */
    DIFFERENCE
  }

  /**
   * @param text e.g. {@code ratio >= 20}
   * @return the target
   * @throws IllegalArgumentException if the text does not follow the syntax above
   */
  public static Target parse(String text) {
    Matcher m = SYNTAX.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "target '"
              + text
              + "' does not match"
              + " (ratio|cost|optimised|difference) (>=|<=) number [unit]");
    }
    Subject subject = Subject.valueOf(m.group(1).toUpperCase(Locale.ROOT));
    boolean absolute = subject == Subject.OPTIMISED || subject == Subject.DIFFERENCE;
    if (absolute != (m.group(4) != null)) {
      throw new IllegalArgumentException(
          "target '"
              + text
              + "': "
              + (absolute
                  ? "optimised and difference need a unit, e.g. 'optimised <= 2.5 ms/op'"
                  : "ratio and cost take no unit"));
    }
    return new Target(subject, m.group(2).equals(">="), Double.parseDouble(m.group(3)), m.group(4));
  }

  /**
   * @param value the subject's measured value, in {@link #unit()} if it has one
   * @return whether the target is met
   */
  public boolean metBy(double value) {
    return atLeast ? value >= bound : value <= bound;
  }

  private String boundText() {
    return bound == Math.rint(bound) && Math.abs(bound) < 1e15
        ? String.format(Locale.ROOT, "%,d", (long) bound)
        : BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
  }

  /**
   * @return e.g. {@code ≥ 20×}, {@code cost ≤ 1.5×}, {@code ≤ 2.5 ms/op}, {@code optimised −
   *     baseline ≤ 20 µs/op}
   */
  @Override
  public String toString() {
    String op = atLeast ? "≥ " : "≤ ";
    return switch (subject) {
      case RATIO -> op + boundText() + "×";
      case COST -> "cost " + op + boundText() + "× baseline";
      case OPTIMISED -> op + boundText() + " " + Units.display(unit);
      case DIFFERENCE -> "optimised − baseline " + op + boundText() + " " + Units.display(unit);
    };
  }
}
