package io.heimdall.core;

import io.heimdall.core.internal.Checks;
import java.time.Instant;
import java.util.UUID;

/**
 * What one receiver measured for one task.
 *
 * @param id database id, or null before it is stored
 * @param taskId the task it belongs to
 * @param stationName receiver name, non-blank
 * @param frequencyMhz finite, &gt; 0
 * @param signalStrengthDbm finite or null
 * @param bearingDegrees in [0, 360) or null
 * @param bearingUncertaintyDegrees finite, &ge; 0, or null
 * @param signalQuality in [0, 1] or null
 * @param snrDb finite or null
 * @param arrivalTimeUs arrival time in microseconds, or null
 * @param measurementErrorCode receiver error code, or null
 * @param createdAt measurement time, or null to let the database (or ingest) stamp it
 */
public record SignalMeasurement(
    Long id,
    UUID taskId,
    String stationName,
    double frequencyMhz,
    Double signalStrengthDbm,
    Double bearingDegrees,
    Double bearingUncertaintyDegrees,
    Double signalQuality,
    Double snrDb,
    Long arrivalTimeUs,
    String measurementErrorCode,
    Instant createdAt) {

  /**
   * Validates every field against the schema's constraints.
   *
   * @param id database id, or null before it is stored
   * @param taskId the task it belongs to
   * @param stationName receiver name, non-blank
   * @param frequencyMhz finite, &gt; 0
   * @param signalStrengthDbm finite or null
   * @param bearingDegrees in [0, 360) or null
   * @param bearingUncertaintyDegrees finite, &ge; 0, or null
   * @param signalQuality in [0, 1] or null
   * @param snrDb finite or null
   * @param arrivalTimeUs arrival time in microseconds, or null
   * @param measurementErrorCode receiver error code, or null
   * @param createdAt measurement time, or null to let the database (or ingest) stamp it
   * @throws io.heimdall.InvalidInputException if a value breaks the schema's constraints
   */
  public SignalMeasurement {
    Checks.required("taskId", taskId);
    Checks.requiredText("stationName", stationName);
    Checks.positive("frequencyMhz", frequencyMhz);
    Checks.finite("signalStrengthDbm", signalStrengthDbm);
    Checks.halfOpen("bearingDegrees", bearingDegrees, 0, 360);
    Checks.nonNegative("bearingUncertaintyDegrees", bearingUncertaintyDegrees);
    Checks.range("signalQuality", signalQuality, 0, 1);
    Checks.finite("snrDb", snrDb);
    createdAt = Checks.micros(createdAt);
  }

  /**
   * @param taskId the task
   * @param stationName the receiver
   * @param frequencyMhz measured frequency
   * @return a builder with every optional field null
   */
  public static Builder builder(UUID taskId, String stationName, double frequencyMhz) {
    return new Builder(taskId, stationName, frequencyMhz);
  }

  /**
   * @param time the measurement time
   * @return a copy with that {@code createdAt}
   */
  public SignalMeasurement withCreatedAt(Instant time) {
    return new SignalMeasurement(
        id,
        taskId,
        stationName,
        frequencyMhz,
        signalStrengthDbm,
        bearingDegrees,
        bearingUncertaintyDegrees,
        signalQuality,
        snrDb,
        arrivalTimeUs,
        measurementErrorCode,
        time);
  }

  /** Builder of new measurements. */
  public static final class Builder {
    private final UUID taskId;
    private final String stationName;
    private final double frequencyMhz;
    private Double signalStrengthDbm;
    private Double bearingDegrees;
    private Double bearingUncertaintyDegrees;
    private Double signalQuality;
    private Double snrDb;
    private Long arrivalTimeUs;
    private String measurementErrorCode;
    private Instant createdAt;

    private Builder(UUID taskId, String stationName, double frequencyMhz) {
      this.taskId = taskId;
      this.stationName = stationName;
      this.frequencyMhz = frequencyMhz;
    }

    /**
     * @param v received power in dBm
     * @return this
     */
    public Builder signalStrengthDbm(Double v) {
      this.signalStrengthDbm = v;
      return this;
    }

    /**
     * @param v bearing in degrees [0, 360)
     * @return this
     */
    public Builder bearingDegrees(Double v) {
      this.bearingDegrees = v;
      return this;
    }

    /**
     * @param v bearing uncertainty in degrees
     * @return this
     */
    public Builder bearingUncertaintyDegrees(Double v) {
      this.bearingUncertaintyDegrees = v;
      return this;
    }

    /**
     * @param v quality score in [0, 1]
     * @return this
     */
    public Builder signalQuality(Double v) {
      this.signalQuality = v;
      return this;
    }

    /**
     * @param v signal-to-noise ratio in dB
     * @return this
     */
    public Builder snrDb(Double v) {
      this.snrDb = v;
      return this;
    }

    /**
     * @param v arrival time in microseconds
     * @return this
     */
    public Builder arrivalTimeUs(Long v) {
      this.arrivalTimeUs = v;
      return this;
    }

    /**
     * @param v receiver error code
     * @return this
     */
    public Builder measurementErrorCode(String v) {
      this.measurementErrorCode = v;
      return this;
    }

    /**
     * @param v measurement time (default: stamped when stored)
     * @return this
     */
    public Builder createdAt(Instant v) {
      this.createdAt = v;
      return this;
    }

    /**
     * @return the measurement, without an id
     * @throws io.heimdall.InvalidInputException if a value breaks the schema's constraints
     */
    public SignalMeasurement build() {
      return new SignalMeasurement(
          null,
          taskId,
          stationName,
          frequencyMhz,
          signalStrengthDbm,
          bearingDegrees,
          bearingUncertaintyDegrees,
          signalQuality,
          snrDb,
          arrivalTimeUs,
          measurementErrorCode,
          createdAt);
    }
  }
}
