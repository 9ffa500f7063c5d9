/**
 * Small runnable programs, one per capability of the SDK. Each has a {@code main} and a {@code
 * run(PrintStream, ...)} that the tests call; the README describes how to run them.
 */
package io.heimdall.examples;
