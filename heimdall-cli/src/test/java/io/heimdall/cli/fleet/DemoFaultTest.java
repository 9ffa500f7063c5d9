package io.heimdall.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.heimdall.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code heimdall demo} as a process among others: two demos on one database, a rerun after a
 * crash, a database that never comes back, a password in the URL, and a SIGKILL of a demo that runs
 * its own embedded PostgreSQL.
 */
class DemoFaultTest {
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  @Test
  void twoDemosOnOneDatabaseEachWaitForTheirOwnTasks() throws Exception {
    try (Fleet fleet = Fleet.on(postgres, "demo_two")) {
      Fleet.Child a =
          fleet.start("demo", "--db-url", fleet.url, "--signals", "30", "--redis", "none");
      Fleet.Child b =
          fleet.start("demo", "--db-url", fleet.url, "--signals", "40", "--redis", "none");
      for (Fleet.Child demo : List.of(a, b)) {
        assertThat(demo.process.waitFor(120, TimeUnit.SECONDS)).as(demo.log()).isTrue();
        assertThat(demo.process.exitValue()).as(demo.log()).isZero();
      }
      assertThat(lastLine(a)).contains("\"signals\":30,\"tasks\":30,").contains("\"results\":30,");
      assertThat(lastLine(b)).contains("\"signals\":40,\"tasks\":40,").contains("\"results\":40,");
      fleet.assertCompletedExactlyOnce(70, 7);
    }
  }

  @Test
  void rerunAfterACrashReportsItsOwnTasks() throws Exception {
    try (Fleet fleet = Fleet.on(postgres, "demo_rerun")) {
      // what a crashed run leaves: 54 tasks never processed, two of them still claimed
      fleet.submit(54, 0);
      try (var c = java.sql.DriverManager.getConnection(fleet.url);
          var s = c.createStatement()) {
        s.executeUpdate(
            "UPDATE tasks SET status = 'processing', worker_id = '1@crashed:worker-0.0', attempts ="
                + " 1, started_at = now(), lease_expires_at = now() - interval '1 second' WHERE id"
                + " IN (SELECT id FROM tasks LIMIT 2)");
      }
      String out = Fleet.cli("demo", "--db-url", fleet.url, "--signals", "50", "--redis", "none");
      String json = out.strip().lines().reduce((x, y) -> y).orElseThrow();
      assertThat(json).contains("\"signals\":50,\"tasks\":50,\"measurements\":350,\"results\":50,");
      assertThat(fleet.count("SELECT count(*) FROM task_results")).isGreaterThanOrEqualTo(50);
    }
  }

  @Test
  void passwordInTheUrlIsNeverPrinted() throws Exception {
    try (Fleet fleet = Fleet.on(postgres, "demo_password")) {
      String url = fleet.url + "&password=s3cret-pw";
      Fleet.Child demo = fleet.start("demo", "--db-url", url, "--signals", "3", "--redis", "none");
      assertThat(demo.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(demo.process.exitValue()).as(demo.log()).isZero();
      assertThat(demo.log()).doesNotContain("s3cret-pw").contains("password=***");
    }
  }

  @Test
  void databaseThatNeverComesBackFailsWithinTheGiveUpTimeWithOneLine() throws Exception {
    EmbeddedPostgres doomed = EmbeddedPostgres.start();
    String url = doomed.createDatabase("demo_doomed");
    Fleet.Child demo =
        Fleet.startChild(
            "demo", "--db-url", url, "--signals", "5000", "--redis", "none", "--give-up", "5s");
    try {
      demo.awaitLog("localised", Duration.ofSeconds(90));
      doomed.close();
      long stoppedAt = System.nanoTime();
      assertThat(demo.process.waitFor(60, TimeUnit.SECONDS))
          .as("demo gave up within 60 s; log:%n%s", demo.log())
          .isTrue();
      double seconds = (System.nanoTime() - stoppedAt) / 1e9;
      System.out.printf("database gone: the demo exited %.1f s later%n", seconds);
      assertThat(demo.process.exitValue()).as(demo.log()).isEqualTo(1);
      String last = lastLine(demo);
      assertThat(last).startsWith("heimdall demo: ").contains("unreachable");
      long warnings = demo.log().lines().filter(l -> l.contains(" WARN ")).count();
      assertThat(warnings).as("WARN lines; log:%n%s", demo.log()).isLessThan(30);
    } finally {
      demo.process.destroyForcibly();
      doomed.close();
    }
  }

  @Test
  void sigkilledDemoLeavesNoEmbeddedPostgresBehind() throws Exception {
    Set<String> before = postmasterDataDirs();
    Fleet.Child demo = Fleet.startChild("demo", "--signals", "5000", "--redis", "none");
    try {
      demo.awaitLog("database ready", Duration.ofSeconds(90));
      Set<String> ours = postmasterDataDirs();
      ours.removeAll(before);
      assertThat(ours).as("the demo's postmaster").hasSize(1);
      String dataDir = ours.iterator().next();

      demo.process.destroyForcibly(); // SIGKILL: no shutdown hook runs
      demo.process.waitFor(10, TimeUnit.SECONDS);
      long killedAt = System.nanoTime();
      Fleet.await(
          "no postgres of " + dataDir,
          Duration.ofSeconds(15),
          () -> postgresOf(dataDir).isEmpty() && !Files.exists(Path.of(dataDir)));
      System.out.printf(
          "demo SIGKILLed: its PostgreSQL gone %.1f s later%n",
          (System.nanoTime() - killedAt) / 1e9);
    } finally {
      demo.process.destroyForcibly();
    }
  }

  /** Data directories of the running postmasters ({@code postgres -D DIR ...}). */
  private static Set<String> postmasterDataDirs() {
    return ProcessHandle.allProcesses()
        .map(p -> p.info().arguments())
        .flatMap(Optional::stream)
        .map(List::of)
        .filter(args -> args.indexOf("-D") >= 0 && args.indexOf("-D") + 1 < args.size())
        .map(args -> args.get(args.indexOf("-D") + 1))
        .filter(dir -> dir.contains("epg"))
        .collect(Collectors.toCollection(HashSet::new));
  }

  private static List<ProcessHandle> postgresOf(String dataDir) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(dataDir)).orElse(false))
        .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
        .toList();
  }

  private static String lastLine(Fleet.Child child) {
    return child.log().strip().lines().reduce((x, y) -> y).orElse("");
  }
}
