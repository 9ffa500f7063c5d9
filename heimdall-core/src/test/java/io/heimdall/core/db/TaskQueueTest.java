package io.heimdall.core.db;

import io.heimdall.InvalidInputException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heimdall.core.Priority;
import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each test gets its own database: a claim takes any queued task. */
class TaskQueueTest {
  private HeimdallDatabase db;

  @BeforeEach
  void open() {
    db =
        HeimdallDatabase.open(
            DatabasePool.builder()
                .jdbcUrl(TestPostgres.newDatabaseUrl())
                .maximumPoolSize(8)
                .minimumIdle(0)
                .build());
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void concurrentClaimersNeverShareATask() throws Exception {
    TaskQueue queue = db.queue();
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      tasks.add(Task.builder().name("job" + i).build());
    }
    queue.enqueueAll(tasks);

    int workers = 6;
    ConcurrentLinkedQueue<UUID> claimed = new ConcurrentLinkedQueue<>();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r);
              t.setDaemon(true);
              return t;
            });
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> done = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      String worker = "worker-" + w;
      done.add(
          pool.submit(
              () -> {
                start.await();
                int mine = 0;
                for (Optional<ClaimedTask> c = queue.claim(worker);
                    c.isPresent();
                    c = queue.claim(worker)) {
                  claimed.add(c.get().task().id());
                  assertThat(c.get().workerId()).isEqualTo(worker);
                  queue.complete(c.get(), TaskResult.builder(c.get().task().id(), 45, 7).build());
                  mine++;
                }
                return mine;
              }));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> f : done) {
      total += f.get();
    }
    pool.shutdownNow();

    assertThat(total).isEqualTo(300);
    assertThat(claimed)
        .hasSize(300)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(tasks.stream().map(Task::id).toList());
    assertThat(db.tasks().countByStatus(TaskStatus.COMPLETED)).isEqualTo(300);
    assertThat(db.queries().results(QueryFilter.NONE, PageRequest.first(1000)).items())
        .hasSize(300);
    assertThat(done).allSatisfy(f -> assertThat(f.get()).isPositive());
  }

  @Test
  void highPriorityFirstThenOldestFirst() {
    TaskQueue queue = db.queue();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    Task low = Task.builder().priority(Priority.LOW).createdAt(t0).build();
    Task normalOld = Task.builder().createdAt(t0.plusSeconds(1)).build();
    Task normalNew = Task.builder().createdAt(t0.plusSeconds(2)).build();
    Task high = Task.builder().priority(Priority.HIGH).createdAt(t0.plusSeconds(3)).build();
    queue.enqueueAll(List.of(low, normalNew, normalOld, high));
    List<UUID> order = new ArrayList<>();
    for (Optional<ClaimedTask> c = queue.claim("w"); c.isPresent(); c = queue.claim("w")) {
      order.add(c.get().task().id());
      assertThat(c.get().attempt()).isEqualTo(1);
      assertThat(c.get().task().status()).isEqualTo(TaskStatus.PROCESSING);
    }
    assertThat(order).containsExactly(high.id(), normalOld.id(), normalNew.id(), low.id());
  }

  @Test
  void completionIsAtomicWithTheResult() {
    TaskQueue queue = db.queue();
    Task task = Task.builder().build();
    queue.enqueue(task);
    ClaimedTask claim = queue.claim("w").orElseThrow();
    // A result already exists: the second insert fails, so the task must stay claimed.
    db.results().insert(TaskResult.builder(task.id(), 10, 10).build());
    assertThatThrownBy(() -> queue.complete(claim, TaskResult.builder(task.id(), 45, 7).build()))
        .isInstanceOf(ConstraintViolationException.class);
    Task after = db.tasks().findById(task.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(TaskStatus.PROCESSING);
    assertThat(after.completedAt()).isNull();
    assertThat(db.results().findByTask(task.id()).orElseThrow().latitude()).isEqualTo(10.0);

    assertThatThrownBy(
            () -> queue.complete(claim, TaskResult.builder(UUID.randomUUID(), 1, 1).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("but the claimed task is");
  }

  @Test
  void measurementsResultAndCompletionAreOneTransaction() {
    TaskQueue queue = db.queue();
    Task task = Task.builder().build();
    queue.enqueue(task);
    ClaimedTask claim = queue.claim("w").orElseThrow();
    List<SignalMeasurement> measurements =
        List.of(
            SignalMeasurement.builder(task.id(), "Torino", 145.5).snrDb(10.0).build(),
            SignalMeasurement.builder(task.id(), "Genova", 145.5).snrDb(4.0).build());
    TaskResult stale = TaskResult.builder(task.id(), 10, 10).build();
    db.results().insert(stale); // makes the result insert fail after the measurements went in
    assertThatThrownBy(
            () -> queue.complete(claim, TaskResult.builder(task.id(), 45, 7).build(), measurements))
        .isInstanceOf(ConstraintViolationException.class);
    assertThat(db.measurements().countByTask(task.id())).isZero();
    assertThat(db.tasks().findById(task.id()).orElseThrow().status())
        .isEqualTo(TaskStatus.PROCESSING);

    db.results().delete(stale.id());
    queue.complete(claim, TaskResult.builder(task.id(), 45, 7).build(), measurements);
    assertThat(db.measurements().findByTask(task.id()))
        .extracting(SignalMeasurement::stationName)
        .containsExactly("Torino", "Genova");
    assertThat(db.tasks().findById(task.id()).orElseThrow().status())
        .isEqualTo(TaskStatus.COMPLETED);

    SignalMeasurement foreign =
        SignalMeasurement.builder(UUID.randomUUID(), "Torino", 145.5).build();
    assertThatThrownBy(
            () ->
                queue.complete(
                    claim, TaskResult.builder(task.id(), 1, 1).build(), List.of(foreign)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("measurement is for task");
  }

  @Test
  void failedAttemptsAreRetriedUntilTheLimitThenFailed() {
    TaskQueue queue = db.queue(new QueueOptions(Duration.ofMinutes(1), 2));
    Task task = Task.builder().build();
    queue.enqueue(task);

    ClaimedTask first = queue.claim("w1").orElseThrow();
    assertThat(queue.fail(first, "receiver timeout")).isEqualTo(TaskQueue.FailOutcome.REQUEUED);
    Task requeued = db.tasks().findById(task.id()).orElseThrow();
    assertThat(requeued.status()).isEqualTo(TaskStatus.SUBMITTED);
    assertThat(requeued.errorMessage()).isEqualTo("receiver timeout");

    ClaimedTask second = queue.claim("w2").orElseThrow();
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(queue.fail(second, "model crashed")).isEqualTo(TaskQueue.FailOutcome.FAILED);
    Task failed = db.tasks().findById(task.id()).orElseThrow();
    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.errorMessage()).isEqualTo("model crashed");
    assertThat(failed.completedAt()).isNotNull();
    assertThat(queue.claim("w3")).isEmpty();
    assertThatThrownBy(() -> queue.fail(second, "again")).isInstanceOf(LeaseLostException.class);
  }

  @Test
  void aDeadWorkersTaskReturnsAfterItsLeaseAndItsLateAckIsRefused() throws Exception {
    TaskQueue queue = db.queue(new QueueOptions(Duration.ofSeconds(1), 3));
    Task task = Task.builder().build();
    queue.enqueue(task);
    ClaimedTask dead = queue.claim("dead-worker").orElseThrow();
    assertThat(dead.leaseExpiresAt()).isAfter(Instant.now().minusSeconds(5));
    assertThat(queue.requeueExpired()).isZero();
    assertThat(queue.claim("other")).isEmpty();

    Thread.sleep(1_100); // the lease runs out; the next claim reaps it (at most every lease/2)
    ClaimedTask rescued = queue.claim("rescuer").orElseThrow();
    assertThat(rescued.task().id()).isEqualTo(task.id());
    assertThat(rescued.attempt()).isEqualTo(2);
    assertThat(rescued.task().errorMessage()).startsWith("lease of worker dead-worker expired at ");

    assertThatThrownBy(
            () ->
                queue.complete(
                    dead,
                    TaskResult.builder(task.id(), 1, 1).build(),
                    List.of(SignalMeasurement.builder(task.id(), "Torino", 145.5).build())))
        .isInstanceOf(LeaseLostException.class)
        .isInstanceOf(PersistenceException.class)
        .hasMessageContaining("is no longer held by worker dead-worker (attempt 1)");
    assertThat(db.results().findByTask(task.id())).isEmpty();
    assertThat(db.measurements().countByTask(task.id())).isZero();
    assertThatThrownBy(() -> queue.release(dead)).isInstanceOf(LeaseLostException.class);
    queue.complete(rescued, TaskResult.builder(task.id(), 45, 7).build());
    assertThat(db.tasks().findById(task.id()).orElseThrow().status())
        .isEqualTo(TaskStatus.COMPLETED);
    assertThat(db.results().findByTask(task.id()).orElseThrow().latitude()).isEqualTo(45.0);
  }

  @Test
  void anExpiredLeaseOnTheLastAttemptFailsTheTask() {
    TaskQueue queue = db.queue(new QueueOptions(Duration.ofMinutes(5), 1));
    Task task = Task.builder().build();
    queue.enqueue(task);
    ClaimedTask claim = queue.claim("w").orElseThrow();
    expireLeases();
    assertThat(queue.requeueExpired()).isEqualTo(1);
    Task failed = db.tasks().findById(task.id()).orElseThrow();
    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed.errorMessage()).startsWith("lease of worker w expired");
    assertThatThrownBy(() -> queue.extendLease(claim)).isInstanceOf(LeaseLostException.class);
  }

  @Test
  void extendingTheLeaseKeepsTheTask() {
    TaskQueue queue = db.queue(new QueueOptions(Duration.ofSeconds(30), 3));
    queue.enqueue(Task.builder().build());
    ClaimedTask claim = queue.claim("w").orElseThrow();
    ClaimedTask extended = queue.extendLease(claim);
    assertThat(extended.leaseExpiresAt()).isAfterOrEqualTo(claim.leaseExpiresAt());
    assertThat(extended.attempt()).isEqualTo(1);
    assertThat(queue.requeueExpired()).isZero();
  }

  @Test
  void onlySubmittedTasksCanBeEnqueued() {
    Task done = Task.builder().build();
    Task completed =
        new Task(
            done.id(),
            null,
            TaskStatus.COMPLETED,
            List.of(),
            null,
            null,
            null,
            Priority.NORMAL,
            done.createdAt(),
            null,
            null,
            null);
    assertThatThrownBy(() -> db.queue().enqueue(completed))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("only submitted tasks can be enqueued");
    assertThatThrownBy(() -> db.queue().claim(" ")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new QueueOptions(Duration.ZERO, 3))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new QueueOptions(Duration.ofMinutes(1), 0))
        .hasMessage("maxAttempts must be in 1..100, got 0");
  }

  @Test
  void aReleasedTaskIsBackInTheQueueAtOnceWithoutUsingAnAttempt() {
    TaskQueue queue = db.queue(new QueueOptions(Duration.ofMinutes(5), 1));
    Task task = Task.builder().build();
    queue.enqueue(task);
    ClaimedTask draining = queue.claim("draining").orElseThrow();
    queue.release(draining);
    Task back = db.tasks().findById(task.id()).orElseThrow();
    assertThat(back.status()).isEqualTo(TaskStatus.SUBMITTED);
    assertThat(back.startedAt()).isNull();
    assertThat(back.errorMessage()).isNull();

    // maxAttempts is 1: had the release counted, this claim would be refused or its failure final.
    ClaimedTask next = queue.claim("next").orElseThrow();
    assertThat(next.task().id()).isEqualTo(task.id());
    assertThat(next.attempt()).isEqualTo(1);
    assertThatThrownBy(() -> queue.release(draining)).isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(
            () -> queue.complete(draining, TaskResult.builder(task.id(), 1, 1).build()))
        .isInstanceOf(LeaseLostException.class);
    queue.complete(next, TaskResult.builder(task.id(), 45, 7).build());
    assertThat(db.tasks().findById(task.id()).orElseThrow().status())
        .isEqualTo(TaskStatus.COMPLETED);
  }

  @Test
  void statusCountsEveryStatusAndAgesTheOldestClaim() throws Exception {
    TaskQueue queue = db.queue();
    QueueStatus empty = queue.status();
    assertThat(empty.counts()).containsOnlyKeys(TaskStatus.values()).allSatisfy((s, n) -> assertThat(n).isZero());
    assertThat(empty.oldestClaimAge()).isEmpty();

    for (int i = 0; i < 5; i++) {
      queue.enqueue(Task.builder().build());
    }
    ClaimedTask oldest = queue.claim("a").orElseThrow();
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate("UPDATE tasks SET started_at = now() - interval '90 seconds' WHERE id = :id")
                    .bind("id", oldest.task().id())
                    .execute());
    queue.claim("b").orElseThrow();
    ClaimedTask done = queue.claim("c").orElseThrow();
    queue.complete(done, TaskResult.builder(done.task().id(), 1, 1).build());

    QueueStatus status = queue.status();
    assertThat(status.count(TaskStatus.SUBMITTED)).isEqualTo(2);
    assertThat(status.count(TaskStatus.PROCESSING)).isEqualTo(2);
    assertThat(status.count(TaskStatus.COMPLETED)).isEqualTo(1);
    assertThat(status.count(TaskStatus.FAILED)).isZero();
    assertThat(status.oldestClaimAge())
        .hasValueSatisfying(
            age -> assertThat(age).isBetween(Duration.ofSeconds(90), Duration.ofSeconds(120)));
    for (TaskStatus s : TaskStatus.values()) {
      assertThat(status.count(s)).as(s.dbValue()).isEqualTo(db.tasks().countByStatus(s));
    }
  }

  private void expireLeases() {
    db.jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE tasks SET lease_expires_at = now() - interval '1 second' WHERE status ="
                        + " 'processing'"));
  }
}
