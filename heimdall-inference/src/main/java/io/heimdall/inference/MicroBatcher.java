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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *   <li>Every future that {@code submit} returns is completed: with the sample's outputs, or
 *       exceptionally with the batch's failure (an {@link Error} from the engine included: it fails
 *       that batch's requests and the worker carries on), a {@link DeadlineExceededException} or a
 *       {@link BatcherClosedException}. A submit that races {@link #close()} either returns such a
 *       future or throws {@link BatcherClosedException}.
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

  private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);

  private final InferenceEngine engine;
  private final TensorSpec input;
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

  /** Test seam: gets each batch's size on the worker before the batch goes to the engine. */
  volatile IntConsumer beforeRun = count -> {};

  private MicroBatcher(Builder builder, TensorSpec input) {
    this.engine = builder.engine;
    this.input = input;
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

  /**
   * A builder for a batcher in front of {@code engine}.
   *
   * @param engine an open engine whose model has exactly one input; it stays the caller's to close
   * @return a builder with every setting at its default
   * @throws NullPointerException if {@code engine} is null
   */
  public static Builder builder(InferenceEngine engine) {
    return new Builder(Checks.notNull(engine, "engine"));
  }

  /**
   * Submits one sample with the default deadline (if any).
   *
   * @param sample the sample's values in C order (for a {@code [N,128,431]} model, 55,168 values)
   * @return a future completed with the sample's outputs (a result with a batch of one)
   * @throws InputShapeException if the sample does not have the model's sample size
   * @throws NonFiniteInputException if the engine rejects non-finite values and the sample has one
   * @throws QueueFullException if the queue is full
   * @throws BatcherClosedException after {@link #close()}
   */
  public CompletableFuture<InferenceResult> submit(float[] sample) {
    return enqueue(sample, defaultDeadlineNanos);
  }

  /**
   * Submits one sample that must start running within {@code deadline} of now.
   *
   * @param sample the sample's values in C order (for a {@code [N,128,431]} model, 55,168 values)
   * @param deadline how long the request may wait before its batch starts; positive
   * @return a future completed with the sample's outputs (a result with a batch of one)
   * @throws io.heimdall.InvalidInputException if the deadline is zero or negative
   * @throws InputShapeException if the sample does not have the model's sample size
   * @throws NonFiniteInputException if the engine rejects non-finite values and the sample has one
   * @throws QueueFullException if the queue is full
   * @throws BatcherClosedException after {@link #close()}
   */
  public CompletableFuture<InferenceResult> submit(float[] sample, Duration deadline) {
    return enqueue(sample, Checks.positive(deadline, "deadline").toNanos());
  }

  /**
   * Number of requests waiting in the queue (not counting a batch being assembled or run).
   *
   * @return the queue's current length
   */
  public int queued() {
    return queue.size();
  }

  /**
   * The largest number of samples per batch.
   *
   * @return the configured maximum batch size
   */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /**
   * Refuses new requests, lets the worker run what is queued, and waits for it up to the close
   * timeout; requests still queued then fail with {@link BatcherClosedException}. A batch already
   * running when the timeout ends still completes its own requests. Idempotent.
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
    engine.validator().validateSample(input, sample);
    if (closed) {
      throw refusedAsClosed();
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
    if (closed && queue.remove(request)) {
      // close() began between our check and our offer: whoever drains the queue for it may have
      // looked already, and a worker that gave up on a timed-out close never looks again. Taking
      // the request back and refusing it leaves no interleaving in which an accepted request is
      // never completed: if the remove fails, the worker or a drain has it and completes it.
      throw refusedAsClosed();
    }
    return request;
  }

  private BatcherClosedException refusedAsClosed() {
    refusedClosed.increment();
    return new BatcherClosedException("micro-batcher is closed");
  }

  private void work() {
    List<Request> pending = new ArrayList<>(maxBatchSize);
    try {
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
        try {
          collect(pending, first.enqueuedNanos + maxQueueDelayNanos);
          runBatch(pending);
        } catch (Throwable e) {
          // Not only RuntimeException: an Error (an OutOfMemoryError from the engine, say) would
          // otherwise end this thread and strand this batch and every later request.
          failAll(pending, e);
        } finally {
          pending.clear();
        }
      }
    } finally {
      // However the worker stops, nothing may stay queued with no one to run it; submits that
      // race this see closed and take their request back.
      closed = true;
      failQueued(
          "micro-batcher closed before this request ran (close timeout " + closeTimeout + ")");
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
    try {
      int count = assemble(pending, start, target);
      if (count == 0) {
        return;
      }
      batchSizes.record(count);
      beforeRun.accept(count);
      InferenceResult result = engine.run(Map.of(inputName, batch.rows(0, count)));
      for (int i = 0; i < count; i++) {
        running[i].complete(result.sample(i));
      }
    } finally {
      // all of it: assemble may have filled slots before it threw
      Arrays.fill(running, null);
    }
  }

  /** Copies the live requests of {@code pending} into the batch buffer; returns how many. */
  private int assemble(List<Request> pending, long start, FloatBuffer target) {
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
    return count;
  }

  /** Fails every request of a batch that threw; requests already completed are left alone. */
  private static void failAll(List<Request> pending, Throwable failure) {
    // Callers first: under memory pressure the log line itself may fail.
    for (Request request : pending) {
      request.completeExceptionally(failure);
    }
    if (!(failure instanceof RuntimeException)) {
      LOG.error(
          "micro-batch of {} requests failed with {}; they fail with it, the worker carries on",
          pending.size(),
          failure.toString());
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

    /**
     * Largest batch; default the engine's {@code maxBatchSize}, which is also the most allowed.
     *
     * @param maxBatchSize 1 to the engine's {@code maxBatchSize}
     * @return this builder
     * @throws io.heimdall.InvalidInputException if out of that range
     */
    public Builder maxBatchSize(int maxBatchSize) {
      Checks.argument(
          maxBatchSize >= 1 && maxBatchSize <= engine.maxBatchSize(),
          "maxBatchSize",
          maxBatchSize,
          "1 to the engine's maxBatchSize " + engine.maxBatchSize());
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /**
     * Longest time the oldest queued request waits for others to fill its batch; default 2 ms.
     *
     * @param delay zero (run whatever has arrived) or more
     * @return this builder
     * @throws io.heimdall.InvalidInputException if negative
     * @throws NullPointerException if {@code delay} is null
     */
    public Builder maxQueueDelay(Duration delay) {
      this.maxQueueDelay = Checks.notNegative(delay, "maxQueueDelay");
      return this;
    }

    /**
     * Most requests that may wait in the queue; default 1024. A submit to a full queue throws
     * {@link QueueFullException}.
     *
     * @param capacity 1 or more
     * @return this builder
     * @throws io.heimdall.InvalidInputException if less than 1
     */
    public Builder queueCapacity(int capacity) {
      Checks.argument(capacity >= 1, "queueCapacity", capacity, "at least 1");
      this.queueCapacity = capacity;
      return this;
    }

    /**
     * Deadline of requests submitted without one; default none (they wait as long as it takes).
     *
     * @param deadline positive
     * @return this builder
     * @throws io.heimdall.InvalidInputException if zero or negative
     * @throws NullPointerException if {@code deadline} is null
     */
    public Builder defaultDeadline(Duration deadline) {
      this.defaultDeadline = Checks.positive(deadline, "defaultDeadline");
      return this;
    }

    /**
     * How long {@link MicroBatcher#close()} lets queued work finish; default 30 s.
     *
     * @param timeout zero (fail what is queued at once) or more
     * @return this builder
     * @throws io.heimdall.InvalidInputException if negative
     * @throws NullPointerException if {@code timeout} is null
     */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = Checks.notNegative(timeout, "closeTimeout");
      return this;
    }

    /**
     * Registry for the batcher's meters; default none (meters are no-ops).
     *
     * @param registry where the batcher registers its meters
     * @return this builder
     * @throws NullPointerException if {@code registry} is null
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Checks.notNull(registry, "meterRegistry");
      return this;
    }

    /**
     * Checks the engine and starts the worker thread.
     *
     * @return the running batcher; close it when done
     * @throws io.heimdall.InvalidInputException if the engine's model has more than one input
     * @throws EngineClosedException if the engine is closed
     */
    public MicroBatcher build() {
      if (engine.isClosed()) {
        throw new EngineClosedException("cannot batch for a closed inference engine");
      }
      TensorSpec input;
      try {
        input = engine.validator().singleInput();
      } catch (InputNameException e) {
        throw new InputNameException(
            "MicroBatcher needs a single-input model: " + e.getMessage(), e);
      }
      return new MicroBatcher(this, input);
    }
  }
}
