package io.heimdall.pipeline.simulation;

import io.heimdall.locate.Station;

/**
 * What the simulator knows about one receiver's reception, for checking estimates against.
 *
 * @param receiver the receiver
 * @param distanceMetres great-circle distance from the transmitter
 * @param receivedPowerDbm signal power at the receiver input (after path loss and shadowing)
 * @param noisePowerDbm receiver noise power over the recording's bandwidth
 * @param frequencyOffsetHz offset of the carrier from the receiver's tuning (transmitter error plus
 *     the receiver's oscillator error)
 */
public record ReceptionTruth(
    Station receiver,
    double distanceMetres,
    double receivedPowerDbm,
    double noisePowerDbm,
    double frequencyOffsetHz) {

  /**
   * Carrier-to-noise ratio over the recording's bandwidth, in dB.
   *
   * @return the received power minus the noise power, in dB
   */
  public double snrDb() {
    return receivedPowerDbm - noisePowerDbm;
  }
}
