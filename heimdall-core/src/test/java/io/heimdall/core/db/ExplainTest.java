package io.heimdall.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guide's indexes are used by the queries they were made for, on enough analysed rows that
 * PostgreSQL would pick a sequential scan if an index were missing or unusable.
 */
class ExplainTest extends FreshDatabaseTest {
  @BeforeAll
  static void seed() {
    db.jdbi()
        .useHandle(
            h -> {
              h.execute(
                  "INSERT INTO tasks (id, status, created_at)"
                      + " SELECT gen_random_uuid(), 'completed', now() - i * interval '1 second'"
                      + " FROM generate_series(1, 20000) AS i");
              h.execute(
                  "INSERT INTO task_results (id, task_id, status, latitude, longitude, confidence)"
                      + " SELECT gen_random_uuid(), id, 'success', 45, 7, random() FROM tasks");
              // 200,000 measurements: 7 stations x 500 frequencies, spread over the tasks.
              h.execute(
                  "INSERT INTO signal_measurements (task_id, station_name, frequency_mhz, snr_db,"
                      + " created_at) SELECT t.id, 'station' || (i % 7), 144 + (i % 500) * 0.004, i"
                      + " % 40,        now() - i * interval '10 milliseconds' FROM"
                      + " generate_series(1, 200000) AS i JOIN (SELECT id, row_number() OVER () AS"
                      + " n FROM tasks) t ON t.n = 1 + i % 20000");
              h.execute("ANALYZE");
            });
  }

  @Test
  void stationAndFrequencyLookupUsesItsIndex() {
    QueryPlan plan =
        db.explain()
            .plan(
                "SELECT * FROM signal_measurements WHERE station_name = :station AND frequency_mhz"
                    + " = :frequency",
                Map.of("station", "station3", "frequency", 144.4));
    assertThat(plan.usesIndex("idx_measurements_station_freq")).as(plan.json()).isTrue();
    assertThat(plan.scansSequentially("signal_measurements")).isFalse();
  }

  @Test
  void newestFirstMeasurementPagesUseTheCreatedIndex() {
    // The statements Queries issues for the first and a later keyset page.
    QueryPlan first =
        db.explain()
            .plan(
                "SELECT * FROM signal_measurements ORDER BY created_at DESC, id DESC LIMIT :limit",
                Map.of("limit", 51));
    assertThat(first.usesIndex("idx_measurements_created")).as(first.json()).isTrue();
    QueryPlan later =
        db.explain()
            .plan(
                "SELECT * FROM signal_measurements WHERE created_at <= :cursorAt AND (created_at <"
                    + " :cursorAt OR id < :cursorId) ORDER BY created_at DESC, id DESC LIMIT"
                    + " :limit",
                Map.of(
                    "cursorAt",
                    Rows.utc(Instant.now().minusSeconds(1000)),
                    "cursorId",
                    100_000L,
                    "limit",
                    51));
    assertThat(later.usesIndex("idx_measurements_created")).as(later.json()).isTrue();
    assertThat(later.scansSequentially("signal_measurements")).isFalse();
  }

  @Test
  void resultsByConfidenceUseTheConfidenceIndex() {
    QueryPlan plan =
        db.explain()
            .plan(
                "SELECT * FROM task_results WHERE confidence >= :min ORDER BY confidence DESC LIMIT"
                    + " :limit",
                Map.of("min", 0.5, "limit", 50));
    assertThat(plan.usesIndex("idx_results_confidence")).as(plan.json()).isTrue();
    assertThat(db.queries().topResultsByConfidence(0.5, 50))
        .hasSize(50)
        .isSortedAccordingTo((a, b) -> Double.compare(b.confidence(), a.confidence()));
  }

  @Test
  void eagerLoadingLooksUpMeasurementsByTask() {
    QueryPlan plan =
        db.explain()
            .plan(
                "SELECT * FROM signal_measurements WHERE task_id = ANY(:ids) ORDER BY task_id, id",
                Map.of(
                    "ids",
                    new java.util.UUID[] {
                      java.util.UUID.randomUUID(), java.util.UUID.randomUUID()
                    }));
    assertThat(plan.usesIndex("idx_measurements_task")).as(plan.json()).isTrue();
  }

  @Test
  void anUnindexedConditionIsASequentialScan() {
    // The helper can tell: nothing indexes snr_db.
    QueryPlan plan =
        db.explain()
            .plan("SELECT * FROM signal_measurements WHERE snr_db = :snr", Map.of("snr", 5.0));
    assertThat(plan.scansSequentially("signal_measurements")).as(plan.json()).isTrue();
    assertThat(plan.indexNames()).isEmpty();
    assertThat(plan.nodes()).isNotEmpty();
  }
}
