package io.heimdall.bench.report;

import java.util.List;
import java.util.Map;

/**
 * A claim evaluated against a run: both figures, the ratio, and whether the target is met.
 *
 * @param claim the claim
 * @param baseline the baseline's figure, or null (no baseline, or not measured)
 * @param optimised the optimised figure, or null when not measured
 * @param ratio how many times better the optimised figure is ({@code baseline / optimised} for
 *     lower-is-better metrics, the inverse for higher-is-better ones) with its error; null without
 *     a baseline
 * @param verdict the target's outcome, or null without a target or figures
 * @param problem why the claim was not measured in this run, or null
 */
public record Outcome(
    Claim claim, Figure baseline, Figure optimised, Figure ratio, Verdict verdict, String problem) {

  /**
   * @param measured the value the target bounds, with its error
   * @param met whether the value meets the target
   * @param close whether the target's bound lies within the value's error, so the verdict could
   *     flip on a rerun
   */
  public record Verdict(Figure measured, boolean met, boolean close) {}

  /**
   * @param claim the claim
   * @param results the run
   * @return the claim's outcome; a missing benchmark gives an outcome with a {@link #problem()}
   */
  public static Outcome evaluate(Claim claim, List<JmhResult> results) {
    if (!claim.measurable()) {
      return new Outcome(claim, null, null, null, null, claim.note());
    }
    Figure optimised;
    Figure baseline = null;
    try {
      optimised =
          figure(claim.optimised().find(results), claim.metric(), claim.optimised().divisor());
      if (claim.baseline() != null) {
        // benchmarks of different classes may report in different time units
        baseline =
            figure(claim.baseline().find(results), claim.metric(), claim.baseline().divisor())
                .in(optimised.unit());
      }
    } catch (Selector.MissingResultException | IllegalArgumentException e) {
      return new Outcome(claim, null, null, null, null, e.getMessage());
    }
    Figure ratio = baseline == null ? null : ratio(baseline, optimised, claim.higherIsBetter());
    Verdict verdict =
        claim.target() == null ? null : verdict(claim.target(), baseline, optimised, ratio);
    return new Outcome(claim, baseline, optimised, ratio, verdict, null);
  }

  /**
   * The improvement factor; its relative error is the quadrature sum of the two relative errors.
   *
   * @param baseline baseline figure
   * @param optimised optimised figure, same unit
   * @param higherIsBetter whether higher is better
   * @return the ratio, unit {@code ×}
   */
  static Figure ratio(Figure baseline, Figure optimised, boolean higherIsBetter) {
    double value =
        higherIsBetter
            ? optimised.value() / baseline.value()
            : baseline.value() / optimised.value();
    double relative = Math.hypot(baseline.relativeError(), optimised.relativeError());
    return new Figure(value, Math.abs(value) * relative, "×");
  }

  private static Verdict verdict(Target target, Figure baseline, Figure optimised, Figure ratio) {
    Figure measured =
        switch (target.subject()) {
          case RATIO -> ratio;
          case COST -> new Figure(1 / ratio.value(), ratio.relativeError() / ratio.value(), "×");
          case OPTIMISED -> optimised.in(target.unit());
          case DIFFERENCE -> {
            Figure o = optimised.in(target.unit());
            Figure b = baseline.in(target.unit());
            yield new Figure(
                o.value() - b.value(), Math.hypot(o.error(), b.error()), target.unit());
          }
        };
    boolean close = Math.abs(measured.value() - target.bound()) <= measured.error();
    return new Verdict(measured, target.metBy(measured.value()), close);
  }

  /**
   * @param result a benchmark
   * @param metric {@code score}, a secondary result's name, or {@code a/b}, optionally {@code as
   *     UNIT}
   * @param divisor items per operation
   * @return the figure per item
   */
  static Figure figure(JmhResult result, String metric, double divisor) {
    String expression = metric;
    String unit = null;
    int as = metric.indexOf(" as ");
    if (as >= 0) {
      expression = metric.substring(0, as).strip();
      unit = metric.substring(as + 4).strip();
    }
    Figure figure;
    if (expression.equals("score")) {
      figure = result.primary();
    } else if (expression.contains("/")) {
      String[] parts = expression.split("/", 2);
      Figure numerator = secondary(result, parts[0].strip());
      Figure denominator = secondary(result, parts[1].strip());
      // counters are exact counts over the same iterations: their quotient has no sampling error
      figure = new Figure(numerator.value() / denominator.value(), 0, "#");
    } else {
      figure = secondary(result, expression);
    }
    figure = figure.per(divisor);
    return unit == null ? figure : new Figure(figure.value(), figure.error(), unit);
  }

  private static Figure secondary(JmhResult result, String name) {
    Map<String, Figure> secondary = result.secondary();
    Figure figure = secondary.containsKey(name) ? secondary.get(name) : secondary.get("·" + name);
    if (figure == null) {
      throw new Selector.MissingResultException(
          result.benchmark()
              + " has no secondary result '"
              + name
              + "' in this run (have: "
              + secondary.keySet()
              + ")");
    }
    return figure;
  }
}
