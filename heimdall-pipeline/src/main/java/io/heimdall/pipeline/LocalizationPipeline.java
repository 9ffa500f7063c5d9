package io.heimdall.pipeline;

import static io.heimdall.pipeline.Checks.positive;
import static io.heimdall.pipeline.Checks.require;

import io.heimdall.InvalidInputException;
import io.heimdall.cache.CacheStats;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.db.ClaimedTask;
import io.heimdall.core.db.HeimdallDatabase;
import io.heimdall.core.db.QueueOptions;
import io.heimdall.core.db.TaskQueue;
import io.heimdall.core.metrics.HeimdallMetrics;
import io.heimdall.inference.Device;
import io.heimdall.inference.InferenceEngine;

import io.heimdall.inference.MicroBatcher;
import io.heimdall.inference.Receiver;
import io.heimdall.inference.ReferenceModels;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end localisation pipeline: tasks flow through the durable queue to worker threads,
 * each of which turns one task's IQ recordings into a stored, cached result.
 *
 * <ol>
 *   <li><b>Acquire</b>: the task's recordings come from the {@link RecordingSource}.
 *   <li><b>Features and localisation</b>: per recording, IQ metrics, the receiver chain and the mel
 *       spectrogram; the received powers go through a {@link MicroBatcher} (which groups the
 *       concurrent workers' requests into one ONNX Runtime run) to the localiser.
 *   <li><b>Store</b>: measurements, result and acknowledgement in one transaction, only after
 *       everything else succeeded (late acknowledgement). A failed attempt returns the task to the
 *       queue until its attempts run out; a worker that dies leaves its task to be re-queued when
 *       its lease expires, and nothing of it stored.
 *   <li><b>Serve</b>: {@link #results()} reads results cache-aside (Caffeine, plus Redis when
 *       configured).
 * </ol>
 *
 * <p>The parts are separate collaborators: a worker pool (claiming, recycling, stopping), the
 * localiser stage, the task writer and the {@link ResultReader}, which a service can also use on
 * its own. Every thread is a daemon. Closing the pipeline lets workers finish their current task
 * (up to the close timeout), then closes the batcher, the result reader and, if the pipeline
 * created it, the inference engine; the database stays open (it is the caller's).
 *
 * <pre>{@code
 * try (LocalizationPipeline pipeline = LocalizationPipeline.builder(database, recordingSource).build()) {
 *   pipeline.submit(tasks);
 *   pipeline.start();
 *   pipeline.awaitProcessed(tasks.size(), Duration.ofMinutes(1));
 *   Optional<TaskResult> result = pipeline.results().result(tasks.get(0).id());
 * }
 * }</pre>
 */
public final class LocalizationPipeline implements AutoCloseable {

  /**
   * Timer of each stage of each task, tagged {@code stage} = acquire | dsp | inference | db_write.
   */
  public static final String METRIC_STAGE = "heimdall.pipeline.stage";

  /** Algorithm version stored with results of the built-in weighted-centroid localiser. */
  public static final String WEIGHTED_CENTROID_VERSION = "weighted-centroid-v1";

  private final TaskQueue queue;
  private final RecordingSource source;
  private final LocalizerStage localizer;
  private final TaskWriter writer;
  private final ResultReader results;
  private final WorkerPool<FloatBuffer> pool;
  private final Timer acquireTimer;
  private final Timer dspTimer;
  private final Timer inferenceTimer;
  private final Timer dbWriteTimer;
  private volatile boolean closed;

  private LocalizationPipeline(Builder b, InferenceEngine engine, boolean ownsEngine) {
    this.queue = b.database.queue(b.queueOptions);
    this.source = b.source;
    this.acquireTimer = stageTimer(b.registry, "acquire");
    this.dspTimer = stageTimer(b.registry, "dsp");
    this.inferenceTimer = stageTimer(b.registry, "inference");
    this.dbWriteTimer = stageTimer(b.registry, "db_write");
    FeatureStage features = null;
    MicroBatcher batcher = null;
    LocalizerStage stage = null;
    try {
      features = new FeatureStage(b.fullScaleDbm, b.fmDeviationHz, b.audioSeconds);
      batcher =
          MicroBatcher.builder(engine)
              .maxBatchSize(Math.min(b.maxBatchSize, engine.maxBatchSize()))
              .maxQueueDelay(b.maxQueueDelay)
              .defaultDeadline(b.inferenceTimeout)
              .meterRegistry(b.registry)
              .build();
      stage =
          new LocalizerStage(
              b.receivers,
              features,
              engine,
              ownsEngine,
              batcher,
              b.inferenceTimeout,
              b.confidenceRadiusMetres,
              dspTimer,
              inferenceTimer);
      ResultReader.Builder reader =
          ResultReader.builder(b.database)
              .ttl(b.resultTtl)
              .maximumSize(b.resultCacheSize)
              .meterRegistry(b.registry);
      if (b.redisUri != null) {
        reader.redis(b.redisUri);
      }
      this.results = reader.build();
    } catch (RuntimeException e) {
      if (stage != null) {
        stage.close();
      } else {
        if (batcher != null) {
          batcher.close();
        }
        if (features != null) {
          features.close();
        }
      }
      throw e;
    }
    this.localizer = stage;
    this.writer =
        new TaskWriter(
            queue, b.algorithmVersion, HeimdallMetrics.on(b.registry), dbWriteTimer, b.outageGiveUp);
    this.pool =
        new WorkerPool<>(
            queue,
            this::process,
            localizer::allocateFeatures,
            b.workers,
            b.tasksPerWorker,
            b.pollInterval,
            b.closeTimeout,
            b.outageGiveUp);
  }

  /**
   * Starts configuring a pipeline.
   *
   * @param database where tasks, measurements and results live; stays the caller's to close
   * @param recordings where each task's recordings come from
   * @return a builder with the defaults stated on its setters
   */
  public static Builder builder(HeimdallDatabase database, RecordingSource recordings) {
    return new Builder(database, recordings);
  }

  /**
   * Adds tasks to the durable queue (all or none) and wakes idle workers.
   *
   * @param tasks new tasks
   * @throws IllegalStateException if the pipeline is closed
   */
  public void submit(Collection<Task> tasks) {
    ensureOpen();
    queue.enqueueAll(tasks);
    pool.wake();
  }

  /**
   * Starts the workers; they run until {@link #close()}. Idempotent.
   *
   * @throws IllegalStateException if the pipeline is closed
   */
  public void start() {
    ensureOpen();
    pool.start();
  }

  /**
   * Waits until this pipeline's workers have finished at least {@code tasks} tasks (completed, or
   * failed after their last attempt) since it was built.
   *
   * @param tasks how many
   * @param timeout the longest wait
   * @return whether they did before the timeout
   * @throws InterruptedException if the waiting thread is interrupted
   * @throws QueueUnreachableException if the workers gave up on an unreachable database
   */
  public boolean awaitProcessed(long tasks, Duration timeout) throws InterruptedException {
    return pool.await(() -> writer.completed.sum() + writer.failed.sum(), tasks, timeout);
  }

  /**
   * Localises one transmission from its recordings, without the queue or the database: the features
   * and inference stages of a task. Each call allocates room for the spectrograms (about 220 kB per
   * recording of 10 s); the workers reuse theirs.
   *
   * @param recordings at most one per receiver of the localiser, all of equal sample rate
   * @return the estimate and what each recording showed
   * @throws InvalidInputException for an empty list, an unknown or repeated receiver
   */
  public Localization localize(List<IqRecording> recordings) {
    ensureOpen();
    return localizer.localize(recordings, localizer.allocateFeatures());
  }

  /**
   * The result reader the pipeline serves results through (owned by the pipeline).
   *
   * @return the reader
   */
  public ResultReader results() {
    return results;
  }

  /**
   * The stored result of a task, read cache-aside; the same as {@code results().result(taskId)}.
   *
   * @param taskId the task
   * @return its result, or empty if none is stored yet
   */
  public Optional<TaskResult> result(UUID taskId) {
    ensureOpen();
    return results.result(taskId);
  }

  /**
   * Hit and miss counters of the result cache.
   *
   * @return the counters
   */
  public CacheStats cacheStats() {
    return results.cacheStats();
  }

  /**
   * The device the localiser runs on.
   *
   * @return CPU or CUDA
   */
  public Device device() {
    return localizer.engine().device();
  }

  /**
   * The receivers, in the localiser's column order.
   *
   * @return an unmodifiable list
   */
  public List<Receiver> receivers() {
    return localizer.receivers();
  }

  /**
   * Workers replaced after reaching their task limit so far.
   *
   * @return the count
   */
  public int recycledWorkers() {
    return pool.recycledWorkers();
  }

  /**
   * Counters and summed stage times since the pipeline was built.
   *
   * @return a snapshot
   */
  public PipelineStats stats() {
    return new PipelineStats(
        writer.completed.sum(),
        writer.failed.sum(),
        writer.retried.sum(),
        writer.measurementsStored.sum(),
        total(acquireTimer),
        total(dspTimer),
        total(inferenceTimer),
        total(dbWriteTimer));
  }

  /**
   * Stops the workers (each finishes its current task, for up to the close timeout), then closes
   * the localiser stage, the result reader and, if the pipeline created it, the inference engine.
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    pool.close();
    try {
      localizer.close();
    } finally {
      results.close();
    }
  }

  private void process(ClaimedTask claimed, FloatBuffer featureBuffer) {
    long start = System.nanoTime();
    try {
      List<IqRecording> recordings = source.recordings(claimed.task());
      acquireTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      Localization localization = localizer.localize(recordings, featureBuffer);
      writer.complete(claimed, localization, start);
    } catch (RuntimeException e) {
      writer.fail(claimed, e, start);
    }
  }

  WorkerPool<FloatBuffer> pool() {
    return pool;
  }

  TaskWriter writer() {
    return writer;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the localisation pipeline is closed");
    }
  }

  private static Timer stageTimer(MeterRegistry registry, String stage) {
    return Timer.builder(METRIC_STAGE)
        .description("Time one task spends in one pipeline stage")
        .tag("stage", stage)
        .register(registry);
  }

  private static Duration total(Timer timer) {
    return Duration.ofNanos((long) timer.totalTime(TimeUnit.NANOSECONDS));
  }
  /** Configures a {@link LocalizationPipeline}; {@link #build()} validates every setting. */
  public static final class Builder {
    private final HeimdallDatabase database;
    private final RecordingSource source;
    private InferenceEngine localizer;
    private Device device = Device.AUTO;
    private List<Receiver> receivers = ReferenceModels.RECEIVERS;
    private String algorithmVersion;
    private double fullScaleDbm = -10.0;
    private double fmDeviationHz = 2_500;
    private double audioSeconds = 10.0;
    private int workers = Runtime.getRuntime().availableProcessors();
    private int tasksPerWorker = 1_000;
    private QueueOptions queueOptions = QueueOptions.defaults();
    private Duration pollInterval = Duration.ofMillis(200);
    private Duration closeTimeout = Duration.ofSeconds(30);
    private Duration outageGiveUp = Duration.ofSeconds(60);
    private int maxBatchSize = 32;
    private Duration maxQueueDelay = Duration.ofMillis(2);
    private Duration inferenceTimeout = Duration.ofSeconds(10);
    private double confidenceRadiusMetres = 10_000;
    private Duration resultTtl = Duration.ofMinutes(10);
    private long resultCacheSize = 100_000;
    private String redisUri;
    private MeterRegistry registry;

    private Builder(HeimdallDatabase database, RecordingSource source) {
      this.database = Objects.requireNonNull(database, "database");
      this.source = Objects.requireNonNull(source, "recording source");
    }

    /**
     * The localiser: an engine whose single input is {@code [N, receivers]} received powers in dBm
     * and whose outputs are {@code positions} and {@code uncertainties} (stays the caller's to
     * close). Default: the built-in weighted-centroid model on {@link #device}, owned by the
     * pipeline.
     */
    public Builder localizer(InferenceEngine engine, String algorithmVersion) {
      this.localizer = Objects.requireNonNull(engine, "localizer");
      this.algorithmVersion = Objects.requireNonNull(algorithmVersion, "algorithmVersion");
      return this;
    }

    /**
     * Device of the built-in localiser (default {@link Device#AUTO}: CUDA if it loads, else CPU).
     */
    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /**
     * The receivers in the localiser's column order (default {@link ReferenceModels#RECEIVERS}).
     */
    public Builder receivers(List<Receiver> receivers) {
      this.receivers = List.copyOf(receivers);
      return this;
    }

    /**
     * Receiver calibration: input power in dBm of a full-scale (0 dBFS) signal (default −10).
     *
     * @param fullScaleDbm the value
     * @return this
     */
    public Builder fullScaleDbm(double fullScaleDbm) {
      this.fullScaleDbm = fullScaleDbm;
      return this;
    }

    /**
     * Peak FM deviation the demodulator scales to ±1 (default 2.5 kHz, narrow-band FM).
     *
     * @param deviationHz the value
     * @return this
     */
    public Builder fmDeviationHz(double deviationHz) {
      this.fmDeviationHz = deviationHz;
      return this;
    }

    /**
     * Audio length of the mel features; recordings are cut or zero-padded to it (default 10 s).
     *
     * @param seconds the value
     * @return this
     */
    public Builder audioSeconds(double seconds) {
      this.audioSeconds = seconds;
      return this;
    }

    /**
     * Worker threads claiming tasks (default: available processors).
     *
     * @param workers the value
     * @return this
     */
    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    /**
     * Tasks a worker processes before it is replaced by a fresh one (default 1000).
     *
     * @param tasks the value
     * @return this
     */
    public Builder tasksPerWorker(int tasks) {
      this.tasksPerWorker = tasks;
      return this;
    }

    /**
     * Lease and retry settings of the queue (default {@link QueueOptions#defaults()}).
     *
     * @param options the value
     * @return this
     */
    public Builder queueOptions(QueueOptions options) {
      this.queueOptions = Objects.requireNonNull(options, "queueOptions");
      return this;
    }

    /**
     * How long an idle worker waits before asking the queue again (default 200 ms).
     *
     * @param interval the value
     * @return this
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = Objects.requireNonNull(interval, "pollInterval");
      return this;
    }

    /**
     * How long {@link #close()} lets workers finish their task (default 30 s).
     *
     * @param timeout the value
     * @return this
     */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = Objects.requireNonNull(timeout, "closeTimeout");
      return this;
    }

    /**
     * How long workers wait out an unreachable database (retrying claims and writes with a backoff
     * of up to 2 s) before they stop and {@link LocalizationPipeline#awaitProcessed} throws a
     * {@link QueueUnreachableException} (default 60 s).
     *
     * @param giveUp the value, at least 1 s
     * @return this
     */
    public Builder outageGiveUp(Duration giveUp) {
      this.outageGiveUp = Objects.requireNonNull(giveUp, "outageGiveUp");
      return this;
    }

    /**
     * Largest inference batch the micro-batcher forms (default 32).
     *
     * @param size the value
     * @return this
     */
    public Builder maxBatchSize(int size) {
      this.maxBatchSize = size;
      return this;
    }

    /**
     * Longest wait for a batch to fill (default 2 ms).
     *
     * @param delay the value
     * @return this
     */
    public Builder maxQueueDelay(Duration delay) {
      this.maxQueueDelay = Objects.requireNonNull(delay, "maxQueueDelay");
      return this;
    }

    /**
     * Longest wait for one localisation, queueing included (default 10 s).
     *
     * @param timeout the value
     * @return this
     */
    public Builder inferenceTimeout(Duration timeout) {
      this.inferenceTimeout = Objects.requireNonNull(timeout, "inferenceTimeout");
      return this;
    }

    /**
     * Radius the confidence refers to (default 10 km).
     *
     * @param metres the value
     * @return this
     */
    public Builder confidenceRadiusMetres(double metres) {
      this.confidenceRadiusMetres = metres;
      return this;
    }

    /**
     * Time to live of cached results (default 10 min).
     *
     * @param ttl the value
     * @return this
     */
    public Builder resultTtl(Duration ttl) {
      this.resultTtl = Objects.requireNonNull(ttl, "resultTtl");
      return this;
    }

    /**
     * Most results held in the local cache tier (default 100 000).
     *
     * @param size the value
     * @return this
     */
    public Builder resultCacheSize(long size) {
      this.resultCacheSize = size;
      return this;
    }

    /**
     * Redis URI of the shared result cache tier, e.g. {@code redis://host:6379} (default none:
     * local tier only). An unreachable Redis is tolerated: reads go to the database.
     */
    public Builder redis(String uri) {
      this.redisUri = Objects.requireNonNull(uri, "redis uri");
      return this;
    }

    /**
     * Registry for the pipeline's, batcher's, engine's and cache's meters (default none).
     *
     * @param registry the value
     * @return this
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "meterRegistry");
      return this;
    }

    /**
     * Validates the settings, loads the localiser if none was given, and builds the pipeline
     * (workers start with {@link LocalizationPipeline#start()}).
     *
     * @return the pipeline, the caller's to close
     * @throws InvalidInputException naming the first invalid setting
     */
    public LocalizationPipeline build() {
      require(!receivers.isEmpty(), "receivers", receivers.size(), "at least one");
      require(workers >= 1 && workers <= 256, "workers", workers, "1..256");
      require(tasksPerWorker >= 1, "tasksPerWorker", tasksPerWorker, ">= 1");
      require(maxBatchSize >= 1, "maxBatchSize", maxBatchSize, ">= 1");
      require(Double.isFinite(fullScaleDbm), "fullScaleDbm", fullScaleDbm, "a finite dBm value");
      require(
          fmDeviationHz > 0 && Double.isFinite(fmDeviationHz),
          "fmDeviationHz",
          fmDeviationHz,
          "> 0 Hz");
      require(
          audioSeconds >= 0.1 && audioSeconds <= 600, "audioSeconds", audioSeconds, "0.1..600 s");
      require(
          confidenceRadiusMetres > 0 && Double.isFinite(confidenceRadiusMetres),
          "confidenceRadiusMetres",
          confidenceRadiusMetres,
          "> 0 m");
      require(positive(pollInterval), "pollInterval", pollInterval, "> 0");
      require(positive(inferenceTimeout), "inferenceTimeout", inferenceTimeout, "> 0");
      require(positive(resultTtl), "resultTtl", resultTtl, "> 0");
      require(!closeTimeout.isNegative(), "closeTimeout", closeTimeout, ">= 0");
      require(
          outageGiveUp.compareTo(Duration.ofSeconds(1)) >= 0, "outageGiveUp", outageGiveUp, ">= 1 s");
      require(!maxQueueDelay.isNegative(), "maxQueueDelay", maxQueueDelay, ">= 0");
      require(resultCacheSize >= 1, "resultCacheSize", resultCacheSize, ">= 1");
      if (registry == null) {
        registry = new SimpleMeterRegistry();
      }
      boolean owns = localizer == null;
      InferenceEngine engine =
          owns
              ? InferenceEngine.builder(ReferenceModels.weightedCentroid())
                  .device(device)
                  .meterRegistry(registry)
                  .build()
              : localizer;
      try {
        LocalizerStage.checkLocalizer(engine, receivers);
        if (owns) {
          algorithmVersion = WEIGHTED_CENTROID_VERSION;
        }
        return new LocalizationPipeline(this, engine, owns);
      } catch (RuntimeException e) {
        if (owns) {
          engine.close();
        }
        throw e;
      }
    }
  }
}
