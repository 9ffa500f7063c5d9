package io.heimdall.inference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Dynamic micro-batcher in front of a single-input {@link InferenceEngine}: callers submit one
 * sample and get a future; one worker thread groups queued samples into batches of up to {@code
 * maxBatchSize}, or whatever has arrived {@code maxQueueDelay} after the oldest one, runs each
 * batch once and completes every caller's future with that caller's own outputs.
 *
 * <ul>
 *   <li>The queue is bounded: {@link #submit(float[])} throws {@link QueueFullException} when it is
 *       full, so memory never grows with load.
 *   <li>Each request may carry a deadline; a request whose deadline has passed when its batch is
 *       assembled fails with {@link DeadlineExceededException} and is never run. Expiry is noticed
 *       when the worker reaches the request, so a caller may learn of it up to one batch run late.
 *   <li>Cancelling a queued future ({@link CompletableFuture#cancel(boolean)}) removes the request
 *       from the queue; one already taken for a batch is skipped if the batch has not run yet.
 *   <li>{@link #close()} refuses new requests, lets the worker finish what is queued, and waits up
 *       to {@code closeTimeout}; requests still queued after that fail with {@link
 *       BatcherClosedException}. The worker is a daemon thread. The engine is not closed: it
 *       belongs to the caller.
 * </ul>
 *
 * <p>Futures are completed on the worker thread: keep dependent stages short or use the {@code
 * ...Async} variants. The submitted {@code float[]} is read when its batch is assembled and not
 * copied before: do not change it until the future completes. Samples are copied into one direct
 * buffer allocated once for the largest batch, which ONNX Runtime reads without a further copy.
 *
 * <p>Metrics: {@value #METRIC_QUEUE_WAIT} (timer, submit to batch start), {@value
 * #METRIC_BATCH_SIZE} (distribution of samples per run), {@value #METRIC_REJECTIONS} (counter
 * tagged {@code reason=queue_full|deadline|closed}); the engine adds {@value
 * InferenceEngine#METRIC_RUN} and {@value InferenceEngine#METRIC_FALLBACKS}.
 */
public final class MicroBatcher implements AutoCloseable {

  /** Timer of the time a request waited from submit to the start of its batch. */
  public static final String METRIC_QUEUE_WAIT = "heimdall.inference.queue.wait";

  /** Distribution of the number of samples in each batch run. */
  public static final String METRIC_BATCH_SIZE = "heimdall.inference.batch.size";

  /** Counter of requests refused or failed without running, tagged by {@code reason}. */
  public static final String METRIC_REJECTIONS = "heimdall.inference.rejections";

  private static final AtomicInteger WORKER_NUMBER = new AtomicInteger();

  private final InferenceEngine engine;
  private final String inputName;
  private final int sampleSize;
  private final int maxBatchSize;
  private final long maxQueueDelayNanos;
  private final long defaultDeadlineNanos;
  private final Duration closeTimeout;
  private final ArrayBlockingQueue<Request> queue;
  private final int queueCapacity;
  private final FloatTensor batch;
  private final Request[] running;
  private final Timer queueWait;
  private final DistributionSummary batchSizes;
  private final Counter queueFull;
  private final Counter expired;
  private final Counter refusedClosed;
  private final Thread worker;
  private volatile boolean closed;
  private volatile boolean abandoned;

  /** Test seam: runs in {@code submit} between the closed check and the offer. */
  volatile Runnable afterAdmissionCheck = () -> {};

  private MicroBatcher(Builder builder, TensorSpec input) {
    this.engine = builder.engine;
    this.inputName = input.name();
    this.sampleSize = (int) input.sampleSize();
    this.maxBatchSize = builder.maxBatchSize;
    this.maxQueueDelayNanos = builder.maxQueueDelay.toNanos();
    this.defaultDeadlineNanos =
        builder.defaultDeadline == null ? -1 : builder.defaultDeadline.toNanos();
    this.closeTimeout = builder.closeTimeout;
    this.queueCapacity = builder.queueCapacity;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    long[] shape = input.dims();
    shape[0] = maxBatchSize;
    this.batch = FloatTensor.allocateDirect(shape);
    this.running = new Request[maxBatchSize];
    MeterRegistry registry =
        builder.meterRegistry != null ? builder.meterRegistry : new CompositeMeterRegistry();
    this.queueWait =
        Timer.builder(METRIC_QUEUE_WAIT)
            .description("Time a request waited from submit to the start of its batch")
            .publishPercentileHistogram()
            .register(registry);
    this.batchSizes =
        DistributionSummary.builder(METRIC_BATCH_SIZE)
            .description("Samples per micro-batch run")
            .baseUnit("samples")
            .register(registry);
    this.queueFull = rejections(registry, "queue_full");
    this.expired = rejections(registry, "deadline");
    this.refusedClosed = rejections(registry, "closed");
    this.worker =
        new Thread(this::work, "heimdall-microbatcher-" + WORKER_NUMBER.incrementAndGet());
    worker.setDaemon(true);
    worker.start();
  }

  /** A builder for a batcher in front of {@code engine} (which must have exactly one input). */
  public static Builder builder(InferenceEngine engine) {
    return new Builder(Objects.requireNonNull(engine, "engine"));
  }

  /** Submits one sample with the default deadline (if any). */
  public CompletableFuture<InferenceResult> submit(float[] sample) {
    return enqueue(sample, defaultDeadlineNanos);
  }

  /**
   * Submits one sample that must start running within {@code deadline} of now.
   *
   * @param sample the sample's values in C order (for a {@code [N,128,431]} model, 55,168 values)
   * @return a future completed with the sample's outputs (a result with a batch of one)
   * @throws InputShapeException if the sample does not have the model's sample size
   * @throws NonFiniteInputException if the engine rejects non-finite values and the sample has one
   * @throws QueueFullException if the queue is full
   * @throws BatcherClosedException after {@link #close()}
   */
  public CompletableFuture<InferenceResult> submit(float[] sample, Duration deadline) {
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, got " + deadline);
    }
    return enqueue(sample, deadline.toNanos());
  }

  /** Number of requests waiting in the queue (not counting a batch being assembled or run). */
  public int queued() {
    return queue.size();
  }

  /** The largest number of samples per batch. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /**
   * Refuses new requests, lets the worker run what is queued, and waits for it up to the close
   * timeout; requests still queued then fail with {@link BatcherClosedException}. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    worker.interrupt();
    try {
      worker.join(closeTimeout.toMillis() + 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (worker.isAlive()) {
      abandoned = true;
    }
    failQueued("micro-batcher closed before this request ran (close timeout " + closeTimeout + ")");
  }

  private CompletableFuture<InferenceResult> enqueue(float[] sample, long deadlineNanos) {
    if (sample.length != sampleSize) {
      throw new InputShapeException(
          "input '"
              + inputName
              + "': sample has "
              + sample.length
              + " values; expected "
              + sampleSize
              + " (one sample of "
              + engine.modelInfo().input(inputName).shapeText()
              + ")");
    }
    if (engine.rejectsNonFinite()) {
      // checked here so that one bad sample fails its own request, not the batch it would join
      InferenceEngine.rejectNonFinite(
          engine.modelInfo().input(inputName), FloatTensor.of(sample, sample.length), 0);
    }
    if (closed) {
      refusedClosed.increment();
      throw new BatcherClosedException("micro-batcher is closed");
    }
    afterAdmissionCheck.run();
    long now = System.nanoTime();
    Request request =
        new Request(sample, now, deadlineNanos < 0 ? Long.MAX_VALUE : now + deadlineNanos);
    if (!queue.offer(request)) {
      queueFull.increment();
      throw new QueueFullException(
          "micro-batcher queue is full ("
              + queueCapacity
              + " requests waiting); shed load or retry later");
    }
    if (closed && !worker.isAlive()) {
      // close() may have drained the queue between our check and our offer.
      failQueued("micro-batcher is closed");
    }
    return request;
  }

  private void work() {
    List<Request> pending = new ArrayList<>(maxBatchSize);
    while (!abandoned) {
      Request first;
      try {
        first = closed ? queue.poll() : queue.poll(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        continue;
      }
      if (first == null) {
        if (closed) {
          return;
        }
        continue;
      }
      pending.add(first);
      collect(pending, first.enqueuedNanos + maxQueueDelayNanos);
      runBatch(pending);
      pending.clear();
    }
  }

  /** Adds queued requests to {@code pending} until the batch is full or {@code flushAt} passes. */
  private void collect(List<Request> pending, long flushAt) {
    while (pending.size() < maxBatchSize) {
      if (queue.drainTo(pending, maxBatchSize - pending.size()) > 0) {
        continue;
      }
      long wait = flushAt - System.nanoTime();
      if (wait <= 0 || closed) {
        return;
      }
      try {
        Request next = queue.poll(wait, TimeUnit.NANOSECONDS);
        if (next == null) {
          return;
        }
        pending.add(next);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void runBatch(List<Request> pending) {
    long start = System.nanoTime();
    FloatBuffer target = batch.writableBuffer();
    int count = 0;
    for (Request request : pending) {
      if (request.isDone()) {
        continue;
      }
      if (start > request.deadlineNanos) {
        expired.increment();
        request.completeExceptionally(
            new DeadlineExceededException(
                "request waited "
                    + TimeUnit.NANOSECONDS.toMicros(start - request.enqueuedNanos)
                    + " µs, past its deadline; it was not run"));
        continue;
      }
      queueWait.record(start - request.enqueuedNanos, TimeUnit.NANOSECONDS);
      target.put(count * sampleSize, request.sample);
      running[count++] = request;
    }
    if (count == 0) {
      return;
    }
    batchSizes.record(count);
    try {
      InferenceResult result = engine.run(Map.of(inputName, batch.rows(0, count)));
      for (int i = 0; i < count; i++) {
        running[i].complete(result.sample(i));
      }
    } catch (RuntimeException e) {
      for (int i = 0; i < count; i++) {
        running[i].completeExceptionally(e);
      }
    } finally {
      Arrays.fill(running, 0, count, null);
    }
  }

  private void failQueued(String message) {
    Request request;
    while ((request = queue.poll()) != null) {
      refusedClosed.increment();
      request.completeExceptionally(new BatcherClosedException(message));
    }
  }

  private static Counter rejections(MeterRegistry registry, String reason) {
    return Counter.builder(METRIC_REJECTIONS)
        .description("Micro-batcher requests refused or failed without running")
        .tag("reason", reason)
        .register(registry);
  }

  /** A queued sample and its caller's future; cancelling it removes it from the queue. */
  private final class Request extends CompletableFuture<InferenceResult> {
    final float[] sample;
    final long enqueuedNanos;
    final long deadlineNanos;

    Request(float[] sample, long enqueuedNanos, long deadlineNanos) {
      this.sample = sample;
      this.enqueuedNanos = enqueuedNanos;
      this.deadlineNanos = deadlineNanos;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        queue.remove(this);
      }
      return cancelled;
    }
  }

  /**
   * Configuration of a {@link MicroBatcher}; {@link #build()} validates it and starts the worker.
   */
  public static final class Builder {
    private final InferenceEngine engine;
    private int maxBatchSize;
    private Duration maxQueueDelay = Duration.ofMillis(2);
    private int queueCapacity = 1024;
    private Duration defaultDeadline;
    private Duration closeTimeout = Duration.ofSeconds(30);
    private MeterRegistry meterRegistry;

    private Builder(InferenceEngine engine) {
      this.engine = engine;
      this.maxBatchSize = engine.maxBatchSize();
    }

    /** Largest batch, 1 to the engine's {@code maxBatchSize} (the default). */
    public Builder maxBatchSize(int maxBatchSize) {
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /** Longest time the oldest queued request waits for others to fill its batch; default 2 ms. */
    public Builder maxQueueDelay(Duration delay) {
      this.maxQueueDelay = Objects.requireNonNull(delay, "maxQueueDelay");
      return this;
    }

    /** Most requests that may wait in the queue; default 1024. */
    public Builder queueCapacity(int capacity) {
      this.queueCapacity = capacity;
      return this;
    }

    /** Deadline of requests submitted without one; default none. */
    public Builder defaultDeadline(Duration deadline) {
      this.defaultDeadline = Objects.requireNonNull(deadline, "defaultDeadline");
      return this;
    }

    /** How long {@link MicroBatcher#close()} lets queued work finish; default 30 s. */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = Objects.requireNonNull(timeout, "closeTimeout");
      return this;
    }

    /** Registry for the batcher's meters; default none (meters are no-ops). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
      return this;
    }

    /**
     * Validates the configuration and starts the worker thread.
     *
     * @throws IllegalArgumentException naming the invalid setting and the accepted range
     * @throws EngineClosedException if the engine is closed
     */
    public MicroBatcher build() {
      if (maxBatchSize < 1 || maxBatchSize > engine.maxBatchSize()) {
        throw new IllegalArgumentException(
            "maxBatchSize must be 1 to the engine's maxBatchSize "
                + engine.maxBatchSize()
                + ", got "
                + maxBatchSize);
      }
      if (maxQueueDelay.isNegative()) {
        throw new IllegalArgumentException(
            "maxQueueDelay must not be negative, got " + maxQueueDelay);
      }
      if (queueCapacity < 1) {
        throw new IllegalArgumentException(
            "queueCapacity must be at least 1, got " + queueCapacity);
      }
      if (defaultDeadline != null && (defaultDeadline.isNegative() || defaultDeadline.isZero())) {
        throw new IllegalArgumentException(
            "defaultDeadline must be positive, got " + defaultDeadline);
      }
      if (closeTimeout.isNegative()) {
        throw new IllegalArgumentException(
            "closeTimeout must not be negative, got " + closeTimeout);
      }
      if (engine.isClosed()) {
        throw new EngineClosedException("cannot batch for a closed inference engine");
      }
      String input;
      try {
        input = engine.singleInputName();
      } catch (InputNameException e) {
        throw new IllegalArgumentException(
            "MicroBatcher needs a single-input model: " + e.getMessage(), e);
      }
      return new MicroBatcher(this, engine.modelInfo().input(input));
    }
  }
}
