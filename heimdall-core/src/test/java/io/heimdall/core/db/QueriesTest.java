package io.heimdall.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskStatus;
import io.heimdall.core.TaskWithDetails;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QueriesTest extends FreshDatabaseTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final int TASKS = 120;

  /** Newest first, as every listing orders them. */
  private static List<Task> tasks;

  private static final AtomicInteger STATEMENTS = new AtomicInteger();

  @BeforeAll
  static void seed() {
    db.jdbi()
        .getConfig(SqlStatements.class)
        .setSqlLogger(
            new SqlLogger() {
              @Override
              public void logAfterExecution(StatementContext context) {
                STATEMENTS.incrementAndGet();
              }
            });
    List<Task> created = new ArrayList<>();
    List<SignalMeasurement> measurements = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      // Pairs of tasks share a timestamp so that the keyset order must fall back to the id.
      Task t =
          Task.builder()
              .name("t" + i)
              .createdAt(T0.plusSeconds(i / 2))
              .frequenciesMhz(145.0 + i * 0.01)
              .build();
      created.add(t);
      int count = i % 3 == 0 ? 0 : 1 + i % 7; // every third task has no measurements
      for (int k = 0; k < count; k++) {
        measurements.add(
            SignalMeasurement.builder(t.id(), "station" + k, 145.0 + k)
                .signalQuality(k / 10.0)
                .createdAt(T0.plusSeconds(i).plusMillis(k))
                .build());
      }
    }
    db.tasks().insertAll(created);
    db.ingest().ingest(measurements);
    for (int i = 0; i < TASKS; i += 2) { // every other task has a result
      db.results()
          .insert(
              TaskResult.builder(created.get(i).id(), 45, 7)
                  .confidence(i / (double) TASKS)
                  .createdAt(T0.plusSeconds(i))
                  .build());
    }
    db.tasks().updateStatus(created.get(5).id(), TaskStatus.FAILED);
    // PostgreSQL orders uuids by unsigned bytes, which is the order of their hex strings.
    tasks =
        created.stream()
            .map(
                t ->
                    t.id().equals(created.get(5).id())
                        ? db.tasks().findById(t.id()).orElseThrow()
                        : t)
            .sorted(
                Comparator.comparing(Task::createdAt)
                    .thenComparing(t -> t.id().toString())
                    .reversed())
            .collect(Collectors.toList());
  }

  @AfterEach
  void resetCounter() {
    STATEMENTS.set(0);
  }

  @Test
  void eagerLoadingUsesThreeStatementsWhateverThePageSize() {
    for (int size : new int[] {1, 10, 100}) {
      STATEMENTS.set(0);
      Page<TaskWithDetails> page =
          db.queries().tasksWithDetails(QueryFilter.NONE, PageRequest.first(size));
      assertThat(page.items()).hasSize(size);
      assertThat(STATEMENTS.get()).as("statements for a page of %d", size).isEqualTo(3);
      for (TaskWithDetails d : page.items()) {
        // Compare with the one-by-one reads the eager path replaces.
        assertThat(d.result()).isEqualTo(db.results().findByTask(d.task().id()));
        assertThat(d.measurements()).isEqualTo(db.measurements().findByTask(d.task().id()));
      }
    }
  }

  @Test
  void eagerLoadingHandlesTasksWithoutResultOrMeasurements() {
    List<TaskWithDetails> all =
        db.queries().tasksWithDetails(QueryFilter.NONE, PageRequest.offset(1000, 0L)).items();
    assertThat(all).hasSize(TASKS);
    assertThat(all).filteredOn(d -> d.result().isEmpty()).hasSize(TASKS / 2);
    assertThat(all).filteredOn(d -> d.measurements().isEmpty()).hasSize(TASKS / 3);
    int expectedMeasurements = 0;
    for (int i = 0; i < TASKS; i++) {
      expectedMeasurements += i % 3 == 0 ? 0 : 1 + i % 7;
    }
    assertThat(all.stream().mapToInt(d -> d.measurements().size()).sum())
        .isEqualTo(expectedMeasurements);

    Task lonely = Task.builder().build();
    db.tasks().insert(lonely);
    STATEMENTS.set(0);
    List<TaskWithDetails> one =
        db.queries().tasksWithDetails(List.of(lonely.id(), UUID.randomUUID()));
    assertThat(one)
        .containsExactly(new TaskWithDetails(lonely, java.util.Optional.empty(), List.of()));
    assertThat(STATEMENTS.get()).isEqualTo(3);
    db.tasks().delete(lonely.id());
  }

  @Test
  void offsetPagesFollowTheNewestFirstOrder() {
    Page<Task> defaults = db.queries().tasks(QueryFilter.NONE, PageRequest.offset(null, null));
    assertThat(defaults.items()).hasSize(PageRequest.DEFAULT_LIMIT);
    Page<Task> third = db.queries().tasks(QueryFilter.NONE, PageRequest.offset(25, 50L));
    assertThat(third.items()).isEqualTo(tasks.subList(50, 75));
    assertThat(third.hasMore()).isTrue();
    assertThat(third.nextCursor()).isNull();
    Page<Task> last = db.queries().tasks(QueryFilter.NONE, PageRequest.offset(25, 100L));
    assertThat(last.items()).isEqualTo(tasks.subList(100, 120));
    assertThat(last.hasMore()).isFalse();
    for (int i = 1; i < tasks.size(); i++) {
      assertThat(tasks.get(i - 1).createdAt()).isAfterOrEqualTo(tasks.get(i).createdAt());
    }
  }

  @Test
  void badPageSizesAreTypedErrors() {
    assertThatThrownBy(() -> PageRequest.offset(-1, 0L))
        .isInstanceOf(InvalidPageRequestException.class)
        .hasMessage("limit must be in 1..1000, got -1");
    assertThatThrownBy(() -> PageRequest.offset(0, 0L))
        .isInstanceOf(InvalidPageRequestException.class);
    assertThatThrownBy(() -> PageRequest.offset(1001, 0L))
        .isInstanceOf(InvalidPageRequestException.class)
        .hasMessage("limit must be in 1..1000, got 1001");
    assertThatThrownBy(() -> PageRequest.offset(Integer.MAX_VALUE, 0L))
        .isInstanceOf(InvalidPageRequestException.class);
    assertThatThrownBy(() -> PageRequest.offset(10, -5L))
        .isInstanceOf(InvalidPageRequestException.class)
        .hasMessage("offset must be >= 0, got -5");
    assertThatThrownBy(() -> PageRequest.after(null, 5000))
        .isInstanceOf(InvalidPageRequestException.class);
  }

  @Test
  void keysetPagesWalkEveryRowOnceEvenWithInsertsBetweenPages() {
    List<Task> seen = new ArrayList<>();
    List<UUID> inserted = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Page<Task> page = db.queries().tasks(QueryFilter.NONE, PageRequest.after(cursor, 7));
      seen.addAll(page.items());
      cursor = page.nextCursor();
      assertThat(page.hasMore()).isEqualTo(cursor != null);
      // New rows arriving meanwhile must neither shift nor repeat the pages still to come.
      Task fresh = Task.builder().build();
      db.tasks().insert(fresh);
      inserted.add(fresh.id());
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo((TASKS + 6) / 7);
    assertThat(seen).isEqualTo(tasks);
    inserted.forEach(db.tasks()::delete);
  }

  @Test
  void tamperedOrForeignCursorsAreRejected() {
    String cursor = db.queries().tasks(QueryFilter.NONE, PageRequest.first(3)).nextCursor();
    byte[] bytes = Base64.getUrlDecoder().decode(cursor);
    bytes[5] ^= 1; // shift the timestamp by a few microseconds
    String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    assertThatThrownBy(() -> db.queries().tasks(QueryFilter.NONE, PageRequest.after(tampered, 3)))
        .isInstanceOf(InvalidCursorException.class)
        .hasMessageContaining("signature does not match");
    assertThatThrownBy(
            () -> db.queries().tasks(QueryFilter.NONE, PageRequest.after("not a cursor!", 3)))
        .isInstanceOf(InvalidCursorException.class)
        .hasMessageContaining("not base64url");
    assertThatThrownBy(
            () -> db.queries().tasks(QueryFilter.NONE, PageRequest.after(cursor.substring(4), 3)))
        .isInstanceOf(InvalidCursorException.class);
    assertThatThrownBy(() -> db.queries().results(QueryFilter.NONE, PageRequest.after(cursor, 3)))
        .isInstanceOf(InvalidCursorException.class)
        .hasMessageContaining("issued for tasks");
    try (HeimdallDatabase other = TestPostgres.newDatabase()) {
      assertThatThrownBy(
              () -> other.queries().tasks(QueryFilter.NONE, PageRequest.after(cursor, 3)))
          .isInstanceOf(InvalidCursorException.class);
    }
  }

  @Test
  void filtersSelectTheMatchingRows() {
    QueryFilter failed = QueryFilter.builder().status(TaskStatus.FAILED).build();
    assertThat(db.queries().tasks(failed, PageRequest.first(10)).items())
        .extracting(Task::name)
        .containsExactly("t5");

    Instant from = T0.plusSeconds(10);
    Instant before = T0.plusSeconds(20);
    QueryFilter window = QueryFilter.builder().createdBetween(from, before).build();
    assertThat(db.queries().tasks(window, PageRequest.first(100)).items())
        .isEqualTo(
            tasks.stream()
                .filter(t -> !t.createdAt().isBefore(from) && t.createdAt().isBefore(before))
                .collect(Collectors.toList()))
        .hasSize(20);

    QueryFilter station =
        QueryFilter.builder().stationName("station2").frequencyMhz(146.5, 147.5).build();
    List<SignalMeasurement> found = collectAll(station);
    assertThat(found)
        .isNotEmpty()
        .allSatisfy(
            m -> {
              assertThat(m.stationName()).isEqualTo("station2");
              assertThat(m.frequencyMhz()).isEqualTo(147.0);
            });
    long expected =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT count(*) FROM signal_measurements WHERE station_name ="
                                + " 'station2'")
                        .mapTo(Long.class)
                        .one());
    assertThat(found).hasSize((int) expected);

    QueryFilter confident = QueryFilter.builder().minConfidence(0.5).build();
    List<TaskResult> results = db.queries().results(confident, PageRequest.first(1000)).items();
    assertThat(results)
        .hasSize(30)
        .allSatisfy(r -> assertThat(r.confidence()).isGreaterThanOrEqualTo(0.5));
    assertThat(db.queries().topResultsByConfidence(0.9, 3))
        .extracting(TaskResult::confidence)
        .containsExactly(118 / 120.0, 116 / 120.0, 114 / 120.0);
  }

  @Test
  void filterFieldsThatDoNotApplyAreRejected() {
    QueryFilter byStation = QueryFilter.builder().stationName("Torino").build();
    assertThatThrownBy(() -> db.queries().tasks(byStation, PageRequest.first(5)))
        .isInstanceOf(InvalidPageRequestException.class)
        .hasMessage("filter field stationName does not apply to tasks");
    assertThatThrownBy(() -> QueryFilter.builder().minConfidence(1.5).build())
        .isInstanceOf(InvalidPageRequestException.class);
    assertThatThrownBy(() -> QueryFilter.builder().frequencyMhz(146.0, 145.0).build())
        .isInstanceOf(InvalidPageRequestException.class);
  }

  @Test
  void fieldSelectionReturnsOnlyAllowListedFields() {
    Set<ResultField> fields = ResultField.parse("latitude, LONGITUDE,confidence");
    Page<Map<String, Object>> page =
        db.queries().resultFields(fields, QueryFilter.NONE, PageRequest.first(4));
    assertThat(page.items())
        .hasSize(4)
        .allSatisfy(row -> assertThat(row).containsOnlyKeys("latitude", "longitude", "confidence"));
    List<TaskResult> full = db.queries().results(QueryFilter.NONE, PageRequest.first(4)).items();
    for (int i = 0; i < 4; i++) {
      assertThat(page.items().get(i))
          .containsEntry("confidence", full.get(i).confidence())
          .containsEntry("latitude", 45.0);
    }
    // Keyset cursors work with any field set, even without id and created_at.
    Page<Map<String, Object>> next =
        db.queries()
            .resultFields(fields, QueryFilter.NONE, PageRequest.after(page.nextCursor(), 4));
    assertThat(next.items().get(0))
        .containsEntry(
            "confidence",
            db.queries()
                .results(QueryFilter.NONE, PageRequest.offset(1, 4L))
                .items()
                .get(0)
                .confidence());

    Map<String, Object> every =
        db.queries()
            .resultFields(EnumSet.allOf(ResultField.class), QueryFilter.NONE, PageRequest.first(1))
            .items()
            .get(0);
    assertThat(every.keySet()).hasSize(ResultField.values().length);
    assertThat(every.get("id")).isEqualTo(full.get(0).id());
    assertThat(every.get("created_at")).isEqualTo(full.get(0).createdAt());
  }

  @Test
  void unknownFieldsAreRejectedWithTheAllowedNames() {
    assertThatThrownBy(() -> ResultField.parse("latitude,password"))
        .isInstanceOf(UnknownFieldException.class)
        .hasMessage(
            "unknown result field 'password'; allowed: id, task_id, status, latitude, longitude,"
                + " altitude_m, latitude_uncertainty_m, longitude_uncertainty_m, confidence,"
                + " covariance_ee_m2, covariance_en_m2, covariance_nn_m2, region_level,"
                + " algorithm_version, processing_time_ms, stations_used, measurements_used,"
                + " created_at");
    assertThatThrownBy(() -> ResultField.parse("latitude; DROP TABLE tasks"))
        .isInstanceOf(UnknownFieldException.class);
    assertThatThrownBy(() -> ResultField.parse("")).isInstanceOf(UnknownFieldException.class);
    assertThatThrownBy(
            () -> db.queries().resultFields(Set.of(), QueryFilter.NONE, PageRequest.first(1)))
        .isInstanceOf(UnknownFieldException.class);
    assertThat(db.queries().tasks(QueryFilter.NONE, PageRequest.first(1)).items()).hasSize(1);
  }

  @Test
  void measurementKeysetPagesMatchOffsetPages() {
    List<SignalMeasurement> keyset = collectAll(QueryFilter.NONE);
    List<SignalMeasurement> offset = new ArrayList<>();
    for (long o = 0; ; o += 100) {
      Page<SignalMeasurement> p =
          db.queries().measurements(QueryFilter.NONE, PageRequest.offset(100, o));
      offset.addAll(p.items());
      if (!p.hasMore()) {
        break;
      }
    }
    assertThat(keyset).isEqualTo(offset);
    assertThat(new HashSet<>(keyset)).hasSize(keyset.size());
  }

  private static List<SignalMeasurement> collectAll(QueryFilter filter) {
    List<SignalMeasurement> all = new ArrayList<>();
    String cursor = null;
    do {
      Page<SignalMeasurement> page =
          db.queries().measurements(filter, PageRequest.after(cursor, 33));
      all.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null);
    return all;
  }
}
