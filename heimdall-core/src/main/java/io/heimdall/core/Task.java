package io.heimdall.core;

import io.heimdall.core.internal.Checks;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A localisation task: which frequencies to record for how long, and where it is in its lifecycle.
 *
 * @param id primary key
 * @param userId who submitted it, or null
 * @param status lifecycle state
 * @param frequenciesMhz frequencies to record in MHz (finite, &gt; 0), never null
 * @param durationSeconds recording length, &gt; 0, or null
 * @param bandwidthHz receiver bandwidth, &gt; 0, or null
 * @param name human label, or null
 * @param priority queue priority
 * @param createdAt when it was submitted (microsecond precision)
 * @param startedAt when a worker last claimed it, or null
 * @param completedAt when it reached completed or failed, or null
 * @param errorMessage why it failed (or why its last attempt failed), or null
 */
public record Task(
    UUID id,
    String userId,
    TaskStatus status,
    List<Double> frequenciesMhz,
    Integer durationSeconds,
    Integer bandwidthHz,
    String name,
    Priority priority,
    Instant createdAt,
    Instant startedAt,
    Instant completedAt,
    String errorMessage) {

  /**
   * Validates every field against the schema's constraints.
   *
   * @param id primary key
   * @param userId who submitted it, or null
   * @param status lifecycle state
   * @param frequenciesMhz frequencies to record in MHz (finite, &gt; 0), never null
   * @param durationSeconds recording length, &gt; 0, or null
   * @param bandwidthHz receiver bandwidth, &gt; 0, or null
   * @param name human label, or null
   * @param priority queue priority
   * @param createdAt when it was submitted (microsecond precision)
   * @param startedAt when a worker last claimed it, or null
   * @param completedAt when it reached completed or failed, or null
   * @param errorMessage why it failed (or why its last attempt failed), or null
   * @throws io.heimdall.InvalidInputException if a value breaks the schema's constraints
   */
  public Task {
    Checks.required("id", id);
    Checks.required("status", status);
    Checks.required("priority", priority);
    Checks.required("createdAt", createdAt);
    frequenciesMhz = frequenciesMhz == null ? List.of() : frequenciesMhz;
    for (Double f : frequenciesMhz) {
      if (f == null || !(f > 0 && f < Double.POSITIVE_INFINITY)) {
        throw Checks.invalid("frequenciesMhz must hold finite values > 0, got %s", f);
      }
    }
    frequenciesMhz = List.copyOf(frequenciesMhz);
    Checks.positive("durationSeconds", durationSeconds);
    Checks.positive("bandwidthHz", bandwidthHz);
    createdAt = Checks.micros(createdAt);
    startedAt = Checks.micros(startedAt);
    completedAt = Checks.micros(completedAt);
  }

  /**
   * @return a builder for a new task: random id, status submitted, priority normal, created now
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of new tasks; every setter is optional. */
  public static final class Builder {
    private UUID id = UUID.randomUUID();
    private String userId;
    private List<Double> frequenciesMhz = List.of();
    private Integer durationSeconds;
    private Integer bandwidthHz;
    private String name;
    private Priority priority = Priority.NORMAL;
    private Instant createdAt;

    private Builder() {}

    /**
     * @param id the primary key (default: random)
     * @return this
     */
    public Builder id(UUID id) {
      this.id = Checks.required("id", id);
      return this;
    }

    /**
     * @param userId who submits it
     * @return this
     */
    public Builder userId(String userId) {
      this.userId = userId;
      return this;
    }

    /**
     * @param frequenciesMhz frequencies in MHz
     * @return this
     */
    public Builder frequenciesMhz(Double... frequenciesMhz) {
      this.frequenciesMhz = List.of(frequenciesMhz);
      return this;
    }

    /**
     * @param frequenciesMhz frequencies in MHz
     * @return this
     */
    public Builder frequenciesMhz(List<Double> frequenciesMhz) {
      this.frequenciesMhz = frequenciesMhz;
      return this;
    }

    /**
     * @param durationSeconds recording length
     * @return this
     */
    public Builder durationSeconds(Integer durationSeconds) {
      this.durationSeconds = durationSeconds;
      return this;
    }

    /**
     * @param bandwidthHz receiver bandwidth
     * @return this
     */
    public Builder bandwidthHz(Integer bandwidthHz) {
      this.bandwidthHz = bandwidthHz;
      return this;
    }

    /**
     * @param name human label
     * @return this
     */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * @param priority queue priority (default normal)
     * @return this
     */
    public Builder priority(Priority priority) {
      this.priority = priority;
      return this;
    }

    /**
     * @param createdAt submission time (default: now)
     * @return this
     */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    /**
     * @return the task, status submitted
     * @throws io.heimdall.InvalidInputException if a value breaks the schema's constraints
     */
    public Task build() {
      return new Task(
          id,
          userId,
          TaskStatus.SUBMITTED,
          frequenciesMhz,
          durationSeconds,
          bandwidthHz,
          name,
          priority,
          createdAt == null ? Instant.now() : createdAt,
          null,
          null,
          null);
    }
  }
}
