package io.heimdall.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The micro-batcher's two ways of losing a request for good: an {@code Error} while a batch runs,
 * and a submit racing a close whose join timed out. Each test bounds every wait, so that a lost
 * request fails the test instead of hanging it.
 */
class MicroBatcherRaceTest {

  static InferenceEngine centroid;
  static InferenceEngine cnn;
  static ExecutorService threads;

  @BeforeAll
  static void load() {
    centroid = MicroBatcherTest.centroidOnCpu();
    cnn = MicroBatcherTest.busyCnn();
    threads = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void close() {
    threads.shutdownNow();
    centroid.close();
    cnn.close();
  }

  /**
   * A registry whose {@value InferenceEngine#METRIC_RUN} timer throws the armed error once, from
   * inside {@code InferenceEngine.run}: to the batcher, the engine threw it.
   */
  static final class FailingRunTimer extends SimpleMeterRegistry {
    final AtomicReference<Error> next = new AtomicReference<>();

    @Override
    protected Timer newTimer(
        Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
      Timer real = super.newTimer(id, config, pauseDetector);
      if (!id.getName().equals(InferenceEngine.METRIC_RUN)) {
        return real;
      }
      return (Timer)
          Proxy.newProxyInstance(
              Timer.class.getClassLoader(),
              new Class<?>[] {Timer.class},
              (proxy, method, args) -> {
                if (method.getName().equals("record")
                    && args != null
                    && args.length == 2
                    && args[1] instanceof TimeUnit) {
                  Error error = next.getAndSet(null);
                  if (error != null) {
                    throw error;
                  }
                }
                try {
                  return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }

  @Test
  void anErrorWhileABatchRunsFailsThatBatchAndTheWorkerCarriesOn() throws Exception {
    FailingRunTimer registry = new FailingRunTimer();
    float[][] powers = TestModels.powers(6, 40);
    InferenceResult expected = centroid.run(powers);
    try (InferenceEngine engine =
            InferenceEngine.builder(ReferenceModels.weightedCentroid())
                .device(Device.CPU)
                .meterRegistry(registry)
                .build();
        MicroBatcher batcher =
            MicroBatcher.builder(engine)
                .maxBatchSize(3)
                .maxQueueDelay(Duration.ofSeconds(1))
                .build()) {
      OutOfMemoryError error = new OutOfMemoryError("simulated: the engine ran out of memory");
      registry.next.set(error);
      List<CompletableFuture<InferenceResult>> failed = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        failed.add(batcher.submit(powers[i]));
      }
      for (CompletableFuture<InferenceResult> future : failed) {
        assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isSameAs(error);
      }
      List<CompletableFuture<InferenceResult>> later = new ArrayList<>();
      for (int i = 3; i < 6; i++) {
        later.add(batcher.submit(powers[i]));
      }
      for (int i = 3; i < 6; i++) {
        InferenceEngineTest.assertWithinUlps(
            later.get(i - 3).get(5, TimeUnit.SECONDS), expected.sample(i), "sample " + i);
      }
    }
  }

  @RepeatedTest(10)
  void aSubmitRacingACloseWhoseJoinTimedOutIsCompletedOrRefused() throws Exception {
    MicroBatcher batcher = MicroBatcher.builder(cnn).closeTimeout(Duration.ZERO).build();
    MicroBatcherTest.HeldWorker held = MicroBatcherTest.occupyWorker(batcher);
    CountDownLatch checked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    batcher.afterAdmissionCheck =
        () -> {
          checked.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Future<CompletableFuture<InferenceResult>> submitted =
        threads.submit(() -> batcher.submit(MicroBatcherTest.MORE[0]));
    assertThat(checked.await(5, TimeUnit.SECONDS)).as("submitter passed the check").isTrue();
    batcher.close();
    assertThat(MicroBatcherTest.workerOf(batcher).isAlive())
        .as("close timed out while the worker ran a batch")
        .isTrue();
    release.countDown();
    held.release();
    try {
      CompletableFuture<InferenceResult> accepted = submitted.get(5, TimeUnit.SECONDS);
      try {
        assertThat(accepted.get(5, TimeUnit.SECONDS).batchSize()).isEqualTo(1);
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(BatcherClosedException.class);
      }
    } catch (ExecutionException refused) {
      assertThat(refused.getCause())
          .isInstanceOf(BatcherClosedException.class)
          .hasMessage("micro-batcher is closed");
    }
    for (CompletableFuture<InferenceResult> future : held.busy) {
      assertThat(future.get(10, TimeUnit.SECONDS).batchSize()).isEqualTo(1);
    }
  }

  @Test
  void everyAcceptedRequestCompletesWhenSixSubmittersRaceACloseWithNoTimeout() throws Exception {
    Random random = new Random(16);
    float[] sample = TestModels.powers(1, 41)[0];
    int lossyRuns = 0;
    long lost = 0;
    long acceptedTotal = 0;
    for (int run = 0; run < 300; run++) {
      MicroBatcher batcher =
          MicroBatcher.builder(centroid)
              .closeTimeout(Duration.ZERO)
              .maxQueueDelay(Duration.ZERO)
              .build();
      AtomicLong accepted = new AtomicLong();
      AtomicLong completed = new AtomicLong();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> submitters = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        submitters.add(
            threads.submit(
                () -> {
                  start.await();
                  while (true) {
                    try {
                      batcher.submit(sample).whenComplete((r, e) -> completed.incrementAndGet());
                      accepted.incrementAndGet();
                    } catch (BatcherClosedException e) {
                      return null;
                    } catch (QueueFullException e) {
                      Thread.onSpinWait();
                    }
                  }
                }));
      }
      start.countDown();
      long closeAt = System.nanoTime() + random.nextInt(500_000);
      while (System.nanoTime() < closeAt) {
        Thread.onSpinWait();
      }
      batcher.close();
      for (Future<?> submitter : submitters) {
        submitter.get(10, TimeUnit.SECONDS);
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (completed.get() < accepted.get() && System.nanoTime() < until) {
        Thread.sleep(1);
      }
      acceptedTotal += accepted.get();
      if (completed.get() < accepted.get()) {
        lossyRuns++;
        lost += accepted.get() - completed.get();
      }
    }
    assertThat(acceptedTotal).as("requests accepted over 300 runs").isPositive();
    assertThat(lost)
        .as("requests never completed (in %d of 300 runs, %d accepted)", lossyRuns, acceptedTotal)
        .isZero();
  }
}
