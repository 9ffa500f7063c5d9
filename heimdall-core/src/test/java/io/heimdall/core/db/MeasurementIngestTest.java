package io.heimdall.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MeasurementIngestTest extends FreshDatabaseTest {
  @ParameterizedTest
  @EnumSource(MeasurementIngest.Method.class)
  void storesEveryFieldExactly(MeasurementIngest.Method method) {
    Task task = Task.builder().build();
    db.tasks().insert(task);
    List<SignalMeasurement> rows = new ArrayList<>();
    String[] awkward = {
      "Torino", "Passo \"del\" Giovi", "Genova, porto", "multi\nline", "", "àèì €"
    };
    for (int i = 0; i < 2500; i++) {
      SignalMeasurement.Builder b =
          SignalMeasurement.builder(task.id(), "st" + (i % 7), 144 + i * 1e-4)
              .signalStrengthDbm(-120 + i * 0.01)
              .snrDb(i % 5 == 0 ? null : 0.1 * i)
              .bearingDegrees(i % 360 + 0.5)
              .bearingUncertaintyDegrees(1e-7 * i)
              .signalQuality((i % 11) / 10.0)
              .arrivalTimeUs(i % 3 == 0 ? null : Long.MAX_VALUE - i)
              .measurementErrorCode(i < awkward.length ? awkward[i] : null)
              .createdAt(
                  i % 2 == 0
                      ? Instant.parse("2026-02-03T04:05:06.789012Z").plusNanos(i * 1000L)
                      : null);
      rows.add(b.build());
    }
    Instant before = Instant.now().minusSeconds(1);
    assertThat(db.ingest().ingest(rows, method)).isEqualTo(rows.size());

    List<SignalMeasurement> stored = db.measurements().findByTask(task.id());
    assertThat(stored).hasSize(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      SignalMeasurement expected = rows.get(i);
      SignalMeasurement actual = stored.get(i);
      Instant createdAt = expected.createdAt() != null ? expected.createdAt() : actual.createdAt();
      assertThat(actual)
          .isEqualTo(
              new SignalMeasurement(
                  actual.id(),
                  expected.taskId(),
                  expected.stationName(),
                  expected.frequencyMhz(),
                  expected.signalStrengthDbm(),
                  expected.bearingDegrees(),
                  expected.bearingUncertaintyDegrees(),
                  expected.signalQuality(),
                  expected.snrDb(),
                  expected.arrivalTimeUs(),
                  expected.measurementErrorCode(),
                  createdAt));
      if (expected.createdAt() == null) {
        assertThat(actual.createdAt()).isAfter(before);
      }
    }
    List<Instant> stamped =
        stored.stream()
            .filter(m -> m.stationName() != null)
            .map(SignalMeasurement::createdAt)
            .distinct()
            .collect(Collectors.toList());
    assertThat(stamped).hasSizeGreaterThan(1);
  }

  @ParameterizedTest
  @EnumSource(MeasurementIngest.Method.class)
  void aRejectedRowRollsBackTheWholeCall(MeasurementIngest.Method method) {
    Task task = Task.builder().build();
    db.tasks().insert(task);
    List<SignalMeasurement> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      // Row 2,500 belongs to a task that does not exist: the foreign key rejects it.
      UUID owner = i == 2500 ? UUID.randomUUID() : task.id();
      rows.add(SignalMeasurement.builder(owner, "Torino", 145.5).build());
    }
    long total = count();
    assertThatThrownBy(() -> db.ingest().ingest(rows, method))
        .isInstanceOf(ConstraintViolationException.class)
        .satisfies(
            e ->
                assertThat(((ConstraintViolationException) e).constraint())
                    .isEqualTo("signal_measurements_task_id_fkey"));
    assertThat(count()).isEqualTo(total);
    assertThat(db.measurements().countByTask(task.id())).isZero();
    // The pool's connection is usable afterwards (the failed transaction was rolled back).
    assertThat(db.ingest().ingest(rows.subList(0, 10), method)).isEqualTo(10);
  }

  private static long count() {
    return db.jdbi()
        .withHandle(
            h -> h.createQuery("SELECT count(*) FROM signal_measurements").mapTo(Long.class).one());
  }
}
