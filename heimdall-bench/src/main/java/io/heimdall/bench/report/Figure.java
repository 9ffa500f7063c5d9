package io.heimdall.bench.report;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * A measured value with its error (half-width of JMH's 99.9% confidence interval; NaN when JMH
 * could not compute one, e.g. from fewer than two iterations) in a JMH unit such as {@code us/op},
 * {@code ops/s}, {@code #} (a count) or {@code B} (bytes).
 *
 * @param value the value
 * @param error its error, &ge; 0 or NaN
 * @param unit its unit
 */
public record Figure(double value, double error, String unit) {

  /**
   * @return the relative error, NaN when unknown
   */
  public double relativeError() {
    return error / Math.abs(value);
  }

  /**
   * Per-item figure of a measurement that covered {@code divisor} items, e.g. per sample of a
   * batch: times and counts per operation are divided, rates are multiplied.
   *
   * @param divisor items per operation, &gt; 0
   * @return the figure per item
   */
  public Figure per(double divisor) {
    if (!(divisor > 0)) {
      throw new IllegalArgumentException("divisor must be > 0, got " + divisor);
    }
    double factor = Units.isRate(unit) ? divisor : 1 / divisor;
    return new Figure(value * factor, error * factor, unit);
  }

  /**
   * @param target a unit of the same kind: a time per operation or a rate (they convert into each
   *     other), or the same unit
   * @return this figure in that unit; the relative error is unchanged
   * @throws IllegalArgumentException if the units do not convert
   */
  public Figure in(String target) {
    if (unit.equals(target)) {
      return this;
    }
    double seconds = Units.secondsPerOperation(value, unit);
    double converted = Units.fromSecondsPerOperation(seconds, target);
    return new Figure(converted, Math.abs(converted) * relativeError(), target);
  }

  /**
   * @return e.g. {@code 1,281 ± 45 µs/op}; no error part when it is unknown or zero (exact counts),
   *     {@code ± <0.001} when it is below the value's last shown digit
   */
  @Override
  public String toString() {
    String shown = Units.display(unit);
    String errorPart = "";
    if (!Double.isNaN(error) && error != 0) {
      BigDecimal belowLastDigit = BigDecimal.ONE.movePointLeft(decimals(value) + 1);
      errorPart =
          error < belowLastDigit.doubleValue()
              ? " ± <" + belowLastDigit.toPlainString()
              : " ± " + format(error);
    }
    return format(value) + errorPart + (shown.isEmpty() ? "" : " " + shown);
  }

  /** Decimals shown by {@link #format(double)}: three significant digits, none from 100 up. */
  private static int decimals(double x) {
    double magnitude = Math.abs(x);
    if (magnitude >= 100 || magnitude == 0 || !Double.isFinite(x)) {
      return 0;
    }
    return Math.min(9, Math.max(0, 2 - (int) Math.floor(Math.log10(magnitude))));
  }

  /**
   * Three significant digits, thousands separated, no exponent below 10^15.
   *
   * @param x a number
   * @return its display form
   */
  static String format(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return String.valueOf(x);
    }
    return x == 0 ? "0" : String.format(Locale.ROOT, "%,." + decimals(x) + "f", x);
  }
}
