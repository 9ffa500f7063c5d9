package io.heimdall.locate;

/**
 * A receiver site. Its identity is {@link #id()}, a stable key that stays the same from the
 * simulator to the database; {@link #name()} is a label for people and is never used for matching.
 *
 * @param id stable identifier of the station (non-blank), e.g. {@code "it-aquila-giaveno"}
 * @param name display name (non-blank), e.g. {@code "Aquila di Giaveno"}
 * @param latitude degrees north, in [-90, 90]
 * @param longitude degrees east, in [-180, 180]
 * @param altitudeM antenna height above the WGS84 ellipsoid, metres (finite); carried for output:
 *     the path-loss model works on the ground distance
 */
public record Station(String id, String name, double latitude, double longitude, double altitudeM) {

  /**
   * Validates the station.
   *
   * @param id see the record component
   * @param name see the record component
   * @param latitude see the record component
   * @param longitude see the record component
   * @param altitudeM see the record component
   * @throws LocateInputException if the id or name is blank or a coordinate is out of range
   */
  public Station {
    Checks.text("station id", id);
    Checks.text("station '" + id + "' name", name);
    Checks.between("station '" + id + "' latitude", latitude, -90, 90);
    Checks.between("station '" + id + "' longitude", longitude, -180, 180);
    Checks.finite("station '" + id + "' altitude_m", altitudeM);
  }

  /**
   * A station at ground level (altitude 0 m).
   *
   * @param id stable identifier
   * @param name display name
   * @param latitude degrees north
   * @param longitude degrees east
   * @return the station
   * @throws LocateInputException as the canonical constructor
   */
  public static Station of(String id, String name, double latitude, double longitude) {
    return new Station(id, name, latitude, longitude, 0);
  }
}
