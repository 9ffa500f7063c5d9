package io.heimdall.pipeline.simulation;

import io.heimdall.pipeline.IqRecording;
import io.heimdall.pipeline.RecordingSource;
import io.heimdall.core.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tasks whose recordings come from a {@link TransmissionSimulator}: task number {@code i} is named
 * {@value #NAME_PREFIX}{@code i}, and its recordings are regenerated from that name whenever a
 * worker asks, in any JVM that builds the same simulator. Thread-safe.
 */
public final class SimulatedTasks implements RecordingSource {

  /** Prefix of the names of simulated tasks; the transmission index follows it. */
  public static final String NAME_PREFIX = "simulated transmission #";

  private final TransmissionSimulator simulator;

  /** Tasks for the transmissions of {@code simulator}. */
  public SimulatedTasks(TransmissionSimulator simulator) {
    this.simulator = Objects.requireNonNull(simulator, "simulator");
  }

  /** The simulator behind the tasks. */
  public TransmissionSimulator simulator() {
    return simulator;
  }

  /**
   * New tasks (status submitted) for transmissions {@code first .. first+count-1}, created at
   * {@code createdAt}.
   */
  public List<Task> tasks(int first, int count, Instant createdAt) {
    if (first < 0 || count < 0) {
      throw new IllegalArgumentException(
          "task range needs first >= 0 and count >= 0, got first " + first + ", count " + count);
    }
    List<Task> tasks = new ArrayList<>(count);
    for (int i = first; i < first + count; i++) {
      Transmitter transmitter = simulator.transmitter(i);
      tasks.add(
          Task.builder()
              .name(NAME_PREFIX + i)
              .frequenciesMhz(transmitter.frequencyMhz())
              .durationSeconds(
                  (int) Math.ceil(simulator.samplesPerRecording() / simulator.sampleRateHz()))
              .bandwidthHz((int) Math.round(simulator.sampleRateHz()))
              .createdAt(createdAt)
              .build());
    }
    return tasks;
  }

  /**
   * The index of the transmission a simulated task stands for.
   *
   * @throws IllegalArgumentException if the task was not made by {@link #tasks}
   */
  public int indexOf(Task task) {
    String name = task.name();
    if (name != null && name.startsWith(NAME_PREFIX)) {
      try {
        return Integer.parseInt(name.substring(NAME_PREFIX.length()));
      } catch (NumberFormatException notAnIndex) {
        // reported below
      }
    }
    throw new IllegalArgumentException(
        "task "
            + task.id()
            + " is not a simulated task: its name is '"
            + name
            + "', expected '"
            + NAME_PREFIX
            + "<index>'");
  }

  /** The true transmitter of a simulated task (cheap: no recordings are generated). */
  public Transmitter transmitter(Task task) {
    return simulator.transmitter(indexOf(task));
  }

  @Override
  public List<IqRecording> recordings(Task task) {
    return simulator.simulate(indexOf(task)).recordings();
  }
}
