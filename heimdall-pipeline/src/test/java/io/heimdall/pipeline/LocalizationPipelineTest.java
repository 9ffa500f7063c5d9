package io.heimdall.pipeline;

import io.heimdall.InvalidInputException;
import io.heimdall.pipeline.simulation.TransmissionSimulator;
import io.heimdall.pipeline.simulation.SimulatedTasks;
import io.heimdall.pipeline.simulation.SimulatedTransmission;
import io.heimdall.pipeline.simulation.Transmitter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskStatus;
import io.heimdall.core.TaskWithDetails;
import io.heimdall.core.db.HeimdallDatabase;
import io.heimdall.core.db.QueueOptions;
import io.heimdall.core.metrics.HeimdallMetrics;
import io.heimdall.inference.Device;
import io.heimdall.locate.LocationEstimate;
import io.heimdall.locate.Localizer;
import io.heimdall.locate.Method;
import io.heimdall.locate.Reading;
import io.heimdall.locate.Station;
import io.heimdall.pipeline.simulation.ReferenceStations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalizationPipelineTest {

  private static final TransmissionSimulator SIMULATOR =
      TransmissionSimulator.builder().seed(3).build();
  private static final SimulatedTasks SIMULATED = new SimulatedTasks(SIMULATOR);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static HeimdallDatabase db;
  private final List<LocalizationPipeline> opened = new ArrayList<>();

  @BeforeAll
  static void database() {
    db = PipelineDatabases.fresh();
  }

  @AfterAll
  static void closeDatabase() {
    db.close();
  }

  @AfterEach
  void closePipelines() {
    opened.forEach(LocalizationPipeline::close);
  }

  private LocalizationPipeline.Builder builder(RecordingSource source) {
    return LocalizationPipeline.builder(db, source)
        .device(Device.CPU)
        .pollInterval(Duration.ofMillis(20));
  }

  private LocalizationPipeline open(LocalizationPipeline.Builder builder) {
    LocalizationPipeline pipeline = builder.build();
    opened.add(pipeline);
    return pipeline;
  }

  @Test
  void tasksFlowFromTheQueueToStoredCachedResults() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LocalizationPipeline pipeline =
        open(builder(SIMULATED).workers(2).tasksPerWorker(2).meterRegistry(registry));
    List<Task> tasks = SIMULATED.tasks(0, 6, Instant.now());
    pipeline.submit(tasks);
    pipeline.start();
    assertThat(pipeline.awaitProcessed(6, WAIT)).isTrue();

    PipelineStats stats = pipeline.stats();
    assertThat(stats.completed()).isEqualTo(6);
    assertThat(stats.failed()).isZero();
    assertThat(stats.measurements()).isEqualTo(42);
    assertThat(stats.dsp()).isPositive();
    assertThat(stats.inference()).isPositive();
    assertThat(stats.dbWrite()).isPositive();
    assertThat(pipeline.recycledWorkers())
        .as("2 workers × 2 tasks each, then replaced")
        .isGreaterThanOrEqualTo(1);

    List<TaskWithDetails> stored =
        db.queries().tasksWithDetails(tasks.stream().map(Task::id).collect(Collectors.toList()));
    assertThat(stored).hasSize(6);
    for (TaskWithDetails details : stored) {
      assertThat(details.task().status()).isEqualTo(TaskStatus.COMPLETED);
      assertThat(details.measurements()).hasSize(7);
      // one identity per receiver: measurements carry the station ids
      assertThat(details.measurements().stream().map(m -> m.stationName()))
          .containsExactlyInAnyOrderElementsOf(
              ReferenceStations.ALL.stream().map(Station::id).toList());
      TaskResult result = details.result().orElseThrow();
      assertThat(result.stationsUsed()).isEqualTo(7);
      assertThat(result.measurementsUsed()).isEqualTo(7);
      assertThat(result.algorithmVersion()).isEqualTo("heimdall-bayes-1");
      assertThat(result.regionLevel()).isEqualTo(0.9);
      assertThat(result.confidence()).isBetween(0.5, 1.0);
      // 1 sigma per axis is the square root of the covariance's diagonal
      assertThat(result.latitudeUncertaintyM())
          .isCloseTo(Math.sqrt(result.covarianceNnM2()), within(1e-6));
      assertThat(result.longitudeUncertaintyM())
          .isCloseTo(Math.sqrt(result.covarianceEeM2()), within(1e-6));
      Transmitter truth = SIMULATED.transmitter(details.task());
      assertThat(truth.errorMetres(result.latitude(), result.longitude())).isLessThan(60_000);
    }

    UUID first = tasks.get(0).id();
    TaskResult fromDb = db.results().findByTask(first).orElseThrow();
    assertThat(pipeline.result(first)).contains(fromDb);
    assertThat(pipeline.result(first)).contains(fromDb);
    assertThat(pipeline.cacheStats().misses()).isEqualTo(1);
    assertThat(pipeline.cacheStats().hits()).isEqualTo(1);
    assertThat(pipeline.result(UUID.randomUUID())).isEmpty();
    assertThat(
            registry
                .get(HeimdallMetrics.REQUEST_LATENCY)
                .tags("operation", "result.get")
                .timer()
                .count())
        .isEqualTo(3);
    assertThat(
            registry
                .get(HeimdallMetrics.TASK_DURATION)
                .tags("outcome", "completed")
                .timer()
                .count())
        .isEqualTo(6);
  }

  @Test
  void localizeGivesTheLocalizersEstimateForTheMeasuredReadings() {
    LocalizationPipeline pipeline = open(builder(SIMULATED));
    SimulatedTransmission transmission = SIMULATOR.simulate(11);
    Localization localization = pipeline.localize(transmission.recordings());

    // independent path: the readings the stage measured, through a localiser of our own
    List<Reading> readings = new ArrayList<>();
    for (StationReading reading : localization.readings()) {
      readings.add(
          reading.detected()
              ? Reading.heard(reading.station(), reading.powerDbm())
              : Reading.silent(reading.station(), reading.powerDbm()));
    }
    try (Localizer reference = Localizer.builder().device(Device.CPU).build()) {
      LocationEstimate expected = reference.locate(ReferenceStations.AREA, readings);
      LocationEstimate actual = localization.estimate();
      assertThat(actual.latitude()).isCloseTo(expected.latitude(), within(1e-9));
      assertThat(actual.longitude()).isCloseTo(expected.longitude(), within(1e-9));
      assertThat(actual.covariance()).isEqualTo(expected.covariance());
      assertThat(actual.boundM()).isEqualTo(expected.boundM());
    }
    assertThat(localization.estimate().method()).isEqualTo(Method.BAYES);
    assertThat(localization.estimate().receivers()).isEqualTo(7);
  }

  @Test
  void aMissingReceiverIsLeftOutOfTheEstimate() {
    LocalizationPipeline pipeline = open(builder(SIMULATED));
    List<IqRecording> all = SIMULATOR.simulate(4).recordings();
    Localization withoutMilan = pipeline.localize(all.subList(0, 6));
    assertThat(withoutMilan.readings()).hasSize(6);
    assertThat(withoutMilan.estimate().receivers()).isEqualTo(6);
  }

  @Test
  void badRecordingSetsAreRejectedWithTheirReason() {
    LocalizationPipeline pipeline = open(builder(SIMULATED));
    List<IqRecording> all = SIMULATOR.simulate(0).recordings();
    assertThatThrownBy(() -> pipeline.localize(List.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("at least one recording");
    assertThatThrownBy(() -> pipeline.localize(List.of(all.get(0), all.get(0))))
        .hasMessageContaining("two recordings from station 'aquila-di-giaveno'");
    IqRecording stranger =
        new IqRecording(Station.of("nowhere", "Nowhere", 1, 1), 145.0, 12_500, all.get(0).iq());
    assertThatThrownBy(() -> pipeline.localize(List.of(stranger)))
        .hasMessageContaining("unknown station 'nowhere'");
    float[] nan = all.get(1).iq().clone();
    nan[10] = Float.NaN;
    IqRecording broken = new IqRecording(all.get(1).station(), 145.0, 12_500, nan);
    assertThatThrownBy(() -> pipeline.localize(List.of(broken))).hasMessageContaining("NaN");
  }

  @Test
  void aFailingAttemptIsRetriedAndStoresItsMeasurementsOnce() throws Exception {
    Map<UUID, AtomicInteger> attempts = new ConcurrentHashMap<>();
    RecordingSource flaky =
        task -> {
          List<IqRecording> recordings = SIMULATED.recordings(task);
          if (attempts.computeIfAbsent(task.id(), id -> new AtomicInteger()).incrementAndGet()
              == 1) {
            throw new IllegalStateException("receiver timed out");
          }
          return recordings;
        };
    LocalizationPipeline pipeline =
        open(builder(flaky).workers(1).queueOptions(new QueueOptions(Duration.ofSeconds(30), 3)));
    List<Task> tasks = SIMULATED.tasks(20, 2, Instant.now());
    pipeline.submit(tasks);
    pipeline.start();
    assertThat(pipeline.awaitProcessed(2, WAIT)).isTrue();
    assertThat(pipeline.stats().retried()).isEqualTo(2);
    assertThat(pipeline.stats().completed()).isEqualTo(2);
    for (Task task : tasks) {
      assertThat(db.measurements().countByTask(task.id())).isEqualTo(7);
      assertThat(db.tasks().findById(task.id()).orElseThrow().status())
          .isEqualTo(TaskStatus.COMPLETED);
    }
  }

  @Test
  void aTaskThatKeepsFailingEndsFailedWithItsMessage() throws Exception {
    LocalizationPipeline pipeline =
        open(
            builder(
                    task -> {
                      throw new IllegalStateException("no receiver answered");
                    })
                .workers(1)
                .queueOptions(new QueueOptions(Duration.ofSeconds(30), 2)));
    Task task = SIMULATED.tasks(30, 1, Instant.now()).get(0);
    pipeline.submit(List.of(task));
    pipeline.start();
    assertThat(pipeline.awaitProcessed(1, WAIT)).isTrue();
    assertThat(pipeline.stats().failed()).isEqualTo(1);
    assertThat(pipeline.stats().retried()).isEqualTo(1);
    Task stored = db.tasks().findById(task.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(stored.errorMessage()).isEqualTo("no receiver answered");
    assertThat(db.results().findByTask(task.id())).isEmpty();
  }

  @Test
  void workersAreDaemonsAndStopOnClose() throws Exception {
    LocalizationPipeline pipeline = builder(SIMULATED).workers(3).build();
    pipeline.start();
    List<Thread> workers = workerThreads();
    assertThat(workers).hasSize(3).allMatch(Thread::isDaemon);
    pipeline.close();
    for (Thread worker : workers) {
      worker.join(5_000);
      assertThat(worker.isAlive()).isFalse();
    }
    assertThatThrownBy(() -> pipeline.submit(List.of())).hasMessageContaining("closed");
    pipeline.close();
  }

  @Test
  void badSettingsAreNamed() {
    assertThatThrownBy(() -> builder(SIMULATED).workers(0).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("workers")
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> builder(SIMULATED).tasksPerWorker(0).build())
        .hasMessageContaining("tasksPerWorker");
    assertThatThrownBy(
            () -> builder(SIMULATED).stations(ReferenceStations.ALL.subList(0, 2)).build())
        .hasMessageContaining("stations must be at least three, got 2");
    assertThatThrownBy(() -> builder(SIMULATED).pollInterval(Duration.ZERO).build())
        .hasMessageContaining("pollInterval");
  }

  private static List<Thread> workerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("heimdall-pipeline-worker-") && t.isAlive())
        .collect(Collectors.toList());
  }
}
