package io.heimdall.locate;

/**
 * What one station observed of one transmission: either the received signal power, or that it
 * heard nothing, in which case its noise floor is an upper bound on the power it received.
 *
 * @param station the receiver
 * @param levelDbm the received power in dBm if {@code heard}, otherwise the noise floor in dBm
 * @param heard whether the station heard the transmission
 */
public record Reading(Station station, double levelDbm, boolean heard) {

  /**
   * Validates the reading.
   *
   * @param station see the record component
   * @param levelDbm see the record component
   * @param heard see the record component
   * @throws LocateInputException if the station is null or the level is not finite
   */
  public Reading {
    Checks.present("reading station", station);
    Checks.finite(
        "station '" + station.id() + "' " + (heard ? "power_dbm" : "noise_floor_dbm"), levelDbm);
  }

  /**
   * A station that heard the transmission.
   *
   * @param station the receiver
   * @param powerDbm received signal power, dBm
   * @return the reading
   * @throws LocateInputException if the power is not finite
   */
  public static Reading heard(Station station, double powerDbm) {
    return new Reading(station, powerDbm, true);
  }

  /**
   * A station that heard nothing above its noise floor.
   *
   * @param station the receiver
   * @param noiseFloorDbm the noise floor, dBm: the received power was at most this
   * @return the reading
   * @throws LocateInputException if the floor is not finite
   */
  public static Reading silent(Station station, double noiseFloorDbm) {
    return new Reading(station, noiseFloorDbm, false);
  }
}
