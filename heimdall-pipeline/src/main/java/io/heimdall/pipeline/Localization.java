package io.heimdall.pipeline;

import io.heimdall.inference.Location;
import java.util.List;
import java.util.Objects;

/**
 * The pipeline's answer for one transmission: the estimated position with its uncertainty, a
 * confidence, and what each receiver's recording showed.
 *
 * @param location estimated position and one-sigma uncertainties (metres)
 * @param confidence probability, under the model's Gaussian uncertainty, that the transmitter lies
 *     within the pipeline's confidence radius of the estimate
 * @param readings one per recording, in the order of the recordings
 */
public record Localization(Location location, double confidence, List<StationReading> readings) {

  /** Copies the readings. */
  public Localization {
    Objects.requireNonNull(location, "location");
    readings = List.copyOf(readings);
  }
}
