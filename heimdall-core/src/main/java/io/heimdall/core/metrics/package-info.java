/**
 * Micrometer meters of the Heimdall engine, the Prometheus registry helper and the alert rules.
 *
 * <p>Start at {@link io.heimdall.core.metrics.HeimdallMetrics}. The Prometheus alert rules ship in
 * this package as the resource {@value
 * io.heimdall.core.metrics.HeimdallMetrics#ALERT_RULES_RESOURCE}.
 */
package io.heimdall.core.metrics;
