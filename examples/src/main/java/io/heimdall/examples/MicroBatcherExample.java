package io.heimdall.examples;

import io.heimdall.inference.Device;
import io.heimdall.inference.InferenceEngine;
import io.heimdall.inference.InferenceResult;
import io.heimdall.inference.Location;
import io.heimdall.inference.MicroBatcher;
import io.heimdall.inference.ReferenceModels;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The dynamic micro-batcher: many callers each submit one sample and get a future; the batcher
 * groups what arrives within 2 ms (or up to 32 samples) into one ONNX Runtime run.
 *
 * <pre>java -cp examples/target/heimdall-examples.jar io.heimdall.examples.MicroBatcherExample [callers]
 * </pre>
 */
public final class MicroBatcherExample {

  private MicroBatcherExample() {}

  /** Runs the example; {@code args[0]} is the number of concurrent callers (default 8). */
  public static void main(String[] args) throws Exception {
    run(System.out, args.length > 0 ? Integer.parseInt(args[0]) : 8);
  }

  /** {@code callers} threads submit 100 requests each; prints what the batcher made of them. */
  public static void run(PrintStream out, int callers) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (InferenceEngine engine =
            InferenceEngine.builder(ReferenceModels.weightedCentroid())
                .device(Device.AUTO)
                .build();
        MicroBatcher batcher =
            MicroBatcher.builder(engine)
                .maxBatchSize(32)
                .maxQueueDelay(Duration.ofMillis(2))
                .defaultDeadline(Duration.ofSeconds(5))
                .meterRegistry(registry)
                .build()) {
      List<CompletableFuture<Location>> answers = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int caller = c;
        Thread thread =
            new Thread(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    // a strong signal at receiver (caller mod 7): the answer lies next to that
                    // receiver
                    float[] powers = {-110, -110, -110, -110, -110, -110, -110};
                    powers[caller % 7] = -60;
                    CompletableFuture<InferenceResult> result = batcher.submit(powers);
                    synchronized (answers) {
                      answers.add(result.thenApply(r -> Location.decode(r).get(0)));
                    }
                  }
                });
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get();
      DistributionSummary batches = registry.get(MicroBatcher.METRIC_BATCH_SIZE).summary();
      out.printf(
          Locale.ROOT,
          "%d answers from %d batched runs (mean batch %.1f, largest %.0f)%n",
          answers.size(),
          batches.count(),
          batches.mean(),
          batches.max());
      Location one = answers.get(0).get();
      out.printf(Locale.ROOT, "one answer: %.3f N %.3f E%n", one.latitude(), one.longitude());
    }
  }
}
