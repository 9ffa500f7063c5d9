package io.heimdall.core;

import io.heimdall.core.internal.Checks;
import java.time.Instant;
import java.util.UUID;

/**
 * The estimated transmitter position for one task (at most one per task).
 *
 * @param id primary key
 * @param taskId the task (unique)
 * @param status outcome label, e.g. "success"
 * @param latitude degrees in [-90, 90], or null
 * @param longitude degrees in [-180, 180], or null
 * @param altitudeM metres, finite, or null
 * @param latitudeUncertaintyM metres, &ge; 0, or null
 * @param longitudeUncertaintyM metres, &ge; 0, or null
 * @param confidence in [0, 1], or null: the posterior probability of the stated region
 * @param covarianceEeM2 east/east term of the position covariance, metres², &ge; 0, or null
 * @param covarianceEnM2 east/north term of the position covariance, metres², or null
 * @param covarianceNnM2 north/north term of the position covariance, metres², &ge; 0, or null
 * @param regionLevel the level of the region {@code confidence} refers to, in (0, 1), or null
 * @param algorithmVersion which localiser produced it, or null
 * @param processingTimeMs &ge; 0, or null
 * @param stationsUsed &ge; 0, or null
 * @param measurementsUsed &ge; 0, or null
 * @param createdAt when it was stored
 */
public record TaskResult(
    UUID id,
    UUID taskId,
    String status,
    Double latitude,
    Double longitude,
    Double altitudeM,
    Double latitudeUncertaintyM,
    Double longitudeUncertaintyM,
    Double confidence,
    Double covarianceEeM2,
    Double covarianceEnM2,
    Double covarianceNnM2,
    Double regionLevel,
    String algorithmVersion,
    Integer processingTimeMs,
    Integer stationsUsed,
    Integer measurementsUsed,
    Instant createdAt) {

  /**
   * Validates every field against the schema's constraints.
   *
   * @param id primary key
   * @param taskId the task (unique)
   * @param status outcome label, e.g. "success"
   * @param latitude degrees in [-90, 90], or null
   * @param longitude degrees in [-180, 180], or null
   * @param altitudeM metres, finite, or null
   * @param latitudeUncertaintyM metres, &ge; 0, or null
   * @param longitudeUncertaintyM metres, &ge; 0, or null
   * @param confidence in [0, 1], or null: the posterior probability of the stated region
   * @param covarianceEeM2 east/east term of the position covariance, metres², &ge; 0, or null
   * @param covarianceEnM2 east/north term of the position covariance, metres², or null
   * @param covarianceNnM2 north/north term of the position covariance, metres², &ge; 0, or null
   * @param regionLevel the level of the region {@code confidence} refers to, in (0, 1), or null
   * @param algorithmVersion which localiser produced it, or null
   * @param processingTimeMs &ge; 0, or null
   * @param stationsUsed &ge; 0, or null
   * @param measurementsUsed &ge; 0, or null
   * @param createdAt when it was stored
   * @throws io.heimdall.InvalidInputException if a value breaks the schema's constraints
   */
  public TaskResult {
    Checks.required("id", id);
    Checks.required("taskId", taskId);
    Checks.requiredText("status", status);
    Checks.range("latitude", latitude, -90, 90);
    Checks.range("longitude", longitude, -180, 180);
    Checks.finite("altitudeM", altitudeM);
    Checks.nonNegative("latitudeUncertaintyM", latitudeUncertaintyM);
    Checks.nonNegative("longitudeUncertaintyM", longitudeUncertaintyM);
    Checks.range("confidence", confidence, 0, 1);
    Checks.nonNegative("covarianceEeM2", covarianceEeM2);
    Checks.finite("covarianceEnM2", covarianceEnM2);
    Checks.nonNegative("covarianceNnM2", covarianceNnM2);
    if (regionLevel != null && !(regionLevel > 0 && regionLevel < 1)) {
      throw new io.heimdall.InvalidInputException(
          "regionLevel must be in (0, 1), got " + regionLevel);
    }
    if (covarianceEeM2 != null
        && covarianceNnM2 != null
        && covarianceEnM2 != null
        && covarianceEnM2 * covarianceEnM2 > covarianceEeM2 * covarianceNnM2 * (1 + 1e-9)) {
      throw new io.heimdall.InvalidInputException(
          "covariance must be positive semi-definite (en² <= ee·nn), got ee="
              + covarianceEeM2
              + ", en="
              + covarianceEnM2
              + ", nn="
              + covarianceNnM2);
    }
    Checks.nonNegative("processingTimeMs", processingTimeMs);
    Checks.nonNegative("stationsUsed", stationsUsed);
    Checks.nonNegative("measurementsUsed", measurementsUsed);
    Checks.required("createdAt", createdAt);
    createdAt = Checks.micros(createdAt);
  }

  /**
   * @param taskId the task
   * @param latitude estimated latitude
   * @param longitude estimated longitude
   * @return a builder: random id, status "success", created now
   */
  public static Builder builder(UUID taskId, double latitude, double longitude) {
    return new Builder(taskId, latitude, longitude);
  }

  /** Builder of new results. */
  public static final class Builder {
    private final UUID taskId;
    private final double latitude;
    private final double longitude;
    private UUID id = UUID.randomUUID();
    private String status = "success";
    private Double altitudeM;
    private Double latitudeUncertaintyM;
    private Double longitudeUncertaintyM;
    private Double confidence;
    private Double covarianceEeM2;
    private Double covarianceEnM2;
    private Double covarianceNnM2;
    private Double regionLevel;
    private String algorithmVersion;
    private Integer processingTimeMs;
    private Integer stationsUsed;
    private Integer measurementsUsed;
    private Instant createdAt;

    private Builder(UUID taskId, double latitude, double longitude) {
      this.taskId = taskId;
      this.latitude = latitude;
      this.longitude = longitude;
    }

    /**
     * @param v primary key (default random)
     * @return this
     */
    public Builder id(UUID v) {
      this.id = v;
      return this;
    }

    /**
     * @param v outcome label (default "success")
     * @return this
     */
    public Builder status(String v) {
      this.status = v;
      return this;
    }

    /**
     * @param v altitude in metres
     * @return this
     */
    public Builder altitudeM(Double v) {
      this.altitudeM = v;
      return this;
    }

    /**
     * @param latitudeM latitude uncertainty in metres
     * @param longitudeM longitude uncertainty in metres
     * @return this
     */
    public Builder uncertaintyM(Double latitudeM, Double longitudeM) {
      this.latitudeUncertaintyM = latitudeM;
      this.longitudeUncertaintyM = longitudeM;
      return this;
    }

    /**
     * @param v confidence in [0, 1]
     * @return this
     */
    public Builder confidence(Double v) {
      this.confidence = v;
      return this;
    }

    /**
     * Sets the position covariance in east/north metres² at the estimate (default none).
     *
     * @param eeM2 east/east term
     * @param enM2 east/north term
     * @param nnM2 north/north term
     * @return this
     */
    public Builder covarianceM2(double eeM2, double enM2, double nnM2) {
      this.covarianceEeM2 = eeM2;
      this.covarianceEnM2 = enM2;
      this.covarianceNnM2 = nnM2;
      return this;
    }

    /**
     * Sets the level of the region whose probability {@link #confidence} holds (default none).
     *
     * @param level in (0, 1), e.g. 0.9
     * @return this
     */
    public Builder regionLevel(double level) {
      this.regionLevel = level;
      return this;
    }

    /**
     * @param v localiser version
     * @return this
     */
    public Builder algorithmVersion(String v) {
      this.algorithmVersion = v;
      return this;
    }

    /**
     * @param v processing time in ms
     * @return this
     */
    public Builder processingTimeMs(Integer v) {
      this.processingTimeMs = v;
      return this;
    }

    /**
     * @param v number of stations used
     * @return this
     */
    public Builder stationsUsed(Integer v) {
      this.stationsUsed = v;
      return this;
    }

    /**
     * @param v number of measurements used
     * @return this
     */
    public Builder measurementsUsed(Integer v) {
      this.measurementsUsed = v;
      return this;
    }

    /**
     * @param v creation time (default now)
     * @return this
     */
    public Builder createdAt(Instant v) {
      this.createdAt = v;
      return this;
    }

    /**
     * @return the result
     * @throws io.heimdall.InvalidInputException if a value breaks the schema's constraints
     */
    public TaskResult build() {
      return new TaskResult(
          id,
          taskId,
          status,
          latitude,
          longitude,
          altitudeM,
          latitudeUncertaintyM,
          longitudeUncertaintyM,
          confidence,
          covarianceEeM2,
          covarianceEnM2,
          covarianceNnM2,
          regionLevel,
          algorithmVersion,
          processingTimeMs,
          stationsUsed,
          measurementsUsed,
          createdAt == null ? Instant.now() : createdAt);
    }
  }
}
