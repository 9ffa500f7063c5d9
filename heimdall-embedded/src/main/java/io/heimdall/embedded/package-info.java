/**
 * Real servers on free loopback ports for the demo, examples, tests and benchmarks: {@link
 * io.heimdall.embedded.EmbeddedPostgres} and {@link io.heimdall.embedded.EmbeddedRedis}. Never a
 * compile dependency of a library module.
 */
package io.heimdall.embedded;
