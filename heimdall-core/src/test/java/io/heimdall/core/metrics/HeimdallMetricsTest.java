package io.heimdall.core.metrics;

import io.heimdall.InvalidInputException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeimdallMetricsTest {

  @Test
  void timeRequestTagsSuccessAndErrorAndRethrows() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    HeimdallMetrics metrics = HeimdallMetrics.on(registry);
    assertThat(metrics.timeRequest("result.get", () -> 42)).isEqualTo(42);
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(
            () ->
                metrics.timeRequest(
                    "result.get",
                    () -> {
                      throw boom;
                    }))
        .isSameAs(boom);

    assertThat(
            registry
                .get(HeimdallMetrics.REQUEST_LATENCY)
                .tags("operation", "result.get", "outcome", "success")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(HeimdallMetrics.REQUEST_LATENCY)
                .tags("operation", "result.get", "outcome", "error")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void prometheusExpositionHasHistogramBucketsWithTheObjectiveAsABoundary() {
    try (TestPrometheus prometheus = TestPrometheus.create()) {
      prometheus.heimdall().requestTimer("tasks.page", "success").record(Duration.ofMillis(30));
      prometheus.heimdall().recordTask(Duration.ofMillis(250), HeimdallMetrics.OUTCOME_COMPLETED);
      String scrape = prometheus.scrape();
      assertThat(scrape)
          .contains("# TYPE heimdall_request_latency_seconds histogram")
          .contains(
              "heimdall_request_latency_seconds_bucket{operation=\"tasks.page\",outcome=\"success\",le=\"0.1\"}"
                  + " 1")
          .contains(
              "heimdall_request_latency_seconds_count{operation=\"tasks.page\",outcome=\"success\"}"
                  + " 1")
          .contains("# TYPE heimdall_task_duration_seconds histogram")
          .contains("heimdall_task_duration_seconds_count{outcome=\"completed\"} 1");
    }
  }

  @Test
  void blankTagValuesAreRejected() {
    HeimdallMetrics metrics = HeimdallMetrics.on(new SimpleMeterRegistry());
    assertThatThrownBy(() -> metrics.requestTimer(" ", "success"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("operation");
    assertThatThrownBy(() -> metrics.taskTimer(null)).hasMessageContaining("outcome");
  }

  @Test
  void processMemoryReadsCgroupV2AndV1Limits(@TempDir Path dir) throws Exception {
    Path status =
        Files.writeString(dir.resolve("status"), "Name:\tjava\nVmRSS:\t  2048 kB\nVmSwap:\t0 kB\n");
    Path v2 = dir.resolve("memory.max");
    Path v1 = dir.resolve("memory.limit_in_bytes");
    ProcessMemoryMetrics metrics = new ProcessMemoryMetrics(status, List.of(v2, v1));

    assertThat(metrics.residentBytes()).isEqualTo(2048 * 1024.0);
    assertThat(metrics.limitBytes()).isNaN();

    Files.writeString(v1, "9223372036854771712\n");
    assertThat(metrics.limitBytes()).as("v1 without a limit").isNaN();
    Files.writeString(v1, "4294967296\n");
    assertThat(metrics.limitBytes()).isEqualTo(4294967296.0);

    Files.writeString(v2, "max\n");
    assertThat(metrics.limitBytes()).as("v2 without a limit wins over v1").isNaN();
    Files.writeString(v2, "1073741824\n");
    assertThat(metrics.limitBytes()).isEqualTo(1073741824.0);
  }

  @Test
  void processMemoryOfThisJvmIsPlausible() {
    double rss = new ProcessMemoryMetrics().residentBytes();
    if (Files.exists(Path.of("/proc/self/status"))) {
      assertThat(rss).isBetween(10e6, 64e9);
    } else {
      assertThat(rss).isNaN();
    }
  }
}
