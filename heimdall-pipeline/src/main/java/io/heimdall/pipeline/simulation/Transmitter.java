package io.heimdall.pipeline.simulation;

/**
 * A simulated transmitter: where it is, its channel and its power.
 *
 * @param index the transmission's index in its simulator
 * @param latitude true latitude, degrees
 * @param longitude true longitude, degrees
 * @param frequencyMhz channel frequency, MHz
 * @param txPowerDbm output power, dBm
 */
public record Transmitter(
    int index, double latitude, double longitude, double frequencyMhz, double txPowerDbm) {

  /**
   * Great-circle distance from the true position to an estimate, in metres.
   *
   * @param estimatedLatitude latitude of the estimate in degrees, north positive
   * @param estimatedLongitude longitude of the estimate in degrees, east positive
   * @return the distance in metres
   */
  public double errorMetres(double estimatedLatitude, double estimatedLongitude) {
    return Geodesy.distanceMetres(latitude, longitude, estimatedLatitude, estimatedLongitude);
  }
}
