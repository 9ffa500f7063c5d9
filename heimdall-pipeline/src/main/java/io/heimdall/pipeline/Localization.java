package io.heimdall.pipeline;

import io.heimdall.locate.LocationEstimate;
import java.util.List;
import java.util.Objects;

/**
 * The pipeline's answer for one transmission: the estimate with its covariance, region and bound,
 * and what each receiver's recording showed.
 *
 * @param estimate the localiser's estimate
 * @param readings one per recording, in the order of the recordings
 */
public record Localization(LocationEstimate estimate, List<StationReading> readings) {

  /**
   * Copies the readings.
   *
   * @param estimate the localiser's estimate
   * @param readings one per recording, in the order of the recordings; copied
   * @throws NullPointerException if {@code estimate} or {@code readings} (or one of them) is null
   */
  public Localization {
    Objects.requireNonNull(estimate, "estimate");
    readings = List.copyOf(readings);
  }
}
