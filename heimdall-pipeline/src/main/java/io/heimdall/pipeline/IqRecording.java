package io.heimdall.pipeline;

import io.heimdall.InvalidInputException;
import io.heimdall.locate.Station;
import java.util.Objects;

/**
 * One receiver's complex64 baseband recording of a transmission.
 *
 * <p>The samples are interleaved I/Q float32 pairs ({@code iq[2n]} real, {@code iq[2n+1]}
 * imaginary), the layout of {@code .cf32} files and of NumPy {@code complex64}. The array is held,
 * not copied: recordings are large and are handed from stage to stage without duplication, so do
 * not modify it afterwards.
 *
 * @param station the receiver that made the recording
 * @param centerFrequencyMhz the frequency the receiver was tuned to, in MHz
 * @param sampleRateHz complex samples per second
 * @param iq interleaved I/Q samples, an even number of finite floats, at least one pair
 */
public record IqRecording(
    Station station, double centerFrequencyMhz, double sampleRateHz, float[] iq) {

  /**
   * Validates the recording's shape and parameters (not every sample: the pipeline checks the
   * samples for NaN and infinity when it measures them).
   *
   * @param station the receiver that made the recording
   * @param centerFrequencyMhz the frequency the receiver was tuned to, in MHz, positive and finite
   * @param sampleRateHz complex samples per second, positive and finite
   * @param iq interleaved I/Q samples, an even, non-zero number of floats; held, not copied
   * @throws NullPointerException if {@code station} or {@code iq} is null
   * @throws InvalidInputException if the frequency or sample rate is not a positive finite number,
   *     or {@code iq} has an odd or zero length
   */
  public IqRecording {
    Objects.requireNonNull(station, "station");
    Objects.requireNonNull(iq, "iq");
    if (!(centerFrequencyMhz > 0) || Double.isInfinite(centerFrequencyMhz)) {
      throw new InvalidInputException(
          "centre frequency must be a positive number of MHz, got " + centerFrequencyMhz);
    }
    if (!(sampleRateHz > 0) || Double.isInfinite(sampleRateHz)) {
      throw new InvalidInputException(
          "sample rate must be a positive number of Hz, got " + sampleRateHz);
    }
    if (iq.length == 0 || iq.length % 2 != 0) {
      throw new InvalidInputException(
          "interleaved I/Q needs an even, non-zero number of floats, got " + iq.length);
    }
  }

  /**
   * The number of complex samples.
   *
   * @return half the length of {@code iq}
   */
  public int samples() {
    return iq.length / 2;
  }

  /**
   * The recording's duration in seconds.
   *
   * @return the number of complex samples divided by the sample rate, in seconds
   */
  public double durationSeconds() {
    return samples() / sampleRateHz;
  }
}
