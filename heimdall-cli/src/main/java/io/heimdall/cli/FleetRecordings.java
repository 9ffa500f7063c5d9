package io.heimdall.cli;

import io.heimdall.core.Task;
import io.heimdall.locate.Station;
import io.heimdall.pipeline.IqRecording;
import io.heimdall.pipeline.RecordingSource;
import io.heimdall.pipeline.SigMfRecordingSets;
import io.heimdall.pipeline.simulation.SimulatedTasks;
import io.heimdall.pipeline.simulation.TransmissionSimulator;
import java.util.List;

/**
 * Where a fleet worker gets a task's recordings: a SigMF recording set named by the task, or
 * otherwise the simulated transmission the task's name numbers, regenerated from the simulation
 * seed (every process of a fleet must use the same seed).
 */
final class FleetRecordings implements RecordingSource {
  private final SimulatedTasks simulated;
  private final SigMfRecordingSets recordingSets;

  FleetRecordings(long seed, List<Station> receivers) {
    this.simulated = new SimulatedTasks(TransmissionSimulator.builder().seed(seed).build());
    this.recordingSets = new SigMfRecordingSets(receivers);
  }

  SimulatedTasks simulated() {
    return simulated;
  }

  @Override
  public List<IqRecording> recordings(Task task) {
    return SigMfRecordingSets.isRecordingSet(task)
        ? recordingSets.recordings(task)
        : simulated.recordings(task);
  }
}
