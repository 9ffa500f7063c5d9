package io.heimdall.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark (with one set of parameters) of a JMH JSON result file ({@code -rf json}).
 *
 * @param benchmark the method, without the package: {@code CacheBench.localHit}
 * @param params its {@code @Param} values
 * @param threads benchmark threads
 * @param primary the primary score with its 99.9% CI half-width
 * @param secondary secondary results by name: {@code @AuxCounters} fields, profiler figures
 * @param settings forks, warm-up and measurement as JMH ran them
 * @param jvm JDK version and VM, as JMH recorded them
 */
public record JmhResult(
    String benchmark,
    Map<String, String> params,
    int threads,
    Figure primary,
    Map<String, Figure> secondary,
    String settings,
    String jvm) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * @param file a JMH JSON result file
   * @return its benchmarks in file order
   * @throws IllegalArgumentException if the file is not a JMH JSON result
   */
  public static List<JmhResult> read(Path file) {
    JsonNode root;
    try {
      root = MAPPER.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read JMH results " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException(
          file
              + " is not a JMH JSON result (expected an array of benchmarks,"
              + " as written by -rf json)");
    }
    List<JmhResult> results = new ArrayList<>();
    for (JsonNode node : root) {
      results.add(parse(node, file));
    }
    return results;
  }

  private static JmhResult parse(JsonNode node, Path file) {
    String fullName = required(node, "benchmark", file).asText();
    Map<String, String> params = new LinkedHashMap<>();
    node.path("params")
        .fields()
        .forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    Map<String, Figure> secondary = new LinkedHashMap<>();
    node.path("secondaryMetrics")
        .fields()
        .forEachRemaining(e -> secondary.put(e.getKey(), metric(e.getValue())));
    String settings =
        "JMH "
            + node.path("jmhVersion").asText()
            + ", mode "
            + node.path("mode").asText()
            + ", forks "
            + node.path("forks").asInt()
            + ", warm-up "
            + node.path("warmupIterations").asInt()
            + " × "
            + node.path("warmupTime").asText()
            + ", measurement "
            + node.path("measurementIterations").asInt()
            + " × "
            + node.path("measurementTime").asText();
    String jvm =
        node.path("vmName").asText()
            + " "
            + node.path("vmVersion").asText()
            + " (JDK "
            + node.path("jdkVersion").asText()
            + ")";
    return new JmhResult(
        shortName(fullName),
        params,
        node.path("threads").asInt(1),
        metric(required(node, "primaryMetric", file)),
        secondary,
        settings,
        jvm);
  }

  private static JsonNode required(JsonNode node, String field, Path file) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException(
          file + ": a benchmark entry has no '" + field + "'; is this a JMH JSON result?");
    }
    return value;
  }

  /** JMH writes scores as numbers, and NaN or infinities as strings. */
  private static Figure metric(JsonNode node) {
    return new Figure(
        number(node.path("score")),
        Math.abs(number(node.path("scoreError"))),
        node.path("scoreUnit").asText());
  }

  private static double number(JsonNode node) {
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isTextual()) {
      try {
        return Double.parseDouble(node.asText());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  /** {@code io.heimdall.bench.CacheBench.localHit} → {@code CacheBench.localHit}. */
  static String shortName(String fullName) {
    int method = fullName.lastIndexOf('.');
    int type = method < 0 ? -1 : fullName.lastIndexOf('.', method - 1);
    return fullName.substring(type + 1);
  }

  /**
   * @return e.g. {@code batch=64, threads=2}; empty for a benchmark without parameters on one
   *     thread
   */
  public String describeParams() {
    List<String> parts = new ArrayList<>();
    params.forEach((k, v) -> parts.add(k + "=" + v));
    if (threads != 1) {
      parts.add("threads=" + threads);
    }
    return String.join(", ", parts);
  }
}
