/**
 * Micrometer meters of the Heimdall engine and the Prometheus alert rules that ship with it.
 *
 * <p>Start at {@link io.heimdall.core.metrics.HeimdallMetrics}; bind {@link
 * io.heimdall.core.metrics.ProcessMemoryMetrics} to the registry for the memory alert. The module
 * depends on micrometer-core only: choose and add the registry (Prometheus or another) in the
 * application. The alert rules ship in this package as the resource {@value
 * io.heimdall.core.metrics.HeimdallMetrics#ALERT_RULES_RESOURCE}.
 */
package io.heimdall.core.metrics;
