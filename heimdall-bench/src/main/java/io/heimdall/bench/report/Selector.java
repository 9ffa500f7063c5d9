package io.heimdall.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks one benchmark of a run: {@code Class.method}, optionally with parameters and a divisor,
 * e.g. {@code InferenceBench.cnnDirect(batch=64)/64} (the per-sample figure of a batch of 64). The
 * pseudo-parameter {@code threads} matches the number of benchmark threads, unless the benchmark
 * has a {@code @Param} of that name.
 *
 * @param benchmark {@code Class.method}
 * @param params parameters that must match; parameters not named may take any value, but then
 *     exactly one result must match
 * @param divisor items per operation; the figure is reported per item
 */
public record Selector(String benchmark, Map<String, String> params, double divisor) {
  private static final Pattern SYNTAX =
      Pattern.compile(
          "([A-Za-z_$][\\w$]*\\.[A-Za-z_$][\\w$]*)(?:\\(([^)]*)\\))?(?:\\s*/\\s*([0-9.]+))?");

  /**
   * @param text e.g. {@code PersistenceBench.copyIngest} or {@code
   *     MelSpectrogramBench.batch64(threads=2)}
   * @return the selector
   * @throws IllegalArgumentException if the text does not follow {@code
   *     Class.method(k=v,...)/divisor}
   */
  public static Selector parse(String text) {
    Matcher m = SYNTAX.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "benchmark selector '"
              + text
              + "' does not match"
              + " Class.method(param=value,...)/divisor");
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (m.group(2) != null && !m.group(2).isBlank()) {
      for (String pair : m.group(2).split(",")) {
        String[] kv = pair.split("=", 2);
        if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
          throw new IllegalArgumentException(
              "parameter '" + pair.trim() + "' of selector '" + text + "' is not name=value");
        }
        params.put(kv[0].trim(), kv[1].trim());
      }
    }
    double divisor = m.group(3) == null ? 1 : Double.parseDouble(m.group(3));
    if (!(divisor > 0)) {
      throw new IllegalArgumentException("divisor of selector '" + text + "' must be > 0");
    }
    return new Selector(m.group(1), Map.copyOf(params), divisor);
  }

  /**
   * @param result a benchmark of the run
   * @return whether it is this selector's benchmark with its parameters
   */
  public boolean matches(JmhResult result) {
    if (!result.benchmark().equals(benchmark)) {
      return false;
    }
    for (Map.Entry<String, String> p : params.entrySet()) {
      String actual =
          result.params().containsKey(p.getKey()) || !p.getKey().equals("threads")
              ? result.params().get(p.getKey())
              : String.valueOf(result.threads());
      if (!p.getValue().equals(actual)) {
        return false;
      }
    }
    return true;
  }

  /**
   * @param results the run
   * @return the one matching result
   * @throws MissingResultException if none or several match
   */
  public JmhResult find(List<JmhResult> results) {
    List<JmhResult> found = results.stream().filter(this::matches).toList();
    if (found.isEmpty()) {
      throw new MissingResultException(this + " was not in this run");
    }
    if (found.size() > 1) {
      throw new MissingResultException(
          this + " matches " + found.size() + " results; name the parameter that tells them apart");
    }
    return found.get(0);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(benchmark);
    if (!params.isEmpty()) {
      s.append('(');
      params.entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(
              e ->
                  s.append(s.charAt(s.length() - 1) == '(' ? "" : ", ")
                      .append(e.getKey())
                      .append('=')
                      .append(e.getValue()));
      s.append(')');
    }
    if (divisor != 1) {
      s.append(" / ").append(Figure.format(divisor));
    }
    return s.toString();
  }

  /** A claim's benchmark is missing from the run, or ambiguous. */
  public static final class MissingResultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MissingResultException(String message) {
      super(message);
    }
  }
}
