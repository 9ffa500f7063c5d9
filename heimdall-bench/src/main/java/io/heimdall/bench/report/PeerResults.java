package io.heimdall.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Results of the NumPy/SciPy peer scripts ({@code heimdall-bench/peers/*.py}), timed by {@code
 * run-report.sh} in the same run as JMH. Each script prints one JSON line per figure: {@code
 * {"benchmark": "peer.<name>", "avgt_ms": X, "runs": N}}, the mean time of N runs after a warm-up.
 * They become results named {@code peer.<name>} that a claim can use as its baseline. A mean of N
 * runs carries no confidence interval, so a peer's error is 0 and a ratio's error is the JMH side's
 * alone.
 */
public final class PeerResults {

  /** What every peer benchmark's name starts with. */
  public static final String PREFIX = "peer.";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PeerResults() {}

  /**
   * @param file the peers' output, one JSON object per line; blank lines are skipped
   * @return the peers' figures, in ms/op
   * @throws IllegalArgumentException naming the line that is not a peer result
   * @throws UncheckedIOException if the file cannot be read
   */
  public static List<JmhResult> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read peer results " + file + ": " + e.getMessage(), e);
    }
    List<JmhResult> results = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        results.add(parse(lines.get(i), file + " line " + (i + 1)));
      }
    }
    return results;
  }

  /**
   * @param line one JSON line of a peer script
   * @param where the line's place, for error messages
   * @return the figure as a result named {@code peer.<name>}
   * @throws IllegalArgumentException if the line is not {@code {"benchmark": "peer.<name>",
   *     "avgt_ms": X, "runs": N}}
   */
  static JmhResult parse(String line, String where) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": not JSON: " + line, e);
    }
    String benchmark = node == null ? "" : node.path("benchmark").asText("");
    JsonNode time = node == null ? null : node.get("avgt_ms");
    int runs = node == null ? 0 : node.path("runs").asInt(0);
    if (!benchmark.startsWith(PREFIX)
        || benchmark.length() == PREFIX.length()
        || time == null
        || !time.isNumber()
        || runs <= 0) {
      throw new IllegalArgumentException(
          where
              + ": expected {\"benchmark\": \"peer.<name>\", \"avgt_ms\": <number>, \"runs\":"
              + " <positive count>}, got "
              + line);
    }
    return new JmhResult(
        benchmark,
        Map.of(),
        1,
        new Figure(time.asDouble(), 0, "ms/op"),
        Map.of(),
        "peer script, mean of " + runs + " runs",
        "python3");
  }
}
