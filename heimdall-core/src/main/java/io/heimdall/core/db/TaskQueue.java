package io.heimdall.core.db;

import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskStatus;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The durable task queue of DESIGN §7, kept in the {@code tasks} table so that many JVMs can share
 * it. A worker {@linkplain #claim claims} one task at a time ({@code FOR UPDATE SKIP LOCKED},
 * prefetch 1), which takes a lease; {@linkplain #complete completing} stores the result and marks
 * the task completed in one transaction (late acknowledgement); {@linkplain #fail failing}
 * re-queues it until {@link QueueOptions#maxAttempts()} claims were used, then marks it failed. A
 * task whose lease expired (its worker died) is re-queued by {@link #requeueExpired()}, which
 * {@link #claim} also runs at most twice per lease period.
 *
 * <p>Thread-safe; obtain from {@link HeimdallDatabase#queue(QueueOptions)}.
 */
public final class TaskQueue {
  private static final String CLAIM =
      "UPDATE tasks SET status = 'processing', started_at = now(), worker_id = :worker,"
          + " lease_expires_at = now() + make_interval(secs => :leaseSeconds), attempts = attempts"
          + " + 1 WHERE id = (SELECT id FROM tasks WHERE status = 'submitted'   ORDER BY (CASE"
          + " priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END), created_at   LIMIT 1"
          + " FOR UPDATE SKIP LOCKED) RETURNING *";

  /** The holder's own row: still processing, same worker, same claim. */
  private static final String HELD =
      " WHERE id = :id AND status = 'processing' AND worker_id = :worker"
          + " AND attempts = :attempt";

  private static final String RETRY_OR_FAIL =
      " status = CASE WHEN attempts >= :maxAttempts THEN 'failed'"
          + " ELSE 'submitted' END,"
          + " completed_at = CASE WHEN attempts >= :maxAttempts THEN now() ELSE NULL END,"
          + " worker_id = NULL, lease_expires_at = NULL";

  private static final RowMapper<ClaimedTask> CLAIMED =
      (rs, ctx) ->
          new ClaimedTask(
              Rows.TASK.map(rs, ctx),
              rs.getString("worker_id"),
              rs.getInt("attempts"),
              Rows.instant(rs, "lease_expires_at"));

  /** What {@link #fail} did with the task. */
  public enum FailOutcome {
    /** Back in the queue for another attempt. */
    REQUEUED,
    /** Out of attempts: status failed, with the error message. */
    FAILED
  }

  private final Jdbi jdbi;
  private final QueueOptions options;
  private final long reapIntervalNanos;
  private final AtomicLong nextReapNanos = new AtomicLong(System.nanoTime());

  TaskQueue(Jdbi jdbi, QueueOptions options) {
    this.jdbi = jdbi;
    this.options = Objects.requireNonNull(options, "options");
    this.reapIntervalNanos = options.lease().toNanos() / 2;
  }

  /**
   * @return this queue's settings
   */
  public QueueOptions options() {
    return options;
  }

  /**
   * Adds a task to the queue.
   *
   * @param task a task with status submitted
   * @throws IllegalArgumentException if its status is not submitted
   * @throws ConstraintViolationException if a task with the same id exists
   */
  public void enqueue(Task task) {
    enqueueAll(List.of(task));
  }

  /**
   * Adds tasks in one batch, all or none.
   *
   * @param tasks tasks with status submitted
   * @throws IllegalArgumentException if one is not submitted
   * @throws ConstraintViolationException if one of the ids exists
   */
  public void enqueueAll(Collection<Task> tasks) {
    for (Task t : tasks) {
      if (t.status() != TaskStatus.SUBMITTED) {
        throw new IllegalArgumentException(
            "only submitted tasks can be enqueued, task " + t.id() + " is " + t.status().dbValue());
      }
    }
    SqlErrors.call(
        () -> {
          jdbi.useTransaction(h -> h.attach(TaskDao.class).insertAll(tasks));
          return null;
        });
  }

  /**
   * Claims the oldest task of the highest priority, if any.
   *
   * @param workerId who claims it (e.g. host:pid:thread), non-blank
   * @return the claimed task, or empty when the queue is empty
   */
  public Optional<ClaimedTask> claim(String workerId) {
    if (workerId == null || workerId.isBlank()) {
      throw new IllegalArgumentException("workerId must be a non-blank string, got " + workerId);
    }
    long now = System.nanoTime();
    long due = nextReapNanos.get();
    if (now - due >= 0 && nextReapNanos.compareAndSet(due, now + reapIntervalNanos)) {
      requeueExpired();
    }
    return SqlErrors.call(
        () ->
            jdbi.withHandle(
                h ->
                    h.createQuery(CLAIM)
                        .bind("worker", workerId)
                        .bind("leaseSeconds", options.lease().toMillis() / 1000.0)
                        .map(CLAIMED)
                        .findOne()));
  }

  /**
   * Stores the result and marks the task completed, in one transaction: if either fails, neither
   * happens and the task stays claimed.
   *
   * @param claimed the claim
   * @param result the task's result
   * @throws LeaseLostException if the task is no longer held by this claim
   * @throws ConstraintViolationException if the result breaks a constraint (e.g. one exists)
   */
  public void complete(ClaimedTask claimed, TaskResult result) {
    complete(claimed, result, List.of());
  }

  /**
   * Stores the task's measurements (COPY) and its result and marks it completed, all in one
   * transaction: a retried task never leaves measurements of a failed attempt behind.
   *
   * @param claimed the claim
   * @param result the task's result
   * @param measurements the task's measurements
   * @throws LeaseLostException if the task is no longer held by this claim
   * @throws ConstraintViolationException if a row breaks a constraint; nothing was stored
   * @throws IllegalArgumentException if the result or a measurement belongs to another task
   */
  public void complete(
      ClaimedTask claimed, TaskResult result, Collection<SignalMeasurement> measurements) {
    UUID taskId = claimed.task().id();
    if (!result.taskId().equals(taskId)) {
      throw new IllegalArgumentException(
          "result is for task " + result.taskId() + ", but the claimed task is " + taskId);
    }
    for (SignalMeasurement m : measurements) {
      if (!m.taskId().equals(taskId)) {
        throw new IllegalArgumentException(
            "measurement is for task " + m.taskId() + ", but the claimed task is " + taskId);
      }
    }
    SqlErrors.call(
        () -> {
          jdbi.useTransaction(
              h -> {
                int updated =
                    h.createUpdate(
                            "UPDATE tasks SET status = 'completed', completed_at = now(),"
                                + " worker_id = NULL, lease_expires_at = NULL, error_message = NULL"
                                + HELD)
                        .bindMap(held(claimed))
                        .execute();
                if (updated == 0) {
                  throw leaseLost(claimed);
                }
                MeasurementIngest.ingest(h, measurements, null);
                h.createUpdate(ResultDao.INSERT).bindMethods(result).execute();
              });
          return null;
        });
  }

  /**
   * Records a failed attempt: the task returns to the queue, or is marked failed with the message
   * once it has used {@link QueueOptions#maxAttempts()} claims.
   *
   * @param claimed the claim
   * @param errorMessage why the attempt failed
   * @return whether the task was re-queued or failed for good
   * @throws LeaseLostException if the task is no longer held by this claim
   */
  public FailOutcome fail(ClaimedTask claimed, String errorMessage) {
    Optional<String> status =
        SqlErrors.call(
            () ->
                jdbi.withHandle(
                    h ->
                        h.createQuery(
                                "UPDATE tasks SET"
                                    + RETRY_OR_FAIL
                                    + ", error_message = :error"
                                    + HELD
                                    + " RETURNING status")
                            .bindMap(held(claimed))
                            .bind("maxAttempts", options.maxAttempts())
                            .bind("error", errorMessage)
                            .mapTo(String.class)
                            .findOne()));
    return status
        .map(s -> s.equals("failed") ? FailOutcome.FAILED : FailOutcome.REQUEUED)
        .orElseThrow(() -> leaseLost(claimed));
  }

  /**
   * Renews the lease for another {@link QueueOptions#lease()} (a heartbeat for long tasks).
   *
   * @param claimed the claim
   * @return the claim with its new expiry
   * @throws LeaseLostException if the task is no longer held by this claim
   */
  public ClaimedTask extendLease(ClaimedTask claimed) {
    return SqlErrors.call(
            () ->
                jdbi.withHandle(
                    h ->
                        h.createQuery(
                                "UPDATE tasks SET lease_expires_at = now() + make_interval(secs =>"
                                    + " :leaseSeconds)"
                                    + HELD
                                    + " RETURNING *")
                            .bindMap(held(claimed))
                            .bind("leaseSeconds", options.lease().toMillis() / 1000.0)
                            .map(CLAIMED)
                            .findOne()))
        .orElseThrow(() -> leaseLost(claimed));
  }

  /**
   * Returns tasks whose lease expired to the queue (or marks them failed when out of attempts),
   * recording why in {@code error_message}.
   *
   * @return how many tasks were affected
   */
  public int requeueExpired() {
    return SqlErrors.call(
        () ->
            jdbi.withHandle(
                h ->
                    h.createUpdate(
                            "UPDATE tasks SET"
                                + RETRY_OR_FAIL
                                + ", error_message = 'lease of worker ' || worker_id || ' expired"
                                + " at ' || lease_expires_at WHERE status = 'processing' AND"
                                + " lease_expires_at < now()")
                        .bind("maxAttempts", options.maxAttempts())
                        .execute()));
  }

  private static Map<String, Object> held(ClaimedTask claimed) {
    return Map.of(
        "id", claimed.task().id(), "worker", claimed.workerId(), "attempt", claimed.attempt());
  }

  private static LeaseLostException leaseLost(ClaimedTask claimed) {
    return new LeaseLostException(
        "task "
            + claimed.task().id()
            + " is no longer held by worker "
            + claimed.workerId()
            + " (attempt "
            + claimed.attempt()
            + "): its lease expired at "
            + claimed.leaseExpiresAt()
            + " and it was re-queued or claimed again");
  }
}
