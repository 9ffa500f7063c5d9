package io.heimdall.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A worker in another JVM is killed with SIGKILL between its writes of one finished task: its
 * claim is updated and all its measurements have reached the server through COPY, but its result
 * is not inserted and nothing has committed. Nothing of that task may be left behind, and the task
 * must be claimable again once the lease runs out.
 */
class KilledWorkerTest extends FreshDatabaseTest {
  private static final int MEASUREMENTS = 20_000;

  @Test
  void aWorkerKilledBetweenItsWritesLeavesNoMeasurementsAndItsTaskReturns() throws Exception {
    Task task = Task.builder().name("doomed").build();
    db.queue().enqueue(task);
    String url = db.pool().jdbcUrl();

    try (ChildJvm child = ChildJvm.start("complete-and-hang", url, String.valueOf(MEASUREMENTS))) {
      assertThat(child.await("CLAIMED ", Duration.ofSeconds(60)))
          .isEqualTo("CLAIMED " + task.id());
      assertThat(child.await("WRITTEN ", Duration.ofSeconds(60)))
          .isEqualTo("WRITTEN " + MEASUREMENTS);
      // The child's transaction is open with the task row updated and the COPY in flight: the
      // server has received rows, none of them visible to anyone else.
      assertThat(copyTuplesReceived()).isPositive();
      assertThat(rowsOf(task.id())).containsEntry("measurements", 0L);
      child.kill();
    }
    awaitBackendGone("doomed");

    assertThat(rowsOf(task.id())).containsEntry("measurements", 0L).containsEntry("results", 0L);
    assertThat(count("SELECT count(*) FROM signal_measurements")).isZero();
    Task held = db.tasks().findById(task.id()).orElseThrow();
    assertThat(held.status()).isEqualTo(TaskStatus.PROCESSING);
    assertThat(held.completedAt()).isNull();

    // After the 2 s lease the task returns to the queue and another worker finishes it.
    TaskQueue queue = db.queue(new QueueOptions(Duration.ofSeconds(2), 3));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (queue.requeueExpired() == 0) {
      assertThat(System.nanoTime()).as("lease of the killed worker expires").isLessThan(deadline);
      Thread.sleep(100);
    }
    ClaimedTask rescued = queue.claim("rescuer").orElseThrow();
    assertThat(rescued.task().id()).isEqualTo(task.id());
    assertThat(rescued.attempt()).isEqualTo(2);
    assertThat(rescued.task().errorMessage()).startsWith("lease of worker doomed-worker expired");
    queue.complete(
        rescued,
        TaskResult.builder(task.id(), 45, 7).build(),
        List.of(
            SignalMeasurement.builder(task.id(), "Torino", 145.5).build(),
            SignalMeasurement.builder(task.id(), "Genova", 145.5).build()));
    assertThat(rowsOf(task.id()))
        .containsEntry("measurements", 2L)
        .containsEntry("results", 1L);
    assertThat(db.tasks().findById(task.id()).orElseThrow().status())
        .isEqualTo(TaskStatus.COMPLETED);
  }

  /** Rows the server has received from the running COPY (PostgreSQL 14 and later). */
  private static long copyTuplesReceived() {
    return count(
        "SELECT coalesce(sum(tuples_processed), 0) FROM pg_stat_progress_copy p"
            + " JOIN pg_stat_activity a ON a.pid = p.pid WHERE a.application_name = 'doomed'");
  }

  private static Map<String, Long> rowsOf(UUID taskId) {
    return Map.of(
        "measurements",
        count("SELECT count(*) FROM signal_measurements WHERE task_id = '" + taskId + "'"),
        "results",
        count("SELECT count(*) FROM task_results WHERE task_id = '" + taskId + "'"));
  }

  /** The server notices the dead client's closed socket and rolls its transaction back. */
  private static void awaitBackendGone(String applicationName) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (count(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                + applicationName
                + "'")
        > 0) {
      assertThat(System.nanoTime()).as("killed worker's connections close").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static long count(String sql) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
}
