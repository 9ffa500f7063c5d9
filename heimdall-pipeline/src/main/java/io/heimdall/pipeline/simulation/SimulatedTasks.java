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

  /**
   * Tasks for the transmissions of {@code simulator}.
   *
   * @param simulator the simulator that regenerates every task's recordings; workers in other JVMs
   *     must build it with the same settings to see the same recordings
   * @throws NullPointerException if {@code simulator} is null
   */
  public SimulatedTasks(TransmissionSimulator simulator) {
    this.simulator = Objects.requireNonNull(simulator, "simulator");
  }

  /**
   * The simulator behind the tasks.
   *
   * @return the simulator given to the constructor
   */
  public TransmissionSimulator simulator() {
    return simulator;
  }

  /**
   * New tasks (status submitted) for transmissions {@code first .. first+count-1}, created at
   * {@code createdAt}.
   *
   * @param first index of the first transmission, at least 0
   * @param count number of tasks, at least 0
   * @param createdAt creation time stored on every task
   * @return {@code count} tasks in index order, each named {@value #NAME_PREFIX} plus its index, on
   *     its transmitter's channel, lasting the recording length (whole seconds, rounded up) at the
   *     simulator's sample rate as bandwidth
   * @throws IllegalArgumentException if {@code first} or {@code count} is negative
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
   * @param task a task made by {@link #tasks}
   * @return the transmission index read from the task's name
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

  /**
   * The true transmitter of a simulated task (cheap: no recordings are generated).
   *
   * @param task a task made by {@link #tasks}
   * @return the transmitter of the task's transmission: its true position, channel and power
   * @throws IllegalArgumentException if the task was not made by {@link #tasks}
   */
  public Transmitter transmitter(Task task) {
    return simulator.transmitter(indexOf(task));
  }

  @Override
  public List<IqRecording> recordings(Task task) {
    return simulator.simulate(indexOf(task)).recordings();
  }
}
