package io.heimdall.core.db;

import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskStatus;
import io.heimdall.core.internal.Checks;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The durable task queue, kept in the {@code tasks} table so that many JVMs can share it. A worker {@linkplain #claim claims} one task at a time ({@code FOR UPDATE SKIP LOCKED},
 * prefetch 1), which takes a lease; {@linkplain #complete completing} stores the result and marks
 * the task completed in one transaction (late acknowledgement); {@linkplain #fail failing}
 * re-queues it until {@link QueueOptions#maxAttempts()} claims were used, then marks it failed. A
 * task whose lease expired (its worker died) is re-queued by {@link #requeueExpired()}, which
 * {@link #claim} also runs at most twice per lease period. A worker that stops before finishing
 * (a graceful drain) hands its task back at once with {@link #release}; {@link #status()} counts
 * the tasks by status for monitoring.
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
    this.options = Checks.required("options", options);
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
   * @throws io.heimdall.InvalidInputException if its status is not submitted
   * @throws ConstraintViolationException if a task with the same id exists
   */
  public void enqueue(Task task) {
    enqueueAll(List.of(task));
  }

  /**
   * Adds tasks in one batch, all or none.
   *
   * @param tasks tasks with status submitted
   * @throws io.heimdall.InvalidInputException if one is not submitted
   * @throws ConstraintViolationException if one of the ids exists
   */
  public void enqueueAll(Collection<Task> tasks) {
    for (Task t : tasks) {
      Checks.argument(
          t.status() == TaskStatus.SUBMITTED,
          "only submitted tasks can be enqueued, task %s is %s",
          t.id(),
          t.status().dbValue());
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
   * @throws io.heimdall.InvalidInputException if the worker id is blank
   */
  public Optional<ClaimedTask> claim(String workerId) {
    Checks.requiredText("workerId", workerId);
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
   * transaction: a retried task never leaves measurements of a failed attempt behind, and a worker
   * that dies half-way leaves nothing. The claim is checked first, inside the transaction and
   * under the task's row lock: once the task was re-queued or claimed by another worker, nothing
   * is written. A claim whose lease ran out but that nobody has re-queued yet still completes.
   *
   * @param claimed the claim
   * @param result the task's result
   * @param measurements the task's measurements
   * @throws LeaseLostException if the task is no longer held by this claim
   * @throws ConstraintViolationException if a row breaks a constraint; nothing was stored
   * @throws io.heimdall.InvalidInputException if the result or a measurement belongs to another
   *     task
   */
  public void complete(
      ClaimedTask claimed, TaskResult result, Collection<SignalMeasurement> measurements) {
    UUID taskId = claimed.task().id();
    Checks.argument(
        result.taskId().equals(taskId),
        "result is for task %s, but the claimed task is %s",
        result.taskId(),
        taskId);
    for (SignalMeasurement m : measurements) {
      if (!m.taskId().equals(taskId)) {
        throw Checks.invalid(
            "measurement is for task %s, but the claimed task is %s", m.taskId(), taskId);
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
   * Hands a claimed task back to the queue at once, as if it had never been claimed: the attempt
   * is not counted and no error is recorded. For a worker that stops before finishing (a graceful
   * drain), so that the task need not wait for the lease to run out.
   *
   * @param claimed the claim
   * @throws LeaseLostException if the task is no longer held by this claim
   */
  public void release(ClaimedTask claimed) {
    int updated =
        SqlErrors.call(
            () ->
                jdbi.withHandle(
                    h ->
                        h.createUpdate(
                                "UPDATE tasks SET status = 'submitted', attempts = attempts - 1,"
                                    + " started_at = NULL, worker_id = NULL,"
                                    + " lease_expires_at = NULL"
                                    + HELD)
                            .bindMap(held(claimed))
                            .execute()));
    if (updated == 0) {
      throw leaseLost(claimed);
    }
  }

  /**
   * Counts the tasks by status and measures the age of the oldest claim, in one consistent read,
   * for a status command or a health check. Reads every task's status (an index-only scan of
   * {@code idx_tasks_status} where the visibility map allows).
   *
   * @return the counts (every status present, zero included) and the oldest claim's age
   */
  public QueueStatus status() {
    return SqlErrors.call(
        () ->
            jdbi.withHandle(
                h -> {
                  Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
                  for (TaskStatus s : TaskStatus.values()) {
                    counts.put(s, 0L);
                  }
                  Duration[] oldest = {null};
                  h.createQuery(
                          "SELECT status, count(*) AS n,"
                              + " CAST(EXTRACT(EPOCH FROM now() - min(started_at))"
                              + " * 1000000 AS bigint) AS oldest_us"
                              + " FROM tasks GROUP BY status")
                      .map(
                          (rs, ctx) -> {
                            TaskStatus s = TaskStatus.fromDb(rs.getString("status"));
                            counts.put(s, rs.getLong("n"));
                            long micros = rs.getLong("oldest_us");
                            if (s == TaskStatus.PROCESSING && !rs.wasNull()) {
                              oldest[0] = Duration.ofNanos(Math.max(0, micros) * 1000);
                            }
                            return s;
                          })
                      .list();
                  return new QueueStatus(counts, Optional.ofNullable(oldest[0]));
                }));
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
