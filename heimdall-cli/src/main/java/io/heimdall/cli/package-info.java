/**
 * The {@code heimdall} command-line tool: {@link io.heimdall.cli.HeimdallCli} and its commands, and
 * what they share: option mixins, all-or-nothing output files ({@link io.heimdall.cli.AtomicOutput}),
 * one JSON writer ({@link io.heimdall.cli.JsonWriter}) and one mapping from failures to exit codes
 * ({@link io.heimdall.cli.CliErrors}).
 */
package io.heimdall.cli;
