package io.heimdall.cli;

import io.heimdall.core.metrics.HeimdallMetrics;
import io.heimdall.core.metrics.ProcessMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A Prometheus registry with the JVM, process and memory meters the alert rules rely on, ready to
 * hand to every Heimdall component and to scrape.
 *
 * <p>Close it when done: it stops the garbage-collection listener and closes the registry.
 */
public final class PrometheusMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics;

  private PrometheusMetrics() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new ProcessMemoryMetrics().bindTo(registry);
    this.gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
  }

  /** A new registry with the JVM, process and memory meters bound. */
  public static PrometheusMetrics create() {
    return new PrometheusMetrics();
  }

  /** The registry, to pass to the components whose meters it should collect. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The engine's own meters on this registry. */
  public HeimdallMetrics heimdall() {
    return HeimdallMetrics.on(registry);
  }

  /** The current values in the Prometheus text exposition format. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }
}
