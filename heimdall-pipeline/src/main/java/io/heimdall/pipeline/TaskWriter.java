package io.heimdall.pipeline;

import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.db.ClaimedTask;
import io.heimdall.core.db.LeaseLostException;
import io.heimdall.core.db.TaskQueue;
import io.heimdall.core.metrics.HeimdallMetrics;
import io.heimdall.locate.Covariance;
import io.heimdall.locate.LocationEstimate;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a finished task: its measurements, its result and the acknowledgement in one transaction
 * ({@link TaskQueue#complete(ClaimedTask, TaskResult, java.util.Collection)}), so a worker that
 * dies or loses its lease half-way leaves nothing behind; or returns a failed attempt to the queue.
 *
 * <p>Both writes ride out a database outage: they are retried with a backoff (100 ms doubling to 2
 * s) for up to the retry budget, so a task whose attempt failed during a short outage is back in
 * the queue seconds after the database returns, instead of staying {@code processing} until its
 * lease expires and the queue reaps it.
 */
final class TaskWriter {
  private static final Logger LOG = LoggerFactory.getLogger(TaskWriter.class);

  private final TaskQueue queue;
  /**
   * Error code of a measurement whose receiver heard nothing it could tell from noise: its
   * signal_strength_dbm is then the noise power in the band, an upper bound.
   */
  static final String NOT_DETECTED = "not_detected";

  private final String algorithmVersion;
  private final HeimdallMetrics metrics;
  private final Timer dbWriteTimer;
  private final Duration retryBudget;
  private volatile Consumer<TaskResult> onCompleted = result -> {};
  final LongAdder completed = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder retried = new LongAdder();
  final LongAdder measurementsStored = new LongAdder();

  TaskWriter(
      TaskQueue queue,
      String algorithmVersion,
      HeimdallMetrics metrics,
      Timer dbWrite,
      Duration retryBudget) {
    this.queue = queue;
    this.retryBudget = retryBudget;
    this.algorithmVersion = algorithmVersion;
    this.metrics = metrics;
    this.dbWriteTimer = dbWrite;
  }

  /** Stores everything about one task and acknowledges it, all or nothing. */
  void complete(ClaimedTask claimed, Localization localization, long startNanos) {
    long t0 = System.nanoTime();
    Task task = claimed.task();
    List<SignalMeasurement> measurements = measurements(task, localization);
    LocationEstimate estimate = localization.estimate();
    Covariance covariance = estimate.covariance();
    TaskResult.Builder result =
        TaskResult.builder(task.id(), estimate.latitude(), estimate.longitude())
            // 1 sigma along each axis: north/north for latitude, east/east for longitude
            .uncertaintyM(Math.sqrt(covariance.northNorth()), Math.sqrt(covariance.eastEast()))
            .covarianceM2(covariance.eastEast(), covariance.eastNorth(), covariance.northNorth())
            .algorithmVersion(algorithmVersion)
            .processingTimeMs((int) TimeUnit.NANOSECONDS.toMillis(t0 - startNanos))
            .stationsUsed(localization.readings().size())
            .measurementsUsed(measurements.size());
    if (estimate.calibrated()) {
      result.confidence(estimate.confidence()).regionLevel(estimate.region().level());
    }
    TaskResult stored = result.build();
    try {
      Outages.retryThroughOutage(
          () -> {
            queue.complete(claimed, stored, measurements);
            return null;
          },
          retryBudget);
    } catch (LeaseLostException e) {
      // after a retry this may also mean an earlier attempt committed before the connection broke
      LOG.warn("task {} not stored by this worker: {}", task.id(), e.getMessage());
      return;
    }
    dbWriteTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    measurementsStored.add(measurements.size());
    completed.increment();
    metrics.recordTask(
        Duration.ofNanos(System.nanoTime() - startNanos), HeimdallMetrics.OUTCOME_COMPLETED);
    try {
      onCompleted.accept(stored);
    } catch (RuntimeException e) {
      LOG.debug("after-completion hook failed for task {}: {}", task.id(), e.getMessage());
    }
  }

  /** What to do with each stored result (e.g. publish it to the shared cache); default nothing. */
  void onCompleted(Consumer<TaskResult> listener) {
    this.onCompleted = listener;
  }

  /** Returns a failed attempt to the queue, or fails the task once its attempts are used up. */
  void fail(ClaimedTask claimed, RuntimeException cause, long startNanos) {
    metrics.recordTask(
        Duration.ofNanos(System.nanoTime() - startNanos), HeimdallMetrics.OUTCOME_FAILED);
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    try {
      TaskQueue.FailOutcome outcome =
          Outages.retryThroughOutage(() -> queue.fail(claimed, message), retryBudget);
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
          "task {} failed ({}) and could not be returned to the queue within {}: {}",
          claimed.task().id(),
          message,
          retryBudget,
          e.getMessage());
    }
  }

  private static List<SignalMeasurement> measurements(Task task, Localization localization) {
    List<SignalMeasurement> rows = new ArrayList<>(localization.readings().size());
    for (StationReading reading : localization.readings()) {
      rows.add(
          SignalMeasurement.builder(task.id(), reading.station().id(), reading.frequencyMhz())
              .signalStrengthDbm(reading.powerDbm())
              .snrDb(reading.snrDb())
              .signalQuality(reading.signalQuality())
              .measurementErrorCode(reading.detected() ? null : NOT_DETECTED)
              .build());
    }
    return rows;
  }
}
