/**
 * SigMF recordings: a {@code .sigmf-meta} JSON file and its {@code .sigmf-data} samples. {@link
 * io.heimdall.dsp.sigmf.SigMf} reads and writes them; {@link io.heimdall.dsp.sigmf.SigMfMetadata}
 * holds what Heimdall uses of the metadata (datatype, sample rate, centre frequency, the first
 * sample's UTC time to the nanosecond, the receiver's position and its full-scale calibration).
 */
package io.heimdall.dsp.sigmf;
