package io.heimdall.pipeline;

import io.heimdall.locate.Reading;
import io.heimdall.locate.Station;
import java.util.Objects;

/**
 * What the pipeline measured in one receiver's recording.
 *
 * @param station the receiver
 * @param frequencyMhz the frequency the receiver was tuned to
 * @param powerDbm received signal power with the noise removed, in dBm (the full-scale calibration
 *     plus the signal's power in dBFS); when nothing was detected, the noise power in the band, an
 *     upper bound
 * @param snrDb signal power over the noise power in the recorded bandwidth; 0 when nothing was
 *     detected
 * @param frequencyOffsetHz strongest frequency relative to the tuning
 * @param signalQuality share of the demodulated audio's energy in the voice band, scaled so that
 *     noise alone scores 0 and a clean voice signal 1
 * @param detected whether a signal stood out of the noise
 */
public record StationReading(
    Station station,
    double frequencyMhz,
    double powerDbm,
    double snrDb,
    double frequencyOffsetHz,
    double signalQuality,
    boolean detected) {

  /**
   * Requires the station.
   *
   * @param station the receiver
   * @param frequencyMhz the frequency the receiver was tuned to, in MHz
   * @param powerDbm received signal power with the noise removed, in dBm; when nothing was
   *     detected, the noise power in the band, an upper bound
   * @param snrDb signal power over the noise power in the recorded bandwidth, in dB; 0 when nothing
   *     was detected
   * @param frequencyOffsetHz strongest frequency relative to the tuning, in Hz
   * @param signalQuality share of the demodulated audio's energy in the voice band, 0 for noise
   *     alone and 1 for a clean voice signal
   * @param detected whether a signal stood out of the noise
   * @throws NullPointerException if {@code station} is null
   */
  public StationReading {
    Objects.requireNonNull(station, "station");
  }

  /**
   * This reading as the localiser takes it: a received power, or a noise floor that bounds it.
   *
   * @return the localiser's reading
   */
  public Reading toReading() {
    return new Reading(station, powerDbm, detected);
  }
}
