package io.heimdall.pipeline;

import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.db.ClaimedTask;
import io.heimdall.core.db.TaskQueue;
import io.heimdall.core.metrics.HeimdallMetrics;
import io.heimdall.inference.Location;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a finished task: its measurements, its result and the acknowledgement in one transaction
 * ({@link TaskQueue#complete(ClaimedTask, TaskResult, java.util.Collection)}), so a worker that
 * dies or loses its lease half-way leaves nothing behind; or returns a failed attempt to the queue.
 */
final class TaskWriter {
  private static final Logger LOG = LoggerFactory.getLogger(TaskWriter.class);

  private final TaskQueue queue;
  private final String algorithmVersion;
  private final HeimdallMetrics metrics;
  private final Timer dbWriteTimer;
  final LongAdder completed = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder retried = new LongAdder();
  final LongAdder measurementsStored = new LongAdder();

  TaskWriter(TaskQueue queue, String algorithmVersion, HeimdallMetrics metrics, Timer dbWrite) {
    this.queue = queue;
    this.algorithmVersion = algorithmVersion;
    this.metrics = metrics;
    this.dbWriteTimer = dbWrite;
  }

  /** Stores everything about one task and acknowledges it, all or nothing. */
  void complete(ClaimedTask claimed, Localization localization, long startNanos) {
    long t0 = System.nanoTime();
    Task task = claimed.task();
    List<SignalMeasurement> measurements = measurements(task, localization);
    Location location = localization.location();
    TaskResult result =
        TaskResult.builder(task.id(), location.latitude(), location.longitude())
            .uncertaintyM(location.latitudeUncertaintyM(), location.longitudeUncertaintyM())
            .confidence(localization.confidence())
            .algorithmVersion(algorithmVersion)
            .processingTimeMs((int) TimeUnit.NANOSECONDS.toMillis(t0 - startNanos))
            .stationsUsed(localization.readings().size())
            .measurementsUsed(measurements.size())
            .build();
    queue.complete(claimed, result, measurements);
    dbWriteTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    measurementsStored.add(measurements.size());
    completed.increment();
    metrics.recordTask(
        Duration.ofNanos(System.nanoTime() - startNanos), HeimdallMetrics.OUTCOME_COMPLETED);
  }

  /** Returns a failed attempt to the queue, or fails the task once its attempts are used up. */
  void fail(ClaimedTask claimed, RuntimeException cause, long startNanos) {
    metrics.recordTask(
        Duration.ofNanos(System.nanoTime() - startNanos), HeimdallMetrics.OUTCOME_FAILED);
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    try {
      TaskQueue.FailOutcome outcome = queue.fail(claimed, message);
      if (outcome == TaskQueue.FailOutcome.FAILED) {
        failed.increment();
        LOG.warn(
            "task {} failed after attempt {}: {}", claimed.task().id(), claimed.attempt(), message);
      } else {
        retried.increment();
        LOG.info(
            "task {} attempt {} failed, re-queued: {}",
            claimed.task().id(),
            claimed.attempt(),
            message);
      }
    } catch (RuntimeException e) {
      // the lease will expire and the queue will hand the task out again
      LOG.warn(
          "task {} failed ({}) and could not be returned to the queue: {}",
          claimed.task().id(),
          message,
          e.getMessage());
    }
  }

  private static List<SignalMeasurement> measurements(Task task, Localization localization) {
    List<SignalMeasurement> rows = new ArrayList<>(localization.readings().size());
    for (StationReading reading : localization.readings()) {
      rows.add(
          SignalMeasurement.builder(task.id(), reading.stationName(), reading.frequencyMhz())
              .signalStrengthDbm(reading.powerDbm())
              .snrDb(reading.snrDb())
              .signalQuality(reading.signalQuality())
              .build());
    }
    return rows;
  }
}
