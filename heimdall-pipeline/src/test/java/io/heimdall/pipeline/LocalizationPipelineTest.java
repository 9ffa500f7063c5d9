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
import io.heimdall.inference.Location;
import io.heimdall.inference.Receiver;
import io.heimdall.inference.ReferenceModels;
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
      assertThat(details.measurements().stream().map(m -> m.stationName()).distinct()).hasSize(7);
      TaskResult result = details.result().orElseThrow();
      assertThat(result.stationsUsed()).isEqualTo(7);
      assertThat(result.measurementsUsed()).isEqualTo(7);
      assertThat(result.algorithmVersion())
          .isEqualTo(LocalizationPipeline.WEIGHTED_CENTROID_VERSION);
      assertThat(result.confidence()).isBetween(0.0, 1.0);
      assertThat(result.latitudeUncertaintyM())
          .isGreaterThanOrEqualTo(ReferenceModels.UNCERTAINTY_FLOOR_M);
      // the weighted centroid lies inside the receivers' hull, near Turin
      Transmitter truth = SIMULATED.transmitter(details.task());
      assertThat(truth.errorMetres(result.latitude(), result.longitude())).isLessThan(150_000);
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
  void localizeGivesTheAmplitudeWeightedCentroidOfTheReceivers() {
    LocalizationPipeline pipeline = open(builder(SIMULATED));
    SimulatedTransmission transmission = SIMULATOR.simulate(11);
    Localization localization = pipeline.localize(transmission.recordings());

    // independent reference: weights ∝ 10^(dBm/20), mean of the receivers' coordinates
    double sum = 0;
    double lat = 0;
    double lon = 0;
    for (StationReading reading : localization.readings()) {
      Receiver receiver = receiverNamed(reading.stationName());
      double w = Math.pow(10, reading.powerDbm() / 20);
      sum += w;
      lat += w * receiver.latitude();
      lon += w * receiver.longitude();
    }
    Location location = localization.location();
    assertThat(location.latitude()).isCloseTo(lat / sum, within(1e-4));
    assertThat(location.longitude()).isCloseTo(lon / sum, within(1e-4));
    double sigma2 =
        (Math.pow(location.latitudeUncertaintyM(), 2)
                + Math.pow(location.longitudeUncertaintyM(), 2))
            / 2;
    assertThat(localization.confidence())
        .isCloseTo(1 - Math.exp(-1e8 / (2 * sigma2)), within(1e-9));
  }

  @Test
  void aMissingReceiverGetsNoWeight() {
    LocalizationPipeline pipeline = open(builder(SIMULATED));
    List<IqRecording> all = SIMULATOR.simulate(4).recordings();
    Localization withoutMilan = pipeline.localize(all.subList(0, 6));
    assertThat(withoutMilan.readings()).hasSize(6);
    double sum = 0;
    double lat = 0;
    for (StationReading reading : withoutMilan.readings()) {
      double w = Math.pow(10, reading.powerDbm() / 20);
      sum += w;
      lat += w * receiverNamed(reading.stationName()).latitude();
    }
    assertThat(withoutMilan.location().latitude()).isCloseTo(lat / sum, within(1e-4));
  }

  @Test
  void badRecordingSetsAreRejectedWithTheirReason() {
    LocalizationPipeline pipeline = open(builder(SIMULATED));
    List<IqRecording> all = SIMULATOR.simulate(0).recordings();
    assertThatThrownBy(() -> pipeline.localize(List.of()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("at least one recording");
    assertThatThrownBy(() -> pipeline.localize(List.of(all.get(0), all.get(0))))
        .hasMessageContaining("two recordings from receiver 'Aquila di Giaveno'");
    IqRecording stranger =
        new IqRecording(new Receiver("Nowhere", 1, 1), 145.0, 12_500, all.get(0).iq());
    assertThatThrownBy(() -> pipeline.localize(List.of(stranger)))
        .hasMessageContaining("unknown receiver 'Nowhere'");
    float[] nan = all.get(1).iq().clone();
    nan[10] = Float.NaN;
    IqRecording broken = new IqRecording(all.get(1).receiver(), 145.0, 12_500, nan);
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
            () -> builder(SIMULATED).receivers(ReferenceModels.RECEIVERS.subList(0, 3)).build())
        .hasMessageContaining("expected [N,3]");
    assertThatThrownBy(() -> builder(SIMULATED).pollInterval(Duration.ZERO).build())
        .hasMessageContaining("pollInterval");
  }

  private static List<Thread> workerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("heimdall-pipeline-worker-") && t.isAlive())
        .collect(Collectors.toList());
  }

  private static Receiver receiverNamed(String name) {
    return ReferenceModels.RECEIVERS.stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
