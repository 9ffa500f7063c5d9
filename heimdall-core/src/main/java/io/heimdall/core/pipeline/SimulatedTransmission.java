package io.heimdall.core.pipeline;

import java.util.List;

/**
 * One simulated transmission: where and how it was sent, and every receiver's recording of it.
 *
 * @param index the transmission's index in its simulator; the same index always gives the same
 *     transmission
 * @param latitude true transmitter latitude, degrees
 * @param longitude true transmitter longitude, degrees
 * @param frequencyMhz channel frequency, MHz
 * @param txPowerDbm transmitter output power, dBm
 * @param recordings one recording per receiver, in the simulator's receiver order
 * @param truths what each receiver really received, in the same order
 */
public record SimulatedTransmission(
    int index,
    double latitude,
    double longitude,
    double frequencyMhz,
    double txPowerDbm,
    List<IqRecording> recordings,
    List<ReceptionTruth> truths) {

  /** Copies the lists so the value cannot change under its holder. */
  public SimulatedTransmission {
    recordings = List.copyOf(recordings);
    truths = List.copyOf(truths);
  }

  /** Great-circle distance from the true position to an estimate, in metres. */
  public double errorMetres(double estimatedLatitude, double estimatedLongitude) {
    return Geodesy.distanceMetres(latitude, longitude, estimatedLatitude, estimatedLongitude);
  }
}
