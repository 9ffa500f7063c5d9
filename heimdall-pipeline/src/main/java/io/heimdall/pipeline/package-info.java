/**
 * The end-to-end localisation pipeline and the transmission simulator used by the demo and tests.
 *
 * <p>{@link io.heimdall.pipeline.simulation.TransmissionSimulator} produces complex64 IQ recordings of
 * one transmission as several receivers hear it; the localisation pipeline turns such recordings
 * into a stored, cached localisation result.
 */
package io.heimdall.pipeline;
