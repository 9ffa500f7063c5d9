/**
 * Not API: heimdall-dsp's kernels that need the incubating Vector API ({@code
 * jdk.incubator.vector}). Classes here are loaded reflectively, only when the JVM was started with
 * that module; a plain JVM never loads them and uses the scalar code of {@code io.heimdall.dsp}.
 *
 * <p>Every float kernel uses {@code FloatVector.SPECIES_PREFERRED} and no other float shape: the
 * JIT compiles a Vector API load or store to one instruction only while the type profile of the
 * library method behind it has seen one vector class, so a second shape anywhere in the process
 * turns every kernel's loads and stores into slow calls.
 */
package io.heimdall.dsp.internal;
