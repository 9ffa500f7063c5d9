/**
 * Not API: heimdall-dsp's kernels that need the incubating Vector API ({@code
 * jdk.incubator.vector}). Classes here are loaded reflectively, only when the JVM was started with
 * that module; a plain JVM never loads them and uses the scalar code of {@code io.heimdall.dsp}.
 */
package io.heimdall.dsp.internal;
