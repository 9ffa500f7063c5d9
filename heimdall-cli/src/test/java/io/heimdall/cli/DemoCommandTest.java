package io.heimdall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.heimdall.core.TaskStatus;
import io.heimdall.core.db.DatabasePool;
import io.heimdall.core.db.HeimdallDatabase;
import io.heimdall.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the main job end to end on a real (embedded) PostgreSQL and checks what it stored. */
class DemoCommandTest {

  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void start() {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stop() {
    postgres.close();
  }

  @Test
  void smallDemoEndsWithJsonThatMatchesTheDatabase(@TempDir Path dir) throws Exception {
    String url = postgres.createDatabase("demo_json");
    Path metrics = dir.resolve("metrics.prom");
    HeimdallCliTest.Run run =
        HeimdallCliTest.run(
            "demo", "--signals", "5", "--db-url", url, "--metrics-out", metrics.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();

    String[] lines = run.out().strip().split("\n");
    String json = lines[lines.length - 1];
    assertThat(json)
        .startsWith("{\"signals\":5,\"tasks\":5,\"measurements\":35,\"results\":5,")
        .contains("\"cache\":{\"hits\":5,\"misses\":5}")
        .contains("\"device\":\"cpu\"")
        .endsWith("}");
    for (String timing : new String[] {"dsp", "inference", "db_write", "db_read", "total"}) {
      assertThat(number(json, timing)).as(timing).isGreaterThanOrEqualTo(0);
    }
    double median = number(json, "median");
    double p95 = number(json, "p95");
    assertThat(median).isPositive().isLessThanOrEqualTo(p95);
    assertThat(p95).isLessThan(150_000);
    assertThat(number(json, "region_coverage")).isBetween(0.0, 1.0);
    assertThat(number(json, "bound_m")).isPositive();
    assertThat(json).contains("\"baseline_error_m\":{\"median\":").contains("\"tdoa\":null");
    assertThat(run.out()).contains("Heimdall demo: 5 simulated transmissions");
    assertThat(run.err()).contains("database ready");

    try (HeimdallDatabase db = HeimdallDatabase.open(DatabasePool.builder().jdbcUrl(url).build())) {
      assertThat(db.tasks().countByStatus(TaskStatus.COMPLETED)).isEqualTo(5);
      assertThat(count(db, "signal_measurements")).isEqualTo(35);
      assertThat(count(db, "task_results")).isEqualTo(5);
    }
    assertThat(Files.readString(metrics))
        .contains(
            "heimdall_request_latency_seconds_bucket{operation=\"result.get\",outcome=\"success\",le=\"0.1\"}")
        .contains("heimdall_task_duration_seconds_count{outcome=\"completed\"} 5")
        .contains("heimdall_inference_run_seconds_count")
        .contains("heimdall_cache_gets_total");
  }

  @Test
  void tdoaReportsItsErrorNextToReceivedPowerOnTheSameTransmissions() {
    String url = postgres.createDatabase("demo_tdoa");
    HeimdallCliTest.Run run =
        HeimdallCliTest.run("demo", "--signals", "4", "--db-url", url, "--redis", "none", "--tdoa");
    assertThat(run.exitCode()).as(run.err()).isZero();
    String[] lines = run.out().strip().split("\n");
    String json = lines[lines.length - 1];
    Matcher tdoa =
        Pattern.compile(
                "\"tdoa\":\\{\"transmissions\":4,\"error_m\":\\{\"median\":([0-9.]+),\"p95\":([0-9.]+)\\},"
                    + "\"power_error_m\":\\{\"median\":([0-9.]+)")
            .matcher(json);
    assertThat(tdoa.find()).as(json).isTrue();
    double tdoaMedian = Double.parseDouble(tdoa.group(1));
    double powerMedian = Double.parseDouble(tdoa.group(3));
    // time differences locate to tens of metres; received power to kilometres
    assertThat(tdoaMedian).isLessThan(200);
    assertThat(powerMedian).isGreaterThan(10 * tdoaMedian);
    assertThat(run.out()).contains("synchronised transmissions");
  }

  @Test
  void unreachableRedisIsServedFailOpen() {
    String url = postgres.createDatabase("demo_redis_down");
    HeimdallCliTest.Run run =
        HeimdallCliTest.run(
            "demo", "--signals", "2", "--db-url", url, "--redis", "redis://127.0.0.1:1");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("unreachable").contains("fail-open");
    assertThat(run.out().strip()).endsWith("\"device\":\"cpu\"}").contains("\"results\":2");
  }

  @Test
  void badOptionsAreOneLineErrorsWithoutOutput(@TempDir Path dir) {
    HeimdallCliTest.Run zero = HeimdallCliTest.run("demo", "--signals", "0");
    assertThat(zero.exitCode()).isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
    assertThat(zero.err().strip()).isEqualTo("heimdall demo: --signals must be 1..1000000, got 0");
    assertThat(zero.out()).isEmpty();

    HeimdallCliTest.Run mysql = HeimdallCliTest.run("demo", "--db-url", "jdbc:mysql://x/y");
    assertThat(mysql.exitCode()).isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
    assertThat(mysql.err()).contains("PostgreSQL JDBC URL").contains("jdbc:mysql://x/y");

    Path missingDir = dir.resolve("nope").resolve("m.prom");
    HeimdallCliTest.Run out = HeimdallCliTest.run("demo", "--metrics-out", missingDir.toString());
    assertThat(out.exitCode()).isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
    assertThat(out.err()).contains("directory does not exist");
    assertThat(Files.exists(missingDir)).isFalse();
  }

  @Test
  void percentileIsNearestRank() {
    double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(DemoSummary.percentile(sorted, 50)).isEqualTo(5);
    assertThat(DemoSummary.percentile(sorted, 95)).isEqualTo(10);
    assertThat(DemoSummary.percentile(new double[] {42}, 95)).isEqualTo(42);
    assertThat(DemoSummary.percentile(new double[0], 50)).isNaN();
  }

  private static double number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.]+)").matcher(json);
    assertThat(m.find()).as("%s in %s", key, json).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static long count(HeimdallDatabase db, String table) {
    return db.jdbi()
        .withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
  }
}
