package io.heimdall.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parses the shipped alert rules and checks them against what the library really exports. */
class AlertRulesTest {

  /** cAdvisor's meters, which the container rule uses and the library cannot export. */
  private static final Set<String> CADVISOR =
      Set.of("container_memory_working_set_bytes", "container_spec_memory_limit_bytes");

  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern SERIES_NAME =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+\\S+", Pattern.MULTILINE);

  private static Map<String, JsonNode> rules;

  @BeforeAll
  static void parse() throws Exception {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(HeimdallMetrics.alertRules());
    rules = new LinkedHashMap<>();
    for (JsonNode group : root.required("groups")) {
      assertThat(group.required("name").asText()).isNotBlank();
      for (JsonNode rule : group.required("rules")) {
        rules.put(rule.required("alert").asText(), rule);
      }
    }
  }

  @Test
  void latencyRuleIsP95OverTheBucketRateAboveOneHundredMillisecondsForFiveMinutes() {
    JsonNode rule = rules.get("HeimdallHighRequestLatency");
    assertThat(rule).isNotNull();
    String expr = rule.required("expr").asText().replaceAll("\\s+", " ").trim();
    assertThat(expr)
        .startsWith("histogram_quantile(0.95,")
        .contains("rate(heimdall_request_latency_seconds_bucket[5m])")
        .contains("by (job, le)")
        .endsWith(") > 0.1");
    assertThat(rule.required("for").asText()).isEqualTo("5m");
    assertThat(HeimdallMetrics.LATENCY_OBJECTIVE).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void memoryRulesCompareAgainstEightyPercentOfTheLimitForFiveMinutes() {
    for (String name : List.of("HeimdallHighMemoryUsage", "HeimdallProcessMemoryNearLimit")) {
      JsonNode rule = rules.get(name);
      assertThat(rule).as(name).isNotNull();
      assertThat(rule.required("expr").asText().trim()).as(name).endsWith("> 0.8");
      assertThat(rule.required("for").asText()).isEqualTo("5m");
    }
    assertThat(rules.get("HeimdallHighMemoryUsage").required("expr").asText())
        .contains("container_memory_working_set_bytes")
        .contains("container_spec_memory_limit_bytes");
  }

  @Test
  void everyRuleHasSeverityAndSummary() {
    assertThat(rules).hasSize(3);
    rules.forEach(
        (name, rule) -> {
          assertThat(rule.path("labels").path("severity").asText()).as(name).isNotBlank();
          assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
        });
  }

  @Test
  void everyMetricTheRulesNameIsExportedByTheLibraryOrIsCadvisors() {
    Set<String> named = new LinkedHashSet<>();
    for (JsonNode rule : rules.values()) {
      Matcher m = IDENTIFIER.matcher(rule.required("expr").asText());
      while (m.find()) {
        String id = m.group();
        if (id.startsWith("heimdall_")
            || id.startsWith("jvm_")
            || id.startsWith("process_")
            || id.startsWith("container_")) {
          named.add(id);
        }
      }
    }
    assertThat(named)
        .contains("heimdall_request_latency_seconds_bucket", "heimdall_process_memory_rss_bytes");

    Set<String> exported;
    try (TestPrometheus prometheus = TestPrometheus.create()) {
      prometheus.heimdall().timeRequest("result.get", () -> "x");
      prometheus.heimdall().recordTask(Duration.ofMillis(5), HeimdallMetrics.OUTCOME_COMPLETED);
      exported = seriesNames(prometheus.scrape());
    }
    for (String metric : named) {
      if (metric.startsWith("container_")) {
        assertThat(CADVISOR).as("%s must be a known cAdvisor meter", metric).contains(metric);
      } else {
        assertThat(exported).as("%s must be in the library's scrape", metric).contains(metric);
      }
    }
  }

  @Test
  void latencyQuantileOfTheScrapeCrossesTheThresholdExactlyWhenRequestsAreSlow() {
    // Evaluate the rule's quantile the way Prometheus does, on real scraped buckets.
    assertThat(p95Of(Duration.ofMillis(40), Duration.ofMillis(99))).isLessThanOrEqualTo(0.1);
    assertThat(p95Of(Duration.ofMillis(40), Duration.ofMillis(180))).isGreaterThan(0.1);
  }

  /** 90 fast requests and 10 of the given latency; the p95 lands among the latter. */
  private static double p95Of(Duration fast, Duration slow) {
    try (TestPrometheus prometheus = TestPrometheus.create()) {
      for (int i = 0; i < 100; i++) {
        prometheus.heimdall().requestTimer("result.get", "success").record(i < 90 ? fast : slow);
      }
      return histogramQuantile(
          0.95, buckets(prometheus.scrape(), "heimdall_request_latency_seconds_bucket"));
    }
  }

  private static Set<String> seriesNames(String exposition) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = SERIES_NAME.matcher(exposition);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static TreeMap<Double, Double> buckets(String exposition, String series) {
    Pattern line =
        Pattern.compile(
            "^" + series + "\\{[^}]*le=\"([^\"]+)\"[^}]*}\\s+(\\S+)", Pattern.MULTILINE);
    TreeMap<Double, Double> cumulative = new TreeMap<>();
    Matcher m = line.matcher(exposition);
    while (m.find()) {
      double le =
          m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
      cumulative.merge(le, Double.parseDouble(m.group(2)), Double::sum);
    }
    assertThat(cumulative).containsKey(0.1).containsKey(Double.POSITIVE_INFINITY);
    return cumulative;
  }

  /** Prometheus' histogram_quantile: linear interpolation inside the bucket holding the rank. */
  private static double histogramQuantile(double q, TreeMap<Double, Double> cumulative) {
    List<Map.Entry<Double, Double>> b = new ArrayList<>(cumulative.entrySet());
    double rank = q * b.get(b.size() - 1).getValue();
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> bucket : b) {
      if (bucket.getValue() >= rank) {
        if (bucket.getKey().isInfinite()) {
          return lowerBound;
        }
        return lowerBound
            + (bucket.getKey() - lowerBound)
                * (rank - lowerCount)
                / (bucket.getValue() - lowerCount);
      }
      lowerBound = bucket.getKey();
      lowerCount = bucket.getValue();
    }
    throw new AssertionError("no +Inf bucket");
  }
}
