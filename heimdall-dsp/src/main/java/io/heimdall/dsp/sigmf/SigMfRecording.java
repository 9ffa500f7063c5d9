package io.heimdall.dsp.sigmf;

import io.heimdall.dsp.ComplexSignal;
import io.heimdall.dsp.DspException;

/**
 * A SigMF recording in memory: its metadata and its samples scaled to ±1 full scale.
 *
 * @param metadata what the {@code .sigmf-meta} file says
 * @param samples the {@code .sigmf-data} samples as complex64
 */
public record SigMfRecording(SigMfMetadata metadata, ComplexSignal samples) {

  /**
   * Validates the recording.
   *
   * @param metadata what the metadata file says
   * @param samples the samples
   * @throws DspException if either part is missing
   */
  public SigMfRecording {
    if (metadata == null || samples == null) {
      throw new DspException(
          "a SigMF recording needs metadata and samples, got "
              + (metadata == null ? "no metadata" : "no samples"));
    }
  }
}
