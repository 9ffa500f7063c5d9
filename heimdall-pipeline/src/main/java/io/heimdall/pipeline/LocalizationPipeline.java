package io.heimdall.pipeline;

import io.heimdall.cache.CacheStats;
import io.heimdall.cache.HeimdallCache;
import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.db.ClaimedTask;
import io.heimdall.core.db.HeimdallDatabase;
import io.heimdall.core.db.QueueOptions;
import io.heimdall.core.db.TaskQueue;
import io.heimdall.core.metrics.HeimdallMetrics;
import io.heimdall.inference.Device;
import io.heimdall.inference.InferenceEngine;
import io.heimdall.inference.Location;
import io.heimdall.inference.MicroBatcher;
import io.heimdall.inference.Receiver;
import io.heimdall.inference.ReferenceModels;
import io.heimdall.inference.TensorSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end-to-end localisation pipeline: tasks flow through the durable queue to worker threads,
 * each of which turns one task's IQ recordings into a stored, cached result.
 *
 * <ol>
 *   <li><b>Acquire</b>: the task's recordings come from the {@link RecordingSource}.
 *   <li><b>Features</b>: per recording, IQ metrics (power, SNR, frequency offset); the carrier is
 *       brought to 0 Hz, FM-demodulated and resampled to 22.05 kHz; the mel spectrograms of all
 *       recordings are computed in one batch ({@code [n, 128, 431]} for 10 s), and each recording's
 *       signal quality is scored from its spectrogram.
 *   <li><b>Inference</b>: the received powers, one column per receiver in the localiser's order, go
 *       through a {@link MicroBatcher} (which groups the concurrent workers' requests into one ONNX
 *       Runtime run) to the weighted-centroid localiser, giving position and uncertainty.
 *   <li><b>Store</b>: measurements are ingested with {@code COPY}; the result is stored and the
 *       task acknowledged in one transaction ({@link TaskQueue#complete}), only after everything
 *       else succeeded (late acknowledgement). A failed attempt returns the task to the queue until
 *       its attempts run out; a worker that dies leaves its task to be re-queued when its lease
 *       expires.
 *   <li><b>Serve</b>: {@link #result(UUID)} reads results cache-aside (Caffeine, plus Redis when
 *       configured), timed as {@code heimdall.request.latency{operation="result.get"}}.
 * </ol>
 *
 * <p>Workers claim one task at a time (prefetch 1) and are recycled after a number of tasks: the
 * thread ends and a fresh one takes its place, releasing its thread-local DSP scratch and its
 * feature buffer. Every thread is a daemon. Closing the pipeline lets workers finish their current
 * task (up to the close timeout), then closes the batcher, the cache and, if the pipeline created
 * it, the inference engine; the database stays open (it is the caller's).
 *
 * <pre>{@code
 * try (HeimdallDatabase db = HeimdallDatabase.embedded();
 *      LocalizationPipeline pipeline = LocalizationPipeline.builder(db, recordingSource).build()) {
 *   pipeline.submit(tasks);
 *   pipeline.start();
 *   pipeline.awaitProcessed(tasks.size(), Duration.ofMinutes(1));
 *   Optional<TaskResult> result = pipeline.result(tasks.get(0).id());
 * }
 * }</pre>
 */
public final class LocalizationPipeline implements AutoCloseable {

  /**
   * Timer of each stage of each task, tagged {@code stage} = acquire | dsp | inference | db_write.
   */
  public static final String METRIC_STAGE = "heimdall.pipeline.stage";

  /** The {@code operation} tag of result reads in {@value HeimdallMetrics#REQUEST_LATENCY}. */
  public static final String RESULT_OPERATION = "result.get";

  /** Algorithm version stored with results of the built-in weighted-centroid localiser. */
  public static final String WEIGHTED_CENTROID_VERSION = "weighted-centroid-v1";

  /** Power given to the localiser for a receiver with no recording: its weight becomes nil. */
  static final float ABSENT_POWER_DBM = -250f;

  private static final Logger LOG = LoggerFactory.getLogger(LocalizationPipeline.class);
  private static final String PROCESS = ManagementFactory.getRuntimeMXBean().getName();

  private final HeimdallDatabase database;
  private final TaskQueue queue;
  private final RecordingSource source;
  private final List<Receiver> receivers;
  private final Map<String, Integer> receiverColumns;
  private final FeatureStage features;
  private final InferenceEngine engine;
  private final boolean ownsEngine;
  private final MicroBatcher batcher;
  private final Duration inferenceTimeout;
  private final HeimdallCache<TaskResult> resultCache;
  private final Function<UUID, Optional<TaskResult>> cachedResult;
  private final HeimdallMetrics metrics;
  private final String algorithmVersion;
  private final double confidenceRadiusMetres;
  private final int workerCount;
  private final int tasksPerWorker;
  private final Duration pollInterval;
  private final Duration closeTimeout;

  private final Timer acquireTimer;
  private final Timer dspTimer;
  private final Timer inferenceTimer;
  private final Timer dbWriteTimer;
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder measurementsStored = new LongAdder();
  private final AtomicInteger recycled = new AtomicInteger();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition workAvailable = lock.newCondition();
  private final Condition taskFinished = lock.newCondition();
  private final Thread[] workers;
  private volatile boolean started;
  private volatile boolean closed;

  private LocalizationPipeline(Builder b, InferenceEngine engine, boolean ownsEngine) {
    this.database = b.database;
    this.queue = database.queue(b.queueOptions);
    this.source = b.source;
    this.receivers = List.copyOf(b.receivers);
    this.receiverColumns = new HashMap<>();
    for (int i = 0; i < receivers.size(); i++) {
      receiverColumns.put(receivers.get(i).name(), i);
    }
    this.engine = engine;
    this.ownsEngine = ownsEngine;
    this.metrics = HeimdallMetrics.on(b.registry);
    this.algorithmVersion = b.algorithmVersion;
    this.confidenceRadiusMetres = b.confidenceRadiusMetres;
    this.workerCount = b.workers;
    this.tasksPerWorker = b.tasksPerWorker;
    this.pollInterval = b.pollInterval;
    this.closeTimeout = b.closeTimeout;
    this.inferenceTimeout = b.inferenceTimeout;
    this.acquireTimer = stageTimer(b.registry, "acquire");
    this.dspTimer = stageTimer(b.registry, "dsp");
    this.inferenceTimer = stageTimer(b.registry, "inference");
    this.dbWriteTimer = stageTimer(b.registry, "db_write");
    this.workers = new Thread[workerCount];

    FeatureStage featureStage = null;
    MicroBatcher microBatcher = null;
    try {
      featureStage = new FeatureStage(b.fullScaleDbm, b.fmDeviationHz, b.audioSeconds);
      microBatcher =
          MicroBatcher.builder(engine)
              .maxBatchSize(Math.min(b.maxBatchSize, engine.maxBatchSize()))
              .maxQueueDelay(b.maxQueueDelay)
              .defaultDeadline(b.inferenceTimeout)
              .meterRegistry(b.registry)
              .build();
      HeimdallCache.Builder<TaskResult> cache =
          HeimdallCache.builder(TaskResultCodec.INSTANCE)
              .namespace("task-results")
              .ttl(b.resultTtl)
              .maximumSize(b.resultCacheSize)
              .meterRegistry(b.registry);
      if (b.redisUri != null) {
        cache.redis(b.redisUri);
      }
      this.resultCache = cache.build();
    } catch (RuntimeException e) {
      if (microBatcher != null) {
        microBatcher.close();
      }
      if (featureStage != null) {
        featureStage.close();
      }
      throw e;
    }
    this.features = featureStage;
    this.batcher = microBatcher;
    this.cachedResult = resultCache.wrapOptional(taskId -> database.results().findByTask(taskId));
  }

  /**
   * Starts configuring a pipeline over {@code database} (which stays the caller's to close) with
   * recordings from {@code recordings}.
   */
  public static Builder builder(HeimdallDatabase database, RecordingSource recordings) {
    return new Builder(database, recordings);
  }

  /** Adds tasks to the durable queue (all or none) and wakes idle workers. */
  public void submit(Collection<Task> tasks) {
    ensureOpen();
    queue.enqueueAll(tasks);
    signal(workAvailable);
  }

  /** Starts the workers; they run until {@link #close()}. Idempotent. */
  public void start() {
    ensureOpen();
    lock.lock();
    try {
      if (started) {
        return;
      }
      started = true;
      for (int slot = 0; slot < workerCount; slot++) {
        startWorker(slot, 0);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until this pipeline's workers have finished at least {@code tasks} tasks (completed, or
   * failed after their last attempt) since it was built.
   *
   * @return whether they did before the timeout
   */
  public boolean awaitProcessed(long tasks, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (completed.sum() + failed.sum() < tasks) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        taskFinished.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Localises one transmission from its recordings, without the queue or the database: the features
   * and inference stages of a task. Each call allocates room for the spectrograms (about 220 kB per
   * recording of 10 s); the workers reuse theirs.
   *
   * @param recordings at most one per receiver of the localiser, all of equal sample rate
   * @throws IllegalArgumentException for an empty list, an unknown or repeated receiver
   */
  public Localization localize(List<IqRecording> recordings) {
    ensureOpen();
    return localize(recordings, allocateFeatures());
  }

  /**
   * The stored result of a task, read cache-aside: from the local tier, then Redis if configured,
   * then the database. Absent results are not cached (they may appear later).
   */
  public Optional<TaskResult> result(UUID taskId) {
    ensureOpen();
    Objects.requireNonNull(taskId, "taskId");
    return metrics.timeRequest(RESULT_OPERATION, () -> cachedResult.apply(taskId));
  }

  /** Drops a task's result from both cache tiers (call after changing or deleting it). */
  public void invalidateResult(UUID taskId) {
    resultCache.invalidate(taskId);
  }

  /** Hit and miss counters of the result cache. */
  public CacheStats cacheStats() {
    return resultCache.stats();
  }

  /** Whether the result cache has a connected Redis tier. */
  public boolean isRedisConnected() {
    return resultCache.isRedisConnected();
  }

  /** The device the localiser runs on. */
  public Device device() {
    return engine.device();
  }

  /** The receivers, in the localiser's column order. */
  public List<Receiver> receivers() {
    return receivers;
  }

  /** Workers replaced after reaching their task limit so far. */
  public int recycledWorkers() {
    return recycled.get();
  }

  /** Counters and summed stage times since the pipeline was built. */
  public PipelineStats stats() {
    return new PipelineStats(
        completed.sum(),
        failed.sum(),
        retried.sum(),
        measurementsStored.sum(),
        total(acquireTimer),
        total(dspTimer),
        total(inferenceTimer),
        total(dbWriteTimer));
  }

  /**
   * Stops the workers (each finishes its current task, for up to the close timeout), then closes
   * the micro-batcher, the result cache, the feature stage and, if the pipeline created it, the
   * inference engine. Idempotent.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      workAvailable.signalAll();
    } finally {
      lock.unlock();
    }
    long deadline = System.nanoTime() + closeTimeout.toNanos();
    for (int slot = 0; slot < workers.length; slot++) {
      joinUntil(slot, deadline);
    }
    try {
      batcher.close();
    } finally {
      try {
        resultCache.close();
        features.close();
      } finally {
        if (ownsEngine) {
          engine.close();
        }
      }
    }
  }

  // ---------------------------------------------------------------- workers

  private void startWorker(int slot, int generation) {
    Thread worker =
        new Thread(
            () -> runWorker(slot, generation),
            "heimdall-pipeline-worker-" + slot + (generation == 0 ? "" : "." + generation));
    worker.setDaemon(true);
    worker.setUncaughtExceptionHandler(
        (thread, error) ->
            LOG.error(
                "{} died; its task returns to the queue when its lease expires",
                thread.getName(),
                error));
    workers[slot] = worker;
    worker.start();
  }

  private void runWorker(int slot, int generation) {
    String workerId = PROCESS + ":worker-" + slot + "." + generation;
    FloatBuffer featureBuffer = allocateFeatures();
    int processed = 0;
    while (!closed) {
      if (processed == tasksPerWorker) {
        recycle(slot, generation);
        return;
      }
      Optional<ClaimedTask> claimed;
      try {
        claimed = queue.claim(workerId);
      } catch (RuntimeException e) {
        LOG.warn(
            "worker {} could not claim a task, retrying in {}: {}",
            workerId,
            pollInterval,
            e.getMessage());
        awaitWork();
        continue;
      }
      if (claimed.isEmpty()) {
        awaitWork();
        continue;
      }
      process(claimed.get(), featureBuffer);
      processed++;
    }
  }

  /** Worker recycling: this thread ends and a fresh one, with a fresh buffer, takes the slot. */
  private void recycle(int slot, int generation) {
    lock.lock();
    try {
      if (!closed) {
        recycled.incrementAndGet();
        startWorker(slot, generation + 1);
      }
    } finally {
      lock.unlock();
    }
  }

  private void process(ClaimedTask claimed, FloatBuffer featureBuffer) {
    long start = System.nanoTime();
    Task task = claimed.task();
    try {
      long t0 = System.nanoTime();
      List<IqRecording> recordings = source.recordings(task);
      acquireTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);

      Localization localization = localize(recordings, featureBuffer);

      long t1 = System.nanoTime();
      List<SignalMeasurement> measurements = measurements(task, localization);
      if (claimed.attempt() > 1) {
        deleteMeasurementsOfEarlierAttempts(task.id());
      }
      database.ingest().ingest(measurements);
      Location location = localization.location();
      TaskResult result =
          TaskResult.builder(task.id(), location.latitude(), location.longitude())
              .uncertaintyM(location.latitudeUncertaintyM(), location.longitudeUncertaintyM())
              .confidence(localization.confidence())
              .algorithmVersion(algorithmVersion)
              .processingTimeMs((int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
              .stationsUsed(recordings.size())
              .measurementsUsed(measurements.size())
              .build();
      queue.complete(claimed, result);
      dbWriteTimer.record(System.nanoTime() - t1, TimeUnit.NANOSECONDS);

      measurementsStored.add(measurements.size());
      completed.increment();
      metrics.recordTask(
          Duration.ofNanos(System.nanoTime() - start), HeimdallMetrics.OUTCOME_COMPLETED);
    } catch (RuntimeException e) {
      metrics.recordTask(
          Duration.ofNanos(System.nanoTime() - start), HeimdallMetrics.OUTCOME_FAILED);
      recordFailure(claimed, e);
    } finally {
      signal(taskFinished);
    }
  }

  private void recordFailure(ClaimedTask claimed, RuntimeException cause) {
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    try {
      TaskQueue.FailOutcome outcome = queue.fail(claimed, message);
      if (outcome == TaskQueue.FailOutcome.FAILED) {
        failed.increment();
        LOG.warn(
            "task {} failed after attempt {}: {}", claimed.task().id(), claimed.attempt(), message);
      } else {
        retried.increment();
        LOG.info(
            "task {} attempt {} failed, re-queued: {}",
            claimed.task().id(),
            claimed.attempt(),
            message);
      }
    } catch (RuntimeException e) {
      // the lease will expire and the queue will hand the task out again
      LOG.warn(
          "task {} failed ({}) and could not be returned to the queue: {}",
          claimed.task().id(),
          message,
          e.getMessage());
    }
  }

  /** A retried task may have stored its measurements before its previous attempt failed. */
  private void deleteMeasurementsOfEarlierAttempts(UUID taskId) {
    database
        .jdbi()
        .useHandle(
            h ->
                h.createUpdate("DELETE FROM signal_measurements WHERE task_id = :id")
                    .bind("id", taskId)
                    .execute());
  }

  private void awaitWork() {
    lock.lock();
    try {
      if (!closed) {
        workAvailable.await(pollInterval.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private void joinUntil(int slot, long deadline) {
    // a recycled slot may hand over to a new thread while we wait: follow it
    Thread worker;
    while ((worker = workers[slot]) != null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        LOG.warn(
            "worker {} did not finish its task within {}; it is a daemon and is left behind",
            worker.getName(),
            closeTimeout);
        return;
      }
      try {
        worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!worker.isAlive() && workers[slot] == worker) {
        return;
      }
    }
  }

  // ---------------------------------------------------------------- stages

  private Localization localize(List<IqRecording> recordings, FloatBuffer featureBuffer) {
    float[] powers = checkedColumns(recordings);

    long t0 = System.nanoTime();
    List<StationReading> readings = features.extract(recordings, featureBuffer);
    dspTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);

    for (int i = 0; i < recordings.size(); i++) {
      powers[receiverColumns.get(recordings.get(i).receiver().name())] =
          (float) readings.get(i).powerDbm();
    }
    long t1 = System.nanoTime();
    Location location = infer(powers);
    inferenceTimer.record(System.nanoTime() - t1, TimeUnit.NANOSECONDS);
    return new Localization(location, confidence(location), readings);
  }

  /** The localiser's input row, every column absent, after checking the recordings fit it. */
  private float[] checkedColumns(List<IqRecording> recordings) {
    if (recordings == null || recordings.isEmpty()) {
      throw new IllegalArgumentException("a transmission needs at least one recording, got none");
    }
    if (recordings.size() > receivers.size()) {
      throw new IllegalArgumentException(
          "got "
              + recordings.size()
              + " recordings, but the localiser takes at most "
              + receivers.size()
              + " (one per receiver)");
    }
    boolean[] seen = new boolean[receivers.size()];
    double sampleRate = recordings.get(0).sampleRateHz();
    for (IqRecording recording : recordings) {
      Integer column = receiverColumns.get(recording.receiver().name());
      if (column == null) {
        throw new IllegalArgumentException(
            "recording from unknown receiver '"
                + recording.receiver().name()
                + "'; the localiser knows "
                + receiverColumns.keySet());
      }
      if (seen[column]) {
        throw new IllegalArgumentException(
            "two recordings from receiver '"
                + recording.receiver().name()
                + "'; expected at most one each");
      }
      seen[column] = true;
      if (recording.sampleRateHz() != sampleRate) {
        throw new IllegalArgumentException(
            "recordings of one transmission must share a sample rate: "
                + recording.receiver().name()
                + " has "
                + recording.sampleRateHz()
                + " Hz, the first has "
                + sampleRate
                + " Hz");
      }
    }
    float[] powers = new float[receivers.size()];
    Arrays.fill(powers, ABSENT_POWER_DBM);
    return powers;
  }

  private Location infer(float[] powers) {
    try {
      return Location.decode(
              batcher.submit(powers).get(inferenceTimeout.toNanos(), TimeUnit.NANOSECONDS))
          .get(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the localiser", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the localiser did not answer within " + inferenceTimeout, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException("the localiser failed: " + cause, cause);
    }
  }

  /**
   * Probability that the transmitter lies within the confidence radius of the estimate, taking the
   * uncertainty as a circular Gaussian with σ² the mean of the two axes' variances (Rayleigh).
   */
  private double confidence(Location location) {
    double variance =
        (square(location.latitudeUncertaintyM()) + square(location.longitudeUncertaintyM())) / 2;
    if (variance == 0) {
      return 1;
    }
    return 1 - Math.exp(-square(confidenceRadiusMetres) / (2 * variance));
  }

  private static List<SignalMeasurement> measurements(Task task, Localization localization) {
    List<SignalMeasurement> rows = new ArrayList<>(localization.readings().size());
    for (StationReading reading : localization.readings()) {
      rows.add(
          SignalMeasurement.builder(task.id(), reading.stationName(), reading.frequencyMhz())
              .signalStrengthDbm(reading.powerDbm())
              .snrDb(reading.snrDb())
              .signalQuality(reading.signalQuality())
              .build());
    }
    return rows;
  }

  /**
   * Room for the spectrograms of one transmission. On the heap: the localiser reads powers, not
   * spectrograms, so nothing here goes to ONNX Runtime and a direct buffer would only add native
   * memory to manage.
   */
  private FloatBuffer allocateFeatures() {
    return FloatBuffer.allocate(Math.multiplyExact(receivers.size(), features.melSize()));
  }

  private void signal(Condition condition) {
    lock.lock();
    try {
      condition.signalAll();
    } finally {
      lock.unlock();
    }
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

  private static double square(double x) {
    return x * x;
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

    /** Receiver calibration: input power in dBm of a full-scale (0 dBFS) signal (default −10). */
    public Builder fullScaleDbm(double fullScaleDbm) {
      this.fullScaleDbm = fullScaleDbm;
      return this;
    }

    /** Peak FM deviation the demodulator scales to ±1 (default 2.5 kHz, narrow-band FM). */
    public Builder fmDeviationHz(double deviationHz) {
      this.fmDeviationHz = deviationHz;
      return this;
    }

    /** Audio length of the mel features; recordings are cut or zero-padded to it (default 10 s). */
    public Builder audioSeconds(double seconds) {
      this.audioSeconds = seconds;
      return this;
    }

    /** Worker threads claiming tasks (default: available processors). */
    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    /** Tasks a worker processes before it is replaced by a fresh one (default 1000). */
    public Builder tasksPerWorker(int tasks) {
      this.tasksPerWorker = tasks;
      return this;
    }

    /** Lease and retry settings of the queue (default {@link QueueOptions#defaults()}). */
    public Builder queueOptions(QueueOptions options) {
      this.queueOptions = Objects.requireNonNull(options, "queueOptions");
      return this;
    }

    /** How long an idle worker waits before asking the queue again (default 200 ms). */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = Objects.requireNonNull(interval, "pollInterval");
      return this;
    }

    /** How long {@link #close()} lets workers finish their task (default 30 s). */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = Objects.requireNonNull(timeout, "closeTimeout");
      return this;
    }

    /** Largest inference batch the micro-batcher forms (default 32). */
    public Builder maxBatchSize(int size) {
      this.maxBatchSize = size;
      return this;
    }

    /** Longest wait for a batch to fill (default 2 ms). */
    public Builder maxQueueDelay(Duration delay) {
      this.maxQueueDelay = Objects.requireNonNull(delay, "maxQueueDelay");
      return this;
    }

    /** Longest wait for one localisation, queueing included (default 10 s). */
    public Builder inferenceTimeout(Duration timeout) {
      this.inferenceTimeout = Objects.requireNonNull(timeout, "inferenceTimeout");
      return this;
    }

    /** Radius the confidence refers to (default 10 km). */
    public Builder confidenceRadiusMetres(double metres) {
      this.confidenceRadiusMetres = metres;
      return this;
    }

    /** Time to live of cached results (default 10 min). */
    public Builder resultTtl(Duration ttl) {
      this.resultTtl = Objects.requireNonNull(ttl, "resultTtl");
      return this;
    }

    /** Most results held in the local cache tier (default 100 000). */
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

    /** Registry for the pipeline's, batcher's, engine's and cache's meters (default none). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "meterRegistry");
      return this;
    }

    /**
     * Validates the settings, loads the localiser if none was given, and builds the pipeline
     * (workers start with {@link LocalizationPipeline#start()}).
     *
     * @throws IllegalArgumentException naming the first invalid setting
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
        checkLocalizer(engine);
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

    private void checkLocalizer(InferenceEngine engine) {
      List<String> inputs = engine.modelInfo().inputNames();
      if (inputs.size() != 1) {
        throw new IllegalArgumentException(
            "the localiser must have one input (received powers), it has " + inputs);
      }
      TensorSpec input = engine.modelInfo().input(inputs.get(0));
      if (input.rank() != 2 || input.sampleSize() != receivers.size()) {
        throw new IllegalArgumentException(
            "the localiser's input '"
                + input.name()
                + "' is "
                + input.shapeText()
                + "; expected [N,"
                + receivers.size()
                + "] (one power per receiver)");
      }
      List<String> outputs = engine.modelInfo().outputNames();
      if (!outputs.contains(Location.POSITIONS) || !outputs.contains(Location.UNCERTAINTIES)) {
        throw new IllegalArgumentException(
            "the localiser must output '"
                + Location.POSITIONS
                + "' and '"
                + Location.UNCERTAINTIES
                + "', it outputs "
                + outputs);
      }
    }

    private static boolean positive(Duration d) {
      return !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String setting, Object value, String expected) {
      if (!ok) {
        throw new IllegalArgumentException(
            "pipeline " + setting + " must be " + expected + ", got " + value);
      }
    }
  }
}
