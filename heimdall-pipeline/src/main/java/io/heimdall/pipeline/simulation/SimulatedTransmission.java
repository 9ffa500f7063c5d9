package io.heimdall.pipeline.simulation;

import io.heimdall.pipeline.IqRecording;
import java.util.List;
import java.util.Objects;

/**
 * One simulated transmission: who sent it, and every receiver's recording of it.
 *
 * @param transmitter where, on which channel and how strongly it was sent
 * @param recordings one recording per receiver, in the simulator's receiver order
 * @param truths what each receiver really received, in the same order
 */
public record SimulatedTransmission(
    Transmitter transmitter, List<IqRecording> recordings, List<ReceptionTruth> truths) {

  /**
   * Copies the lists so the value cannot change under its holder.
   *
   * @param transmitter where, on which channel and how strongly it was sent
   * @param recordings one recording per receiver, in the simulator's receiver order; copied
   * @param truths what each receiver really received, in the same order; copied
   * @throws NullPointerException if any argument, or an element of a list, is null
   */
  public SimulatedTransmission {
    Objects.requireNonNull(transmitter, "transmitter");
    recordings = List.copyOf(recordings);
    truths = List.copyOf(truths);
  }
}
