package io.heimdall.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heimdall.InvalidInputException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {

  static InferenceEngine centroid;
  static InferenceEngine cnn;

  @BeforeAll
  static void load() {
    centroid = centroidOnCpu();
    cnn = busyCnn();
  }

  static InferenceEngine centroidOnCpu() {
    return InferenceEngine.builder(ReferenceModels.weightedCentroid()).device(Device.CPU).build();
  }

  /** One thread and batches of 256: a busy worker stays busy for tens of milliseconds. */
  static InferenceEngine busyCnn() {
    return InferenceEngine.builder(ReferenceModels.localizationCnn())
        .device(Device.CPU)
        .intraOpThreads(1)
        .maxBatchSize(BUSY.length)
        .build();
  }

  @AfterAll
  static void close() {
    centroid.close();
    cnn.close();
  }

  static final float[][] BUSY = TestModels.mels(256, 99);
  static final float[][] MORE = TestModels.mels(4, 98);

  /**
   * The worker held inside its first batch (the busy futures) until {@link #release}: requests
   * submitted meanwhile stay queued however the threads are scheduled.
   */
  static final class HeldWorker implements AutoCloseable {
    final List<CompletableFuture<InferenceResult>> busy;
    private final CountDownLatch released;

    HeldWorker(List<CompletableFuture<InferenceResult>> busy, CountDownLatch released) {
      this.busy = busy;
      this.released = released;
    }

    void release() {
      released.countDown();
    }

    @Override
    public void close() {
      release();
    }
  }

  /**
   * Submits 256 CNN samples and returns once the worker has taken the last of them and stopped
   * before the engine, where it waits for {@link HeldWorker#release} (at most 30 s).
   */
  static HeldWorker occupyWorker(MicroBatcher batcher) throws Exception {
    assertThat(batcher.maxBatchSize()).isEqualTo(BUSY.length);
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    // the worker may take the 256 in more than one batch: hold the one that completes them
    AtomicInteger taken = new AtomicInteger();
    batcher.beforeRun =
        count -> {
          if (taken.addAndGet(count) < BUSY.length) {
            return;
          }
          batcher.beforeRun = c -> {};
          holding.countDown();
          try {
            released.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    List<CompletableFuture<InferenceResult>> busy = new ArrayList<>();
    for (float[] mel : BUSY) {
      busy.add(batcher.submit(mel, Duration.ofMinutes(1)));
    }
    assertThat(holding.await(5, TimeUnit.SECONDS)).as("worker took the batch").isTrue();
    assertThat(batcher.queued()).isZero();
    return new HeldWorker(busy, released);
  }

  @Test
  void manyThreadsEachGetTheirOwnAnswer() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    float[][] powers = TestModels.powers(1600, 21);
    InferenceResult direct = centroid.run(powers);
    ExecutorService callers = Executors.newFixedThreadPool(16);
    try (MicroBatcher batcher =
        MicroBatcher.builder(centroid)
            .maxBatchSize(32)
            .maxQueueDelay(Duration.ofMillis(1))
            .meterRegistry(registry)
            .build()) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int thread = t;
        done.add(
            callers.submit(
                () -> {
                  for (int i = thread; i < powers.length; i += 16) {
                    InferenceResult mine = batcher.submit(powers[i]).join();
                    assertThat(mine.batchSize()).isEqualTo(1);
                    InferenceEngineTest.assertWithinUlps(mine, direct.sample(i), "sample " + i);
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
      var sizes = registry.get(MicroBatcher.METRIC_BATCH_SIZE).summary();
      assertThat(sizes.totalAmount()).isEqualTo(1600);
      assertThat(sizes.max()).isLessThanOrEqualTo(32);
      assertThat(sizes.count()).as("requests were grouped").isLessThan(1600);
      assertThat(registry.get(MicroBatcher.METRIC_QUEUE_WAIT).timer().count()).isEqualTo(1600);
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void expiredRequestsFailWithATimeoutAndNeverRun() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (MicroBatcher batcher = MicroBatcher.builder(cnn).meterRegistry(registry).build();
        HeldWorker held = occupyWorker(batcher)) {
      CompletableFuture<InferenceResult> late = batcher.submit(MORE[0], Duration.ofNanos(1));
      CompletableFuture<InferenceResult> patient = batcher.submit(MORE[1], Duration.ofMinutes(1));
      held.release();
      assertThatThrownBy(late::join)
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(DeadlineExceededException.class)
          .hasMessageContaining("past its deadline; it was not run");
      assertThat(patient.join().batchSize()).isEqualTo(1);
      held.busy.forEach(CompletableFuture::join);
      assertThat(registry.get(MicroBatcher.METRIC_BATCH_SIZE).summary().totalAmount())
          .as("samples run")
          .isEqualTo(BUSY.length + 1);
      assertThat(
              registry
                  .get(MicroBatcher.METRIC_REJECTIONS)
                  .tag("reason", "deadline")
                  .counter()
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void theDefaultDeadlineAppliesToRequestsWithoutOne() throws Exception {
    try (MicroBatcher batcher =
            MicroBatcher.builder(cnn).defaultDeadline(Duration.ofMillis(1)).build();
        HeldWorker held = occupyWorker(batcher)) {
      CompletableFuture<InferenceResult> late = batcher.submit(MORE[0]);
      CompletableFuture<InferenceResult> patient = batcher.submit(MORE[1], Duration.ofMinutes(1));
      // past the 1 ms default deadline before the worker can look at it
      Thread.sleep(5);
      held.release();
      assertThatThrownBy(late::join).hasCauseInstanceOf(DeadlineExceededException.class);
      assertThat(patient.join().batchSize()).isEqualTo(1);
      assertThat(held.busy).allSatisfy(f -> assertThat(f).isDone());
    }
  }

  @Test
  void cancellingAQueuedRequestRemovesIt() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (MicroBatcher batcher = MicroBatcher.builder(cnn).meterRegistry(registry).build();
        HeldWorker held = occupyWorker(batcher)) {
      CompletableFuture<InferenceResult> unwanted = batcher.submit(MORE[2]);
      CompletableFuture<InferenceResult> wanted = batcher.submit(MORE[3]);
      assertThat(batcher.queued()).isEqualTo(2);
      assertThat(unwanted.cancel(false)).isTrue();
      assertThat(batcher.queued()).isEqualTo(1);
      assertThatThrownBy(unwanted::join).isInstanceOf(CancellationException.class);
      held.release();
      assertThat(wanted.join().batchSize()).isEqualTo(1);
      held.busy.forEach(CompletableFuture::join);
      assertThat(registry.get(MicroBatcher.METRIC_BATCH_SIZE).summary().totalAmount())
          .isEqualTo(BUSY.length + 1);
    }
  }

  @Test
  void aFullQueueRejectsWithATypedException() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<CompletableFuture<InferenceResult>> accepted = new ArrayList<>();
    // a long queue delay: the worker waits for a full batch, fed 3 at a time
    try (MicroBatcher batcher =
        MicroBatcher.builder(cnn)
            .queueCapacity(3)
            .maxQueueDelay(Duration.ofSeconds(30))
            .meterRegistry(registry)
            .build()) {
      for (int start = 0; start < BUSY.length; start += 3) {
        for (int i = start; i < Math.min(BUSY.length, start + 3); i++) {
          accepted.add(batcher.submit(BUSY[i]));
        }
        while (batcher.queued() > 0) {
          Thread.onSpinWait();
        }
      }
      for (int i = 0; i < 3; i++) {
        accepted.add(batcher.submit(MORE[i]));
      }
      assertThatThrownBy(() -> batcher.submit(MORE[3]))
          .isInstanceOf(QueueFullException.class)
          .hasMessage("micro-batcher queue is full (3 requests waiting); shed load or retry later");
      assertThat(
              registry
                  .get(MicroBatcher.METRIC_REJECTIONS)
                  .tag("reason", "queue_full")
                  .counter()
                  .count())
          .isEqualTo(1);
    }
    // close() ran the three queued requests without waiting out the queue delay
    assertThat(accepted)
        .hasSize(BUSY.length + 3)
        .allSatisfy(f -> assertThat(f.join().batchSize()).isEqualTo(1));
  }

  @Test
  void closeFinishesQueuedWorkThenRefusesAndStopsTheDaemonWorker() {
    MicroBatcher batcher =
        MicroBatcher.builder(centroid).maxQueueDelay(Duration.ofSeconds(10)).build();
    Thread worker = workerOf(batcher);
    assertThat(worker.isDaemon()).isTrue();
    List<CompletableFuture<InferenceResult>> queued = new ArrayList<>();
    for (float[] power : TestModels.powers(5, 8)) {
      queued.add(batcher.submit(power));
    }
    long started = System.nanoTime();
    batcher.close();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
        .as("close does not wait out the delay")
        .isLessThan(5_000);
    assertThat(queued).allSatisfy(f -> assertThat(f.join().batchSize()).isEqualTo(1));
    assertThat(worker.isAlive()).isFalse();
    assertThatThrownBy(() -> batcher.submit(new float[7]))
        .isInstanceOf(BatcherClosedException.class)
        .hasMessage("micro-batcher is closed");
    batcher.close();
  }

  @Test
  void closeFailsWhatIsStillQueuedAfterTheTimeout() throws Exception {
    MicroBatcher batcher = MicroBatcher.builder(cnn).closeTimeout(Duration.ZERO).build();
    HeldWorker held = occupyWorker(batcher);
    CompletableFuture<InferenceResult> waiting = batcher.submit(MORE[0]);
    batcher.close();
    assertThatThrownBy(waiting::join)
        .hasCauseInstanceOf(BatcherClosedException.class)
        .hasMessageContaining("closed before this request ran");
    held.release();
    held.busy.forEach(CompletableFuture::join);
    workerOf(batcher).join(10_000);
    assertThat(workerOf(batcher).isAlive()).isFalse();
  }

  @Test
  void badSamplesAndSettingsAreRefusedAtOnce() {
    try (MicroBatcher batcher = MicroBatcher.builder(centroid).build()) {
      assertThatThrownBy(() -> batcher.submit(new float[6]))
          .isInstanceOf(InputShapeException.class)
          .hasMessage("input 'power_dbm': sample has 6 values; expected 7 (one sample of [N,7])");
      assertThatThrownBy(() -> batcher.submit(new float[7], Duration.ZERO))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("deadline must be positive");
    }
    assertThatThrownBy(() -> MicroBatcher.builder(centroid).maxBatchSize(65).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("maxBatchSize must be 1 to the engine's maxBatchSize 64, got 65");
    assertThatThrownBy(() -> MicroBatcher.builder(centroid).queueCapacity(0).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("queueCapacity");
    try (InferenceEngine two =
        InferenceEngine.builder(TestModels.twoInputs()).device(Device.CPU).build()) {
      assertThatThrownBy(() -> MicroBatcher.builder(two).build())
          .isInstanceOf(InputNameException.class)
          .hasMessageContaining("single-input");
    }
  }

  @Test
  void aNonFiniteSampleFailsAloneWhenTheEngineRejectsThem() {
    try (InferenceEngine strict =
            InferenceEngine.builder(ReferenceModels.weightedCentroid())
                .device(Device.CPU)
                .rejectNonFinite(true)
                .build();
        MicroBatcher batcher =
            MicroBatcher.builder(strict).maxQueueDelay(Duration.ofMillis(20)).build()) {
      float[][] powers = TestModels.powers(3, 30);
      CompletableFuture<InferenceResult> before = batcher.submit(powers[0]);
      powers[1][3] = Float.NEGATIVE_INFINITY;
      assertThatThrownBy(() -> batcher.submit(powers[1]))
          .isInstanceOf(NonFiniteInputException.class)
          .hasMessage(
              "input 'power_dbm' holds -Infinity at sample 0, element 3; expected finite values");
      CompletableFuture<InferenceResult> after = batcher.submit(powers[2]);
      assertThat(before.join().batchSize()).isEqualTo(1);
      assertThat(after.join().batchSize()).isEqualTo(1);
    }
  }

  static Thread workerOf(MicroBatcher batcher) {
    try {
      var field = MicroBatcher.class.getDeclaredField("worker");
      field.setAccessible(true);
      return (Thread) field.get(batcher);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
