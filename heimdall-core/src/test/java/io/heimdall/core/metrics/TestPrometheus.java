package io.heimdall.core.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A real Prometheus registry with the meters the shipped alert rules read: the engine's timers and
 * {@link ProcessMemoryMetrics}. The rules name no JVM meter, so no JVM binder is bound.
 */
final class TestPrometheus implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private TestPrometheus() {
    new ProcessMemoryMetrics().bindTo(registry);
  }

  static TestPrometheus create() {
    return new TestPrometheus();
  }

  HeimdallMetrics heimdall() {
    return HeimdallMetrics.on(registry);
  }

  String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    registry.close();
  }
}
