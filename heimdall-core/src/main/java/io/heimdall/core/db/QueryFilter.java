package io.heimdall.core.db;

import io.heimdall.core.TaskStatus;
import io.heimdall.core.internal.Checks;
import java.time.Instant;
import java.util.UUID;

/**
 * Conditions of a listing; every value is bound as a statement parameter. Unset fields match
 * everything. Which fields apply: tasks take status and the time range; measurements take task,
 * station, frequency range and time range; results take task, minimum confidence and time range. A
 * field that does not apply to a listing is rejected with {@link InvalidPageRequestException}.
 *
 * @param status task status
 * @param createdFrom {@code created_at >= createdFrom}
 * @param createdBefore {@code created_at < createdBefore}
 * @param taskId rows of this task
 * @param stationName measurements of this receiver
 * @param minFrequencyMhz {@code frequency_mhz >= min}
 * @param maxFrequencyMhz {@code frequency_mhz <= max}
 * @param minConfidence {@code confidence >= min}, in [0, 1]
 */
public record QueryFilter(
    TaskStatus status,
    Instant createdFrom,
    Instant createdBefore,
    UUID taskId,
    String stationName,
    Double minFrequencyMhz,
    Double maxFrequencyMhz,
    Double minConfidence) {
  /**
   * Matches every row. */
  public static final QueryFilter NONE =
      new QueryFilter(null, null, null, null, null, null, null, null);

  /** Validates the ranges.
   *
   * @param status task status
   * @param createdFrom {@code created_at >= createdFrom}
   * @param createdBefore {@code created_at < createdBefore}
   * @param taskId rows of this task
   * @param stationName measurements of this receiver
   * @param minFrequencyMhz {@code frequency_mhz >= min}
   * @param maxFrequencyMhz {@code frequency_mhz <= max}
   * @param minConfidence {@code confidence >= min}, in [0, 1]
   * @throws InvalidPageRequestException if a range is empty or a value is out of range
   */
  public QueryFilter {
    Checks.argument(
        createdFrom == null || createdBefore == null || createdFrom.isBefore(createdBefore),
        InvalidPageRequestException::new,
        "createdFrom %s must be before createdBefore %s",
        createdFrom,
        createdBefore);
    Checks.argument(
        minFrequencyMhz == null || Double.isFinite(minFrequencyMhz),
        InvalidPageRequestException::new,
        "minFrequencyMhz must be a finite number, got %s",
        minFrequencyMhz);
    Checks.argument(
        maxFrequencyMhz == null || Double.isFinite(maxFrequencyMhz),
        InvalidPageRequestException::new,
        "maxFrequencyMhz must be a finite number, got %s",
        maxFrequencyMhz);
    Checks.argument(
        minFrequencyMhz == null || maxFrequencyMhz == null || minFrequencyMhz <= maxFrequencyMhz,
        InvalidPageRequestException::new,
        "minFrequencyMhz %s must not exceed maxFrequencyMhz %s",
        minFrequencyMhz,
        maxFrequencyMhz);
    Checks.argument(
        minConfidence == null || (minConfidence >= 0 && minConfidence <= 1),
        InvalidPageRequestException::new,
        "minConfidence must be in [0, 1], got %s",
        minConfidence);
    Checks.argument(
        stationName == null || !stationName.isBlank(),
        InvalidPageRequestException::new,
        "stationName must not be blank, got '%s'",
        stationName);
  }

  /**
   * @return a builder of filters
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link QueryFilter}s. */
  public static final class Builder {
    private TaskStatus status;
    private Instant createdFrom;
    private Instant createdBefore;
    private UUID taskId;
    private String stationName;
    private Double minFrequencyMhz;
    private Double maxFrequencyMhz;
    private Double minConfidence;

    private Builder() {}

    /**
     * @param v task status
     * @return this
     */
    public Builder status(TaskStatus v) {
      this.status = v;
      return this;
    }

    /**
     * @param from inclusive start, or null
     * @param before exclusive end, or null
     * @return this
     */
    public Builder createdBetween(Instant from, Instant before) {
      this.createdFrom = from;
      this.createdBefore = before;
      return this;
    }

    /**
     * @param v the task
     * @return this
     */
    public Builder taskId(UUID v) {
      this.taskId = v;
      return this;
    }

    /**
     * @param v receiver name
     * @return this
     */
    public Builder stationName(String v) {
      this.stationName = v;
      return this;
    }

    /**
     * @param min inclusive lower bound in MHz, or null
     * @param max inclusive upper bound in MHz, or null
     * @return this
     */
    public Builder frequencyMhz(Double min, Double max) {
      this.minFrequencyMhz = min;
      this.maxFrequencyMhz = max;
      return this;
    }

    /**
     * @param v minimum confidence in [0, 1]
     * @return this
     */
    public Builder minConfidence(Double v) {
      this.minConfidence = v;
      return this;
    }

    /**
     * @return the filter
     * @throws InvalidPageRequestException if a range is empty or a value out of range
     */
    public QueryFilter build() {
      return new QueryFilter(
          status,
          createdFrom,
          createdBefore,
          taskId,
          stationName,
          minFrequencyMhz,
          maxFrequencyMhz,
          minConfidence);
    }
  }
}
