package io.heimdall.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.heimdall.embedded.EmbeddedPostgres;
import io.heimdall.pipeline.simulation.ReferenceStations;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL crash under load: {@code pg_ctl stop -m immediate} while two workers write, the
 * server back on the same port 5 s later. The workers must reconnect on their own, no task may stay
 * {@code processing} long past its lease, and every task must complete exactly once.
 */
class PostgresRestartTest {
  private static final Duration LEASE = Duration.ofSeconds(3);

  @Test
  void workersRideOutAnImmediateStopAndRestartWithoutLosingOrDuplicatingTasks() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
        Fleet fleet = Fleet.on(postgres, "fleet_restart")) {
      PgControl pg = PgControl.of(postgres.jdbcUrl());
      int n = 60;
      fleet.submit(n, 0);
      List<Fleet.Child> workers =
          List.of(
              fleet.worker("--workers", "2", "--lease", "3s", "--give-up", "60s"),
              fleet.worker("--workers", "2", "--lease", "3s", "--give-up", "60s"));
      Fleet.await("load", Duration.ofSeconds(60), () -> fleet.status("completed") >= 8);

      pg.stopImmediately();
      long stoppedAt = System.nanoTime();
      Thread.sleep(5_000);
      pg.start();
      long restartedAt = System.nanoTime();
      long completedAtRestart = fleet.status("completed");

      // Until the end, no task may be held long past its lease: 1 lease + reaping (half a lease).
      // Nothing can be reaped while the server is down, so the check starts once the workers
      // have had that long, plus their longest reconnect back-off (2 s), after the restart.
      long checkFrom = restartedAt + LEASE.toNanos() * 3 / 2 + Duration.ofSeconds(2).toNanos();
      String overdue =
          "SELECT count(*) FROM tasks WHERE status = 'processing' AND lease_expires_at < now() -"
              + " interval '"
              + (LEASE.toMillis() * 3 / 2)
              + " milliseconds'";
      long[] firstProgress = {0};
      Fleet.await(
          "every task completed after the restart",
          Duration.ofSeconds(90),
          () -> {
            if (System.nanoTime() > checkFrom) {
              assertThat(fleet.count(overdue)).as("tasks processing past their lease").isZero();
            }
            long done = fleet.status("completed");
            if (firstProgress[0] == 0 && done > completedAtRestart) {
              firstProgress[0] = System.nanoTime();
            }
            return done == n;
          });
      long allDone = System.nanoTime();
      System.out.printf(
          "PostgreSQL immediate stop %.1f s: first completion %.1f s after the restart, all %d"
              + " done %.1f s after it%n",
          (restartedAt - stoppedAt) / 1e9,
          (firstProgress[0] - restartedAt) / 1e9,
          n,
          (allDone - restartedAt) / 1e9);
      assertThat((firstProgress[0] - restartedAt) / 1e9)
          .as("seconds from the restart to the first completion")
          .isLessThan(15);
      fleet.assertCompletedExactlyOnce(n, ReferenceStations.ALL.size());
      for (Fleet.Child w : workers) {
        assertThat(w.process.isAlive()).as("worker survived the outage: %s", w.log()).isTrue();
        assertThat(w.terminate(Duration.ofSeconds(30))).as(w.log()).isZero();
      }
    }
  }
}
