package io.heimdall.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.heimdall.dsp.ComplexSignal;
import io.heimdall.dsp.sigmf.GeoPoint;
import io.heimdall.dsp.sigmf.SigMf;
import io.heimdall.dsp.sigmf.SigMfDatatype;
import io.heimdall.dsp.sigmf.SigMfMetadata;
import io.heimdall.embedded.EmbeddedPostgres;
import io.heimdall.embedded.EmbeddedRedis;
import io.heimdall.pipeline.simulation.ReferenceStations;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker processes under faults, each against its own database on one embedded PostgreSQL: a
 * SIGKILL mid-task, a poison task, processes racing to migrate an empty database, SIGTERM drains,
 * and a Redis paused with SIGSTOP. Every test ends by counting rows with SQL.
 */
class WorkerFaultTest {
  private static final int RECEIVERS = ReferenceStations.ALL.size();
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
  void killedWorkersTaskIsTakenOverAndCompletesExactlyOnce() throws Exception {
    try (Fleet fleet = Fleet.on(postgres, "fleet_kill")) {
      fleet.submit(24, 0);
      Fleet.Child victim = fleet.worker("--workers", "2", "--lease", "2s");
      String held =
          "SELECT count(*) FROM tasks WHERE status = 'processing' AND worker_id LIKE '"
              + victim.pid()
              + "@%'";
      Fleet.await("the victim to hold a task", Duration.ofSeconds(60), () -> fleet.count(held) > 0);
      victim.kill();
      long killedAt = System.nanoTime();
      long orphaned = fleet.count(held);
      assertThat(orphaned).as("tasks held by the killed worker").isPositive();

      Fleet.Child survivor = fleet.worker("--workers", "2", "--lease", "2s");
      Fleet.await(
          "every task completed", Duration.ofSeconds(90), () -> fleet.status("completed") == 24);
      System.out.printf(
          "SIGKILL: %d task(s) orphaned, all 24 completed %.1f s after the kill%n",
          orphaned, (System.nanoTime() - killedAt) / 1e9);
      fleet.assertCompletedExactlyOnce(24, RECEIVERS);
      // completing clears the lease-expiry message; the second claim shows in the attempts
      assertThat(fleet.count("SELECT count(*) FROM tasks WHERE attempts >= 2"))
          .as("tasks claimed again after the killed worker's lease expired")
          .isEqualTo(orphaned);
      assertThat(survivor.terminate(Duration.ofSeconds(30))).as(survivor.log()).isZero();
    }
  }

  @Test
  void poisonTaskFailsWithItsMessageAfterItsAttemptsAndTheQueueMovesOn(@TempDir Path dir)
      throws Exception {
    Path poison = dir.resolve("poison");
    Files.createDirectories(poison);
    GeoPoint torino = GeoPoint.of(45.044, 7.672);
    Path meta =
        SigMf.write(
            poison.resolve("torino"),
            SigMfMetadata.builder(SigMfDatatype.CF32_LE, 48_000)
                .frequencyHz(145.5e6)
                .geolocation(torino)
                .build(),
            ComplexSignal.wrapInterleaved(new float[9_600]));
    Path data = poison.resolve("torino" + SigMf.DATA_EXTENSION);
    // a recording cut short in the middle of a sample: the reader must refuse it
    try (OutputStream out = Files.newOutputStream(data, StandardOpenOption.APPEND)) {
      out.write(new byte[] {1, 2, 3});
    }
    assertThat(meta).exists();
    try (Fleet fleet = Fleet.on(postgres, "fleet_poison")) {
      String poisonId =
          Fleet.cli("submit", "--db-url", fleet.url, "--recordings", poison.toString()).strip();
      fleet.submit(6, 100);
      Fleet.Child worker = fleet.worker("--workers", "2", "--lease", "5s", "--max-attempts", "2");
      Fleet.await(
          "the poison task to fail and the others to complete",
          Duration.ofSeconds(90),
          () -> fleet.status("failed") == 1 && fleet.status("completed") == 6);
      assertThat(
              fleet.count(
                  "SELECT attempts FROM tasks WHERE id = '" + poisonId + "' AND status = 'failed'"))
          .as("attempts of the poison task")
          .isEqualTo(2);
      assertThat(
              fleet.count(
                  "SELECT count(*) FROM tasks WHERE id = '"
                      + poisonId
                      + "' AND error_message LIKE '%torino.sigmf-%'"))
          .as("the poison task's error names its recording")
          .isEqualTo(1);
      assertThat(fleet.count("SELECT count(*) FROM task_results")).isEqualTo(6);
      assertThat(fleet.count("SELECT count(*) FROM signal_measurements")).isEqualTo(6L * RECEIVERS);
      String status = Fleet.cli("status", "--db-url", fleet.url, "--json").strip();
      assertThat(status)
          .isEqualTo(
              "{\"counts\":{\"submitted\":0,\"processing\":0,\"completed\":6,\"failed\":1,"
                  + "\"cancelled\":0},\"oldest_claim_age_s\":null}");
      assertThat(Fleet.cli("status", "--db-url", fleet.url))
          .contains("completed    6")
          .contains("oldest claim none");
      assertThat(worker.terminate(Duration.ofSeconds(30))).as(worker.log()).isZero();
    }
  }

  @Test
  void processesStartingTogetherOnAnEmptyDatabaseMigrateOnceAndDrainOnSigterm() throws Exception {
    try (Fleet fleet = Fleet.on(postgres, "fleet_race")) {
      List<Fleet.Child> workers =
          List.of(
              fleet.worker("--workers", "1", "--lease", "3s", "--metrics-port", "0"),
              fleet.worker("--workers", "1", "--lease", "3s"),
              fleet.worker("--workers", "1", "--lease", "3s"));
      for (Fleet.Child w : workers) {
        w.awaitLog("claiming from", Duration.ofSeconds(60));
      }
      assertThat(fleet.count("SELECT count(*) FROM heimdall_schema_history WHERE success"))
          .as("migrations applied")
          .isPositive();
      assertThat(
              fleet.count(
                  "SELECT count(*) FROM (SELECT version FROM heimdall_schema_history"
                      + " WHERE version IS NOT NULL GROUP BY version HAVING count(*) > 1) d"))
          .as("migrations applied more than once")
          .isZero();
      assertThat(fleet.count("SELECT count(*) FROM heimdall_schema_history WHERE NOT success"))
          .isZero();

      assertMetricsAndHealth(workers.get(0));
      fleet.submit(30, 200);
      Fleet.await("some progress", Duration.ofSeconds(60), () -> fleet.status("completed") >= 6);
      for (Fleet.Child w : workers) {
        assertThat(w.terminate(Duration.ofSeconds(30))).as(w.log()).isZero();
        assertThat(w.log()).contains("heimdall worker: stopped").doesNotContain("Exception");
      }
      // a drained fleet leaves nothing claimed: handed-back tasks wait for the next worker
      assertThat(fleet.status("processing")).isZero();
      long done = fleet.status("completed");
      assertThat(fleet.status("submitted")).isEqualTo(30 - done);
      assertThat(
              fleet.count("SELECT count(*) FROM tasks WHERE status = 'submitted' AND attempts > 0"))
          .as("handed-back tasks keep their attempt count")
          .isZero();
      assertThat(fleet.count("SELECT count(*) FROM task_results")).isEqualTo(done);
      assertThat(fleet.count("SELECT count(*) FROM signal_measurements"))
          .isEqualTo(done * RECEIVERS);
    }
  }

  @Test
  void redisPausedForTenSecondsDoesNotStopTheFleetAndIsUsedAgainAfter() throws Exception {
    try (EmbeddedRedis redis = EmbeddedRedis.start();
        Fleet fleet = Fleet.on(postgres, "fleet_redis")) {
      fleet.submit(400, 300);
      Fleet.Child worker = fleet.worker("--workers", "2", "--lease", "5s", "--redis", redis.uri());
      Fleet.await("first results", Duration.ofSeconds(60), () -> fleet.status("completed") >= 5);
      long keysBefore = dbsize(redis);
      assertThat(keysBefore).as("results published to Redis").isPositive();

      redis.pause();
      long pausedAt = fleet.status("completed");
      Thread.sleep(10_000);
      long duringPause = fleet.status("completed") - pausedAt;
      redis.resume();
      long resumedAt = fleet.status("completed");
      long keysAtResume = dbsize(redis);
      Fleet.await(
          "results after the resume",
          Duration.ofSeconds(60),
          () -> fleet.status("completed") >= resumedAt + 10);
      Thread.sleep(500);
      long keysAfter = dbsize(redis);
      System.out.printf(
          "Redis SIGSTOP 10 s: %d tasks completed during the pause; Redis keys %d before, %d at"
              + " resume, %d after%n",
          duringPause, keysBefore, keysAtResume, keysAfter);
      assertThat(duringPause).as("tasks completed while Redis was stopped").isGreaterThan(5);
      assertThat(keysAfter)
          .as("results published to Redis after the resume")
          .isGreaterThan(keysAtResume);
      assertThat(worker.terminate(Duration.ofSeconds(30))).as(worker.log()).isZero();
      long done = fleet.status("completed");
      assertThat(fleet.count("SELECT count(*) FROM task_results")).isEqualTo(done);
      assertThat(fleet.count("SELECT count(*) FROM signal_measurements"))
          .isEqualTo(done * RECEIVERS);
    }
  }

  /** The worker's /metrics serves Prometheus text and its /health says ok. */
  private static void assertMetricsAndHealth(Fleet.Child worker) throws Exception {
    Matcher port = Pattern.compile("metrics on port (\\d+)").matcher(worker.log());
    assertThat(port.find()).as(worker.log()).isTrue();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.group(1) + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    assertThat(metrics.body()).contains("hikaricp_connections").contains("jvm_memory_used_bytes");
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.group(1) + "/health"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
  }

  /** The number of keys in Redis, asked over the wire protocol. */
  private static long dbsize(EmbeddedRedis redis) throws Exception {
    URI uri = URI.create(redis.uri());
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write("*1\r\n$6\r\nDBSIZE\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder reply = new StringBuilder();
      for (int c = in.read(); c != '\r' && c >= 0; c = in.read()) {
        reply.append((char) c);
      }
      assertThat(reply.toString()).startsWith(":");
      return Long.parseLong(reply.substring(1));
    }
  }
}
