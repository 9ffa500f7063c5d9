package io.heimdall.bench;

import io.heimdall.inference.Device;
import io.heimdall.inference.FloatTensor;
import io.heimdall.inference.InferenceEngine;
import io.heimdall.inference.InferenceResult;
import io.heimdall.inference.MicroBatcher;
import io.heimdall.inference.ReferenceModels;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * heimdall-inference on the CPU, every figure against a baseline measured in the same run.
 *
 * <ul>
 *   <li>{@code cnnDirect} / {@code cnnHeap}: the untrained reference CNN ({@code [N,128,431]} mel
 *       input) at batch 1, 8, 32, 64, fed from a direct native-order buffer (zero copy) versus a
 *       heap buffer (ONNX Runtime copies it). Time per call; divide by the batch for per-sample.
 *   <li>{@code cnnBatcher} versus {@code cnnRows} and {@code cnnDirect}: the micro-batcher at
 *       saturation (the next full batch of single-sample requests is always queued while one runs)
 *       against direct batch calls of the same size on the same {@code float[]} samples ({@code
 *       cnnRows}, which packs them like the batcher does) and on a pre-packed direct tensor.
 *   <li>{@code centroidBatcher} versus {@code centroidRows}: per-sample time at saturation through
 *       the batcher and through direct batch calls of 64 on the weighted-centroid model, whose own
 *       compute is tiny: the difference is the batcher's per-request cost. {@code
 *       centroidOneRequest} versus {@code centroidOneDirect}: the round trip of a lone request (two
 *       thread hand-offs) against a direct call of one sample.
 *   <li>{@code cnnInt8} versus {@code cnnDirect} at batch 32: the CNN with dynamically quantised
 *       int8 convolutions (ConvInteger) against fp32.
 *   <li>{@code cnnInt8Static} versus {@code cnnDirect} at batch 32: the CNN statically quantised in
 *       mixed precision against fp32: the first layer (input normalisation, the one-channel
 *       convolution, max pooling) in fp32, the rest QDQ with per-channel int8 weights and
 *       calibrated uint8 activations, which ONNX Runtime runs as QLinearConv. Where the time goes:
 *       {@code io.heimdall.bench.models.StaticInt8Profile}.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class InferenceBench {

  static float[][] randomRows(int rows, int size, long seed, float low, float high) {
    Random random = new Random(seed);
    float[][] values = new float[rows][size];
    for (float[] row : values) {
      for (int i = 0; i < size; i++) {
        row[i] = low + (high - low) * random.nextFloat();
      }
    }
    return values;
  }

  static void fill(FloatTensor tensor, float[][] rows) {
    FloatBuffer target = tensor.writableBuffer();
    for (float[] row : rows) {
      target.put(row);
    }
  }

  /** The CNN at one batch size, with its inputs ready in direct and heap memory. */
  @State(Scope.Benchmark)
  public static class Cnn {
    @Param({"1", "8", "32", "64"})
    int batch;

    InferenceEngine engine;
    MicroBatcher batcher;
    FloatTensor direct;
    FloatTensor heap;
    float[][] samples;
    final Pipeline pipeline = new Pipeline();

    @Setup(Level.Trial)
    public void setUp() {
      engine =
          InferenceEngine.builder(ReferenceModels.localizationCnn())
              .device(Device.CPU)
              .maxBatchSize(batch)
              .build();
      batcher =
          MicroBatcher.builder(engine)
              .maxBatchSize(batch)
              .maxQueueDelay(Duration.ofMillis(50))
              .queueCapacity(4 * batch)
              .build();
      samples =
          randomRows(batch, ReferenceModels.MEL_BANDS * ReferenceModels.MEL_FRAMES, 1, -80, 0);
      direct =
          FloatTensor.allocateDirect(batch, ReferenceModels.MEL_BANDS, ReferenceModels.MEL_FRAMES);
      fill(direct, samples);
      heap = FloatTensor.of(direct.toArray(), direct.shape());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      pipeline.drain();
      batcher.close();
      engine.close();
    }
  }

  /** An int8 CNN at batch 32, input in a direct buffer. */
  @State(Scope.Benchmark)
  public static class CnnInt8 {
    @Param({"32"})
    int batch;

    InferenceEngine engine;
    FloatTensor direct;

    /** The model: the dynamically quantised CNN here, the static one in the subclass. */
    byte[] model() {
      return ReferenceModels.localizationCnnInt8();
    }

    @Setup(Level.Trial)
    public void setUp() {
      engine = InferenceEngine.builder(model()).device(Device.CPU).maxBatchSize(batch).build();
      direct =
          FloatTensor.allocateDirect(batch, ReferenceModels.MEL_BANDS, ReferenceModels.MEL_FRAMES);
      fill(
          direct,
          randomRows(batch, ReferenceModels.MEL_BANDS * ReferenceModels.MEL_FRAMES, 1, -80, 0));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      engine.close();
    }
  }

  /** The statically quantised (QDQ) int8 CNN at batch 32. */
  @State(Scope.Benchmark)
  public static class CnnInt8Static extends CnnInt8 {
    @Override
    byte[] model() {
      return ReferenceModels.localizationCnnInt8Static();
    }
  }

  /** The centroid model behind a batcher of 64. */
  @State(Scope.Benchmark)
  public static class Centroid {
    static final int BATCH = 64;
    InferenceEngine engine;
    MicroBatcher batcher;
    MicroBatcher lone;
    FloatTensor direct;
    FloatTensor one;
    float[][] samples;
    final Pipeline pipeline = new Pipeline();

    @Setup(Level.Trial)
    public void setUp() {
      engine =
          InferenceEngine.builder(ReferenceModels.weightedCentroid())
              .device(Device.CPU)
              .intraOpThreads(1)
              .build();
      batcher =
          MicroBatcher.builder(engine)
              .maxBatchSize(BATCH)
              .maxQueueDelay(Duration.ofMillis(50))
              .queueCapacity(4 * BATCH)
              .build();
      lone = MicroBatcher.builder(engine).maxQueueDelay(Duration.ZERO).build();
      samples = randomRows(BATCH, ReferenceModels.RECEIVERS.size(), 2, -120, -40);
      direct = FloatTensor.allocateDirect(BATCH, ReferenceModels.RECEIVERS.size());
      fill(direct, samples);
      one = FloatTensor.allocateDirect(1, ReferenceModels.RECEIVERS.size());
      fill(one, new float[][] {samples[0]});
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      pipeline.drain();
      lone.close();
      batcher.close();
      engine.close();
    }
  }

  /**
   * Keeps a batcher saturated from one thread: each call queues a full batch of single-sample
   * requests, then waits for the batch queued by the previous call, so the worker always finds the
   * next batch waiting when it finishes one.
   */
  static final class Pipeline {
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

    Object next(MicroBatcher batcher, float[][] samples) {
      @SuppressWarnings("unchecked")
      CompletableFuture<InferenceResult>[] futures = new CompletableFuture[samples.length];
      for (int i = 0; i < samples.length; i++) {
        futures[i] = batcher.submit(samples[i]);
      }
      CompletableFuture<Void> current = CompletableFuture.allOf(futures);
      previous.join();
      previous = current;
      return current;
    }

    void drain() {
      previous.join();
    }
  }

  @Benchmark
  public InferenceResult cnnDirect(Cnn cnn) {
    return cnn.engine.run(cnn.direct);
  }

  @Benchmark
  public InferenceResult cnnHeap(Cnn cnn) {
    return cnn.engine.run(cnn.heap);
  }

  @Benchmark
  public InferenceResult cnnInt8(CnnInt8 cnn) {
    return cnn.engine.run(cnn.direct);
  }

  @Benchmark
  public InferenceResult cnnInt8Static(CnnInt8Static cnn) {
    return cnn.engine.run(cnn.direct);
  }

  @Benchmark
  public InferenceResult cnnRows(Cnn cnn) {
    return cnn.engine.run(cnn.samples);
  }

  @Benchmark
  public Object cnnBatcher(Cnn cnn) {
    return cnn.pipeline.next(cnn.batcher, cnn.samples);
  }

  @Benchmark
  @OperationsPerInvocation(Centroid.BATCH)
  public InferenceResult centroidRows(Centroid centroid) {
    return centroid.engine.run(centroid.samples);
  }

  @Benchmark
  @OperationsPerInvocation(Centroid.BATCH)
  public Object centroidBatcher(Centroid centroid) {
    return centroid.pipeline.next(centroid.batcher, centroid.samples);
  }

  @Benchmark
  public InferenceResult centroidOneDirect(Centroid centroid) {
    return centroid.engine.run(centroid.one);
  }

  @Benchmark
  public InferenceResult centroidOneRequest(Centroid centroid) {
    return centroid.lone.submit(centroid.samples[0]).join();
  }
}
