package io.heimdall.core.pipeline;

import java.util.List;

/**
 * A receiving station: its name and position (WGS-84 degrees).
 *
 * @param name station name, as stored in {@code signal_measurements.station_name}
 * @param latitude latitude in degrees, within [-90, 90]
 * @param longitude longitude in degrees, within [-180, 180]
 */
public record Receiver(String name, double latitude, double longitude) {

  /**
   * The seven reference WebSDR receivers around Turin, in the order the localisation models expect
   * their per-receiver inputs.
   */
  public static final List<Receiver> TURIN_REFERENCE =
      List.of(
          new Receiver("Aquila di Giaveno", 45.02, 7.29),
          new Receiver("Montanaro", 45.234, 7.857),
          new Receiver("Torino", 45.044, 7.672),
          new Receiver("Coazze", 45.03, 7.27),
          new Receiver("Passo del Giovi", 44.561, 8.956),
          new Receiver("Genova", 44.395, 8.956),
          new Receiver("Milano Baggio", 45.478, 9.123));

  /** Validates the name and the coordinates. */
  public Receiver {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("receiver name must not be blank, got " + name);
    }
    Geodesy.checkPosition(latitude, longitude);
  }
}
