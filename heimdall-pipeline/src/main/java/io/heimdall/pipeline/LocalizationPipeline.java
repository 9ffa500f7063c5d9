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
import io.heimdall.locate.Localizer;
import io.heimdall.locate.SearchArea;
import io.heimdall.locate.Station;
import io.heimdall.pipeline.simulation.ReferenceStations;

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
 *   <li><b>Features and localisation</b>: per recording, the receiver chain (IQ metrics with the
 *       noise removed, FM demodulation, resampling, mel spectrogram, quality score); the received
 *       powers, and the noise floors of receivers that heard nothing, go to the Bayesian {@link
 *       Localizer}, whose posterior graph runs on ONNX Runtime: posterior mean, covariance, region
 *       and its probability, and the Cramér–Rao bound.
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
 * (up to the close timeout), then closes the result reader and, if the pipeline created it, the
 * localiser; the database stays open (it is the caller's).
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
  private final boolean ownsLocalizer;
  private final String algorithmVersion;
  private volatile boolean closed;

  private LocalizationPipeline(Builder b, Localizer localizer, boolean ownsLocalizer) {
    this.queue = b.database.queue(b.queueOptions);
    this.source = b.source;
    this.ownsLocalizer = ownsLocalizer;
    this.algorithmVersion = algorithmVersion(localizer);
    this.acquireTimer = stageTimer(b.registry, "acquire");
    this.dspTimer = stageTimer(b.registry, "dsp");
    this.inferenceTimer = stageTimer(b.registry, "inference");
    this.dbWriteTimer = stageTimer(b.registry, "db_write");
    this.localizer =
        new LocalizerStage(
            b.stations,
            b.searchArea,
            new FeatureStage(b.fullScaleDbm, b.fmDeviationHz, b.audioSeconds),
            localizer,
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
    this.writer =
        new TaskWriter(
            queue, algorithmVersion, HeimdallMetrics.on(b.registry), dbWriteTimer, b.outageGiveUp);
    this.pool =
        new WorkerPool<>(
            queue,
            this::process,
            this.localizer::allocateFeatures,
            b.workers,
            b.tasksPerWorker,
            b.pollInterval,
            b.closeTimeout,
            b.outageGiveUp);
  }

  /** The version stored with each result: the localiser's method, e.g. {@code "heimdall-bayes-1"}. */
  static String algorithmVersion(Localizer localizer) {
    return "heimdall-" + localizer.method().id() + "-1";
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
    return localizer.localizer().device();
  }

  /**
   * The stations recordings may come from.
   *
   * @return an unmodifiable list
   */
  public List<Station> stations() {
    return localizer.stations();
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
   * the result reader and, if the pipeline created it, the localiser. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    pool.close();
    try {
      if (ownsLocalizer) {
        localizer.localizer().close();
      }
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
    private Localizer localizer;
    private Device device = Device.AUTO;
    private List<Station> stations = ReferenceStations.ALL;
    private SearchArea searchArea = ReferenceStations.AREA;
    private double fullScaleDbm = -10.0;
    private double fmDeviationHz = 2_500;
    private double audioSeconds = 10.0;
    private int workers = Runtime.getRuntime().availableProcessors();
    private int tasksPerWorker = 1_000;
    private QueueOptions queueOptions = QueueOptions.defaults();
    private Duration pollInterval = Duration.ofMillis(200);
    private Duration closeTimeout = Duration.ofSeconds(30);
    private Duration outageGiveUp = Duration.ofSeconds(60);
    private Duration resultTtl = Duration.ofMinutes(10);
    private long resultCacheSize = 100_000;
    private String redisUri;
    private MeterRegistry registry;

    private Builder(HeimdallDatabase database, RecordingSource source) {
      this.database = Objects.requireNonNull(database, "database");
      this.source = Objects.requireNonNull(source, "recording source");
    }

    /**
     * The localiser, which stays the caller's to close. Default: a Bayesian received-power {@link
     * Localizer} with its own defaults (path-loss exponent 3.2, shadowing 4 dB, level 0.9) on
     * {@link #device}, owned by the pipeline. Conflicts with {@link #device}, which then does
     * nothing.
     *
     * @param localizer the localiser
     * @return this
     */
    public Builder localizer(Localizer localizer) {
      this.localizer = Objects.requireNonNull(localizer, "localizer");
      return this;
    }

    /**
     * Device of the built-in localiser (default {@link Device#AUTO}: CUDA where it loads, else the
     * CPU).
     *
     * @param device the device
     * @return this
     */
    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /**
     * The stations recordings may come from, matched by {@link Station#id()} (default the seven
     * reference receivers around Turin, {@link ReferenceStations#ALL}).
     *
     * @param stations at least three
     * @return this
     */
    public Builder stations(List<Station> stations) {
      this.stations = List.copyOf(stations);
      return this;
    }

    /**
     * Where the transmitters are, as far as is known: the localiser's uniform prior (default 40 km
     * around Turin, {@link ReferenceStations#AREA}).
     *
     * @param area the search area
     * @return this
     */
    public Builder searchArea(SearchArea area) {
      this.searchArea = Objects.requireNonNull(area, "searchArea");
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
     *
     * @param uri the Redis URI, e.g. {@code redis://host:6379}
     * @return this builder
     * @throws NullPointerException if {@code uri} is null
     */
    public Builder redis(String uri) {
      this.redisUri = Objects.requireNonNull(uri, "redis uri");
      return this;
    }

    /**
     * Registry for the pipeline's and the result cache's meters (default none).
     *
     * @param registry the value
     * @return this
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "meterRegistry");
      return this;
    }

    /**
     * Validates the settings, builds the localiser if none was given, and builds the pipeline
     * (workers start with {@link LocalizationPipeline#start()}).
     *
     * @return the pipeline, the caller's to close
     * @throws InvalidInputException naming the first invalid setting
     */
    public LocalizationPipeline build() {
      require(stations.size() >= 3, "stations", stations.size(), "at least three");
      require(workers >= 1 && workers <= 256, "workers", workers, "1..256");
      require(tasksPerWorker >= 1, "tasksPerWorker", tasksPerWorker, ">= 1");
      require(Double.isFinite(fullScaleDbm), "fullScaleDbm", fullScaleDbm, "a finite dBm value");
      require(
          fmDeviationHz > 0 && Double.isFinite(fmDeviationHz),
          "fmDeviationHz",
          fmDeviationHz,
          "> 0 Hz");
      require(
          audioSeconds >= 0.1 && audioSeconds <= 600, "audioSeconds", audioSeconds, "0.1..600 s");
      require(positive(pollInterval), "pollInterval", pollInterval, "> 0");
      require(positive(resultTtl), "resultTtl", resultTtl, "> 0");
      require(!closeTimeout.isNegative(), "closeTimeout", closeTimeout, ">= 0");
      require(
          outageGiveUp.compareTo(Duration.ofSeconds(1)) >= 0, "outageGiveUp", outageGiveUp, ">= 1 s");
      require(resultCacheSize >= 1, "resultCacheSize", resultCacheSize, ">= 1");
      if (registry == null) {
        registry = new SimpleMeterRegistry();
      }
      boolean owns = localizer == null;
      Localizer chosen =
          owns
              ? Localizer.builder().device(device).meterRegistry(registry).build()
              : localizer;
      try {
        return new LocalizationPipeline(this, chosen, owns);
      } catch (RuntimeException e) {
        if (owns) {
          chosen.close();
        }
        throw e;
      }
    }
  }
}
