package io.heimdall.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heimdall.core.Priority;
import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Station;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskDaoTest extends FreshDatabaseTest {
  @Test
  void taskRoundTripsEveryField() {
    Task task =
        Task.builder()
            .name("scan")
            .userId("u1")
            .frequenciesMhz(145.5, 433.92)
            .durationSeconds(10)
            .bandwidthHz(12_500)
            .priority(Priority.HIGH)
            .createdAt(Instant.parse("2026-01-02T03:04:05.123456789Z"))
            .build();
    db.tasks().insert(task);

    Task read = db.tasks().findById(task.id()).orElseThrow();
    assertThat(read).isEqualTo(task);
    assertThat(read.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05.123456Z"));
    assertThat(db.tasks().findById(UUID.randomUUID())).isEmpty();
  }

  @Test
  void updateStatusStampsCompletionAndDeleteCascades() {
    Task task = Task.builder().frequenciesMhz(145.5).build();
    db.tasks().insert(task);
    db.measurements()
        .insert(SignalMeasurement.builder(task.id(), "Torino", 145.5).snrDb(12.0).build());
    db.results().insert(TaskResult.builder(task.id(), 45.0, 7.6).confidence(0.8).build());

    assertThat(db.tasks().updateStatus(task.id(), TaskStatus.COMPLETED)).isTrue();
    Task done = db.tasks().findById(task.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.completedAt()).isNotNull();
    assertThat(db.tasks().updateStatus(UUID.randomUUID(), TaskStatus.FAILED)).isFalse();

    assertThat(db.tasks().delete(task.id())).isTrue();
    assertThat(db.measurements().countByTask(task.id())).isZero();
    assertThat(db.results().findByTask(task.id())).isEmpty();
    assertThat(db.tasks().delete(task.id())).isFalse();
  }

  @Test
  void measurementAndResultRoundTrip() {
    Task task = Task.builder().build();
    db.tasks().insert(task);
    SignalMeasurement m =
        SignalMeasurement.builder(task.id(), "Genova", 433.5)
            .signalStrengthDbm(-92.5)
            .bearingDegrees(359.9)
            .bearingUncertaintyDegrees(3.0)
            .signalQuality(0.7)
            .snrDb(8.25)
            .arrivalTimeUs(123_456_789L)
            .measurementErrorCode("")
            .createdAt(Instant.parse("2026-05-01T00:00:00Z"))
            .build();
    long id = db.measurements().insert(m);
    SignalMeasurement read = db.measurements().findByTask(task.id()).get(0);
    assertThat(read)
        .isEqualTo(
            new SignalMeasurement(
                id,
                m.taskId(),
                m.stationName(),
                m.frequencyMhz(),
                m.signalStrengthDbm(),
                m.bearingDegrees(),
                m.bearingUncertaintyDegrees(),
                m.signalQuality(),
                m.snrDb(),
                m.arrivalTimeUs(),
                "",
                m.createdAt()));

    TaskResult r =
        TaskResult.builder(task.id(), -33.5, 151.2)
            .altitudeM(120.0)
            .uncertaintyM(50.0, 70.0)
            .confidence(0.95)
            .covarianceM2(4_900.0, -1_200.0, 2_500.0)
            .regionLevel(0.9)
            .algorithmVersion("centroid-1")
            .processingTimeMs(12)
            .stationsUsed(7)
            .measurementsUsed(7)
            .build();
    db.results().insert(r);
    assertThat(db.results().findByTask(task.id())).contains(r);
    assertThat(db.results().findById(r.id())).contains(r);
  }

  @Test
  void stationsUpsert() {
    Station s = Station.of("torino", "Torino", 45.044, 7.672);
    db.stations().upsert(s);
    db.stations()
        .upsert(
            new Station(
                "torino",
                "Torino WebSDR",
                "http://example.invalid",
                45.044,
                7.672,
                250.0,
                144.0,
                146.0,
                "offline",
                false,
                s.createdAt(),
                s.updatedAt()));
    Station read = db.stations().findById("torino").orElseThrow();
    assertThat(read.name()).isEqualTo("Torino WebSDR");
    assertThat(read.status()).isEqualTo("offline");
    assertThat(read.createdAt()).isEqualTo(s.createdAt());
    assertThat(read.updatedAt()).isAfterOrEqualTo(s.updatedAt());
    assertThat(db.stations().findAll()).extracting(Station::id).contains("torino");
    assertThat(db.stations().delete("torino")).isTrue();
  }

  @Test
  void duplicateIdIsATypedConstraintViolation() {
    Task task = Task.builder().build();
    db.tasks().insert(task);
    assertThatThrownBy(() -> db.tasks().insert(task))
        .isInstanceOf(ConstraintViolationException.class)
        .satisfies(
            e ->
                assertThat(((ConstraintViolationException) e).constraint())
                    .isEqualTo("tasks_pkey"));
  }

  @Test
  void batchInsertIsAllOrNothing() {
    Task a = Task.builder().build();
    Task b = Task.builder().build();
    db.tasks().insert(b);
    assertThatThrownBy(() -> db.tasks().insertAll(List.of(a, b)))
        .isInstanceOf(ConstraintViolationException.class);
    assertThat(db.tasks().findById(a.id())).isEmpty();
  }

  @Test
  void aCovarianceThatIsNotPositiveSemiDefiniteOrALevelOutsideZeroOneIsRefused() {
    UUID task = UUID.randomUUID();
    assertThatThrownBy(() -> TaskResult.builder(task, 45, 7).covarianceM2(100, 200, 100).build())
        .isInstanceOf(io.heimdall.InvalidInputException.class)
        .hasMessageContaining("positive semi-definite");
    assertThatThrownBy(() -> TaskResult.builder(task, 45, 7).covarianceM2(-1, 0, 100).build())
        .hasMessageContaining("covarianceEeM2");
    assertThatThrownBy(() -> TaskResult.builder(task, 45, 7).regionLevel(1.0).build())
        .hasMessageContaining("regionLevel must be in (0, 1), got 1.0");
  }
}
