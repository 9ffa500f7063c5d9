package io.heimdall.pipeline;

import io.heimdall.core.Task;
import java.util.List;

/**
 * Where a task's IQ recordings come from: the receivers' recordings of the task's transmission
 * (fetched from WebSDR receivers, read from SigMF files with {@link SigMfRecordingSets}, or
 * simulated with {@link io.heimdall.pipeline.simulation.SimulatedTasks}).
 *
 * <p>Called by the pipeline's worker threads, concurrently: implementations must be thread-safe. An
 * exception fails the task's attempt, which the queue retries until its attempts run out.
 */
@FunctionalInterface
public interface RecordingSource {

  /**
   * The recordings of one task's transmission, at most one per receiver.
   *
   * @param task the claimed task
   * @return its recordings, not empty
   */
  List<IqRecording> recordings(Task task);
}
