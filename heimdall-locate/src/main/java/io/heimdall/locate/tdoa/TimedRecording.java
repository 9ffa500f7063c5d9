package io.heimdall.locate.tdoa;

import io.heimdall.dsp.ComplexSignal;
import io.heimdall.dsp.sigmf.GeoPoint;
import io.heimdall.dsp.sigmf.SigMfMetadata;
import io.heimdall.dsp.sigmf.SigMfRecording;
import io.heimdall.locate.Station;
import java.time.Instant;

/**
 * One receiver's recording of a transmission, with the UTC time of its first sample.
 *
 * <p>The time is an {@link Instant}, which keeps nanoseconds exactly; differences between
 * recordings are taken between Instants as whole nanoseconds and never through a {@code double} of
 * epoch seconds, which resolves only about 0.2 µs (70 m of range) today.
 *
 * @param station the receiver
 * @param start UTC time of sample 0, to the nanosecond
 * @param sampleRateHz complex samples per second (finite, &gt; 0)
 * @param samples complex baseband, at least {@value #MIN_SAMPLES} samples
 */
public record TimedRecording(
    Station station, Instant start, double sampleRateHz, ComplexSignal samples) {

  /** Fewest samples a recording may hold. */
  public static final int MIN_SAMPLES = 1024;

  /**
   * Validates the recording.
   *
   * @param station the receiver
   * @param start UTC time of sample 0
   * @param sampleRateHz complex samples per second
   * @param samples complex baseband
   * @throws TdoaInputException if a part is missing, the rate is not a finite number &gt; 0 or
   *     there are fewer than {@value #MIN_SAMPLES} samples
   */
  public TimedRecording {
    if (station == null) {
      throw new TdoaInputException("timed recording station must be given, got null");
    }
    String who = "station '" + station.id() + "' ";
    if (start == null) {
      throw new TdoaInputException(
          who
              + "recording has no start time (core:datetime); TDOA needs the UTC time of its"
              + " first sample to the nanosecond");
    }
    if (!(sampleRateHz > 0) || Double.isInfinite(sampleRateHz)) {
      throw new TdoaInputException(
          who + "sample rate must be a finite number > 0, got " + sampleRateHz);
    }
    if (samples == null || samples.length() < MIN_SAMPLES) {
      throw new TdoaInputException(
          who
              + "recording must hold at least "
              + MIN_SAMPLES
              + " samples, got "
              + (samples == null ? "none" : samples.length()));
    }
  }

  /**
   * A recording read from SigMF: the station at its {@code core:geolocation}, the start at its
   * {@code core:datetime}.
   *
   * @param stationId the station's stable identifier (also its name)
   * @param recording the recording
   * @return the timed recording
   * @throws TdoaInputException if the recording has no {@code core:datetime} or no {@code
   *     core:geolocation}
   */
  public static TimedRecording fromSigMf(String stationId, SigMfRecording recording) {
    SigMfMetadata metadata = recording.metadata();
    String who = "recording '" + stationId + "'";
    Instant start = metadata.datetime().orElseThrow(() -> TdoaLocalizer.noDatetime(who));
    GeoPoint where = metadata.geolocation().orElseThrow(() -> TdoaLocalizer.noGeolocation(who));
    Station station =
        new Station(
            stationId,
            stationId,
            where.latitude(),
            where.longitude(),
            where.altitudeMeters().orElse(0));
    return new TimedRecording(station, start, metadata.sampleRateHz(), recording.samples());
  }

  /**
   * Whether the start time carries a digit below the microsecond. A time that names only whole
   * microseconds (or milliseconds, or seconds) was not given to the nanosecond: its error can reach
   * hundreds of nanoseconds, over a hundred metres of range, so TDOA refuses it. (A true time that
   * falls on a whole microsecond, one in a thousand, must then be written one nanosecond off, far
   * below any GPS clock's error.)
   *
   * @return true if {@code start}'s nanosecond-of-second is not a multiple of 1000
   */
  public boolean subMicrosecond() {
    return start.getNano() % 1_000 != 0;
  }

  /**
   * The duration of the recording.
   *
   * @return seconds
   */
  public double durationSeconds() {
    return samples.length() / sampleRateHz;
  }
}
