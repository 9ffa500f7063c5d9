package io.heimdall.core.db;

import io.heimdall.InvalidInputException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The schema's own constraints, hit with raw SQL that bypasses the records' validation. */
class ConstraintsTest extends FreshDatabaseTest {
  private static UUID taskId;

  @BeforeAll
  static void open() {
    Task task = Task.builder().build();
    db.tasks().insert(task);
    taskId = task.id();
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "frequency_mhz, 0, measurements_frequency_check",
    "frequency_mhz, -145.5, measurements_frequency_check",
    "frequency_mhz, NaN, measurements_frequency_check",
    "frequency_mhz, Infinity, measurements_frequency_check",
    "bearing_degrees, 360, measurements_bearing_check",
    "bearing_degrees, -0.5, measurements_bearing_check",
    "bearing_degrees, NaN, measurements_bearing_check",
    "signal_quality, 1.01, measurements_quality_check",
    "signal_quality, NaN, measurements_quality_check",
    "snr_db, -Infinity, measurements_snr_check",
  })
  void measurementChecks(String column, String value, String constraint) {
    String sql =
        column.equals("frequency_mhz")
            ? "INSERT INTO signal_measurements (task_id, station_name, frequency_mhz)"
                + " VALUES (:task, 'Torino', CAST(:v AS float8))"
            : "INSERT INTO signal_measurements (task_id, station_name, frequency_mhz, "
                + column
                + ")"
                + " VALUES (:task, 'Torino', 145.5, CAST(:v AS float8))";
    assertViolation(sql, Map.of("task", taskId, "v", value), constraint);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "latitude, 90.5, results_latitude_check",
    "longitude, -180.5, results_longitude_check",
    "confidence, 1.5, results_confidence_check",
    "confidence, NaN, results_confidence_check",
    "latitude_uncertainty_m, -1, results_latitude_uncertainty_check",
  })
  void resultChecks(String column, String value, String constraint) {
    assertViolation(
        "INSERT INTO task_results (id, task_id, status, "
            + column
            + ")"
            + " VALUES (gen_random_uuid(), :task, 'success', CAST(:v AS float8))",
        Map.of("task", taskId, "v", value),
        constraint);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({
    "status, running, tasks_status_check",
    "priority, urgent, tasks_priority_check",
  })
  void taskChecks(String column, String value, String constraint) {
    String other = column.equals("status") ? "priority" : "status";
    String otherValue = column.equals("status") ? "'normal'" : "'submitted'";
    assertViolation(
        "INSERT INTO tasks (id, "
            + column
            + ", "
            + other
            + ") VALUES (gen_random_uuid(), :v, "
            + otherValue
            + ")",
        Map.of("v", value),
        constraint);
  }

  @Test
  void measurementOfUnknownTaskViolatesForeignKey() {
    SignalMeasurement orphan =
        SignalMeasurement.builder(UUID.randomUUID(), "Torino", 145.5).build();
    assertThatThrownBy(() -> db.measurements().insert(orphan))
        .isInstanceOf(ConstraintViolationException.class)
        .satisfies(
            e ->
                assertThat(((ConstraintViolationException) e).constraint())
                    .isEqualTo("signal_measurements_task_id_fkey"));
  }

  @Test
  void secondResultForATaskViolatesUniqueTaskId() {
    Task task = Task.builder().build();
    db.tasks().insert(task);
    db.results().insert(TaskResult.builder(task.id(), 45, 7).build());
    assertThatThrownBy(() -> db.results().insert(TaskResult.builder(task.id(), 46, 8).build()))
        .isInstanceOf(ConstraintViolationException.class)
        .hasMessageContaining("task_results_task_id_key")
        .satisfies(
            e ->
                assertThat(((ConstraintViolationException) e).constraint())
                    .isEqualTo("task_results_task_id_key"));
  }

  @Test
  void recordsRejectOutOfRangeValuesBeforeTheDatabase() {
    assertThatThrownBy(() -> SignalMeasurement.builder(taskId, "Torino", Double.NaN).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("frequencyMhz must be a finite number > 0, got NaN");
    assertThatThrownBy(
            () -> SignalMeasurement.builder(taskId, "Torino", 145.5).bearingDegrees(360.0).build())
        .hasMessage("bearingDegrees must be in [0.0, 360.0), got 360.0");
    assertThatThrownBy(() -> SignalMeasurement.builder(taskId, " ", 145.5).build())
        .hasMessage("stationName must be a non-blank string, got ' '");
    assertThatThrownBy(() -> TaskResult.builder(taskId, 91, 0).build())
        .hasMessage("latitude must be in [-90.0, 90.0], got 91.0");
    assertThatThrownBy(() -> TaskResult.builder(taskId, 0, 0).confidence(-0.1).build())
        .hasMessage("confidence must be in [0.0, 1.0], got -0.1");
    assertThatThrownBy(() -> Task.builder().frequenciesMhz(145.5, -1.0).build())
        .hasMessage("frequenciesMhz must hold finite values > 0, got -1.0");
    assertThatThrownBy(() -> Task.builder().durationSeconds(0).build())
        .hasMessage("durationSeconds must be > 0, got 0");
  }

  private static void assertViolation(String sql, Map<String, Object> binds, String constraint) {
    long before = count();
    assertThatThrownBy(
            () ->
                SqlErrors.call(
                    () -> db.jdbi().withHandle(h -> h.createUpdate(sql).bindMap(binds).execute())))
        .isInstanceOf(ConstraintViolationException.class)
        .satisfies(
            e -> assertThat(((ConstraintViolationException) e).constraint()).isEqualTo(constraint));
    assertThat(count()).isEqualTo(before);
  }

  private static long count() {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT (SELECT count(*) FROM tasks) + (SELECT count(*) FROM"
                            + " signal_measurements) + (SELECT count(*) FROM task_results)")
                    .mapTo(Long.class)
                    .one());
  }
}
