package io.heimdall.core;

import io.heimdall.core.internal.Checks;
import java.time.Instant;

/**
 * A WebSDR receiver.
 *
 * @param id primary key, e.g. "torino"
 * @param name display name
 * @param url receiver address, or null
 * @param latitude degrees in [-90, 90]
 * @param longitude degrees in [-180, 180]
 * @param altitudeM metres, or null
 * @param frequencyMinMhz lowest tunable frequency, or null
 * @param frequencyMaxMhz highest tunable frequency (&ge; min), or null
 * @param status e.g. "online"
 * @param trusted whether its measurements are trusted
 * @param createdAt when it was registered
 * @param updatedAt when it last changed
 */
public record Station(
    String id,
    String name,
    String url,
    double latitude,
    double longitude,
    Double altitudeM,
    Double frequencyMinMhz,
    Double frequencyMaxMhz,
    String status,
    boolean trusted,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * Validates every field against the schema's constraints.
   *
   * @param id primary key, e.g. "torino"
   * @param name display name
   * @param url receiver address, or null
   * @param latitude degrees in [-90, 90]
   * @param longitude degrees in [-180, 180]
   * @param altitudeM metres, or null
   * @param frequencyMinMhz lowest tunable frequency, or null
   * @param frequencyMaxMhz highest tunable frequency (&ge; min), or null
   * @param status e.g. "online"
   * @param trusted whether its measurements are trusted
   * @param createdAt when it was registered
   * @param updatedAt when it last changed
   * @throws io.heimdall.InvalidInputException if a value breaks the schema's constraints
   */
  public Station {
    Checks.requiredText("id", id);
    Checks.requiredText("name", name);
    Checks.range("latitude", latitude, -90, 90);
    Checks.range("longitude", longitude, -180, 180);
    Checks.finite("altitudeM", altitudeM);
    Checks.finite("frequencyMinMhz", frequencyMinMhz);
    Checks.finite("frequencyMaxMhz", frequencyMaxMhz);
    Checks.argument(
        frequencyMinMhz == null || frequencyMaxMhz == null || frequencyMinMhz <= frequencyMaxMhz,
        "frequencyMinMhz %s must not exceed frequencyMaxMhz %s",
        frequencyMinMhz,
        frequencyMaxMhz);
    Checks.requiredText("status", status);
    Checks.required("createdAt", createdAt);
    Checks.required("updatedAt", updatedAt);
    createdAt = Checks.micros(createdAt);
    updatedAt = Checks.micros(updatedAt);
  }

  /**
   * A trusted, online station registered now, covering the 2 m and 70 cm bands (144–440 MHz).
   *
   * @param id primary key
   * @param name display name
   * @param latitude degrees
   * @param longitude degrees
   * @return the station
   */
  public static Station of(String id, String name, double latitude, double longitude) {
    Instant now = Instant.now();
    return new Station(
        id, name, null, latitude, longitude, null, 144.0, 440.0, "online", true, now, now);
  }
}
