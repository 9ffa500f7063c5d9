package io.heimdall.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of the claims table: a claim of the performance guide as a baseline benchmark and an
 * optimised one, compared on one metric.
 *
 * <p>Line format, fields separated by {@code |}: {@code area | claim | baseline | optimised |
 * metric | better | target | note}
 *
 * <ul>
 *   <li>baseline, optimised: {@link Selector}s; the baseline may be {@code -} for a claim that has
 *       only an absolute target; both {@code -} for a claim that cannot be measured (say why in the
 *       note);
 *   <li>metric: {@code score} (JMH's primary score), the name of a secondary result, or {@code a/b}
 *       (the quotient of two counters, e.g. {@code payloadBytes/payloads}), optionally followed by
 *       {@code as UNIT};
 *   <li>better: {@code lower} or {@code higher};
 *   <li>target: empty or a {@link Target}.
 * </ul>
 *
 * @param area grouping, e.g. Database
 * @param title what is claimed
 * @param baseline the naive side, or null
 * @param optimised the optimised side, or null when not measurable
 * @param metric what is compared
 * @param higherIsBetter whether a higher metric is better
 * @param target the goal, or null
 * @param note how it is measured, or why it is not
 */
public record Claim(
    String area,
    String title,
    Selector baseline,
    Selector optimised,
    String metric,
    boolean higherIsBetter,
    Target target,
    String note) {

  /**
   * @param lines the claims table
   * @return its claims in order
   * @throws IllegalArgumentException naming the line that is malformed
   */
  public static List<Claim> parse(List<String> lines) {
    List<Claim> claims = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        claims.add(parseLine(line));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("claims line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return claims;
  }

  private static Claim parseLine(String line) {
    String[] f = line.split("\\|", -1);
    if (f.length != 8) {
      throw new IllegalArgumentException(
          "expected 8 fields separated by '|' (area | claim | baseline |"
              + " optimised | metric | better | target | note), got "
              + f.length);
    }
    for (int i = 0; i < f.length; i++) {
      f[i] = f[i].strip();
    }
    if (!f[5].equals("lower") && !f[5].equals("higher")) {
      throw new IllegalArgumentException("better must be 'lower' or 'higher', got '" + f[5] + "'");
    }
    Selector baseline = f[2].equals("-") ? null : Selector.parse(f[2]);
    Selector optimised = f[3].equals("-") ? null : Selector.parse(f[3]);
    if (optimised == null && baseline != null) {
      throw new IllegalArgumentException("a claim with a baseline needs an optimised benchmark");
    }
    Target target = f[6].isEmpty() ? null : Target.parse(f[6]);
    if (target != null && baseline == null && target.subject() != Target.Subject.OPTIMISED) {
      throw new IllegalArgumentException(
          "target '" + f[6] + "' compares with a baseline, but there is none");
    }
    if (optimised == null && f[7].isEmpty()) {
      throw new IllegalArgumentException("a claim that is not measured must say why in its note");
    }
    return new Claim(
        f[0],
        f[1],
        baseline,
        optimised,
        f[4].isEmpty() ? "score" : f[4],
        f[5].equals("higher"),
        target,
        f[7]);
  }

  /**
   * @return whether the claim names benchmarks at all
   */
  public boolean measurable() {
    return optimised != null;
  }
}
