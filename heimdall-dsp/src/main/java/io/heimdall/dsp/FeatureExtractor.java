package io.heimdall.dsp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Batch feature extraction: N equally long signals → one direct, native-order {@code FloatBuffer}
 * of shape {@code [N, n_mels, frames]}, ready to wrap as an ONNX tensor without copying.
 *
 * <p>Signals are processed in parallel, one signal per task, by {@code parallelism} workers: the
 * calling thread plus {@code parallelism − 1} tasks on an executor, either the caller's or one this
 * extractor owns (daemon threads, shut down by {@link #close()}). Each worker thread reuses its
 * scratch arrays, so the steady state allocates nothing per signal. Thread-safe.
 */
public final class FeatureExtractor implements AutoCloseable {

  private final MelSpectrogram mel;
  private final PowerToDb decibels;
  private final int parallelism;
  private final Executor executor;
  private final ExecutorService ownedPool;
  private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[2][]);
  private volatile boolean closed;

  private FeatureExtractor(Builder b) {
    this.mel = Objects.requireNonNull(b.mel, "mel spectrogram");
    this.decibels = b.decibels;
    this.parallelism = b.parallelism;
    if (b.executor != null) {
      this.executor = b.executor;
      this.ownedPool = null;
    } else if (parallelism > 1) {
      AtomicInteger counter = new AtomicInteger();
      this.ownedPool =
          Executors.newFixedThreadPool(
              parallelism - 1,
              task -> {
                Thread thread = new Thread(task, "heimdall-dsp-" + counter.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
      this.executor = ownedPool;
    } else {
      this.executor = null;
      this.ownedPool = null;
    }
  }

  /**
   * A builder for an extractor computing {@code mel} spectrograms.
   *
   * @param mel the mel spectrogram computed for every signal
   * @return a new builder: power output, parallelism the available processors, an owned pool
   */
  public static Builder builder(MelSpectrogram mel) {
    return new Builder(mel);
  }

  /**
   * The spectrogram computed per signal.
   *
   * @return the mel spectrogram given to {@link #builder(MelSpectrogram)}
   */
  public MelSpectrogram melSpectrogram() {
    return mel;
  }

  /**
   * Number of workers (the calling thread included).
   *
   * @return the number of signals computed at once, the calling thread included
   */
  public int parallelism() {
    return parallelism;
  }

  /**
   * The output shape {@code [signals, n_mels, frames]} for signals of {@code length} samples.
   *
   * @param signals number of signals in the batch
   * @param length number of samples of each signal, at least 1
   * @return a new array {@code {signals, n_mels, frames}}, the shape of the model input
   * @throws DspException for an empty signal or one too short for uncentred analysis
   */
  public long[] outputShape(int signals, int length) {
    return new long[] {signals, mel.melBands(), mel.frames(length)};
  }

  /**
   * Features of equally long signals, in a new direct buffer {@code [N, n_mels, frames]}.
   *
   * @param signals the signals, at least one, all of the same length
   * @return a new direct buffer in native byte order holding {@code N·n_mels·frames} floats,
   *     signal by signal, each {@code [n_mels][frames]}
   * @throws DspException if the list is empty, the lengths differ, or the output would exceed 2 GiB
   * @throws NonFiniteSampleException naming the first NaN or infinity, in the first signal found
   * @throws IllegalStateException if the extractor is closed, its executor rejects the helper
   *     tasks, or the calling thread is interrupted while waiting for them
   */
  public FloatBuffer extract(List<float[]> signals) {
    FloatBuffer out = allocate(signals.size(), commonLength(signals));
    extractInto(signals, out);
    return out;
  }

  /**
   * Features of {@code count} signals of {@code length} samples stored row after row in {@code
   * signals} from its position (as an {@code .npy} array {@code [N, samples]} is), into a new
   * direct buffer.
   *
   * @param signals holds the signals row after row from its position; neither its position nor
   *     its limit is changed
   * @param count number of signals, at least 0
   * @param length number of samples of each signal, at least 1
   * @return a new direct buffer in native byte order holding {@code count·n_mels·frames} floats
   * @throws DspException if {@code count} is negative, {@code length} is 0, {@code signals} has
   *     fewer than {@code count·length} floats remaining, or the output would exceed 2 GiB
   * @throws NonFiniteSampleException naming the first NaN or infinity, in the first signal found
   * @throws IllegalStateException if the extractor is closed, its executor rejects the helper
   *     tasks, or the calling thread is interrupted while waiting for them
   */
  public FloatBuffer extract(FloatBuffer signals, int count, int length) {
    FloatBuffer out = allocate(count, length);
    extractInto(signals, count, length, out);
    return out;
  }

  /**
   * Writes the features of equally long signals to {@code out} from index 0 (its position and limit
   * are left alone); {@code out} must hold {@code N·n_mels·frames} floats.
   *
   * @param signals the signals, at least one, all of the same length
   * @param out receives the features, signal by signal, each {@code [n_mels][frames]}
   * @throws DspException if the list is empty, the lengths differ, or {@code out}'s limit is below
   *     {@code N·n_mels·frames}
   * @throws NonFiniteSampleException naming the first NaN or infinity, in the first signal found
   * @throws IllegalStateException if the extractor is closed, its executor rejects the helper
   *     tasks, or the calling thread is interrupted while waiting for them
   */
  public void extractInto(List<float[]> signals, FloatBuffer out) {
    int length = commonLength(signals);
    run(signals.size(), length, out, (i, ws) -> signals.get(i));
  }

  /**
   * Like {@link #extract(FloatBuffer, int, int)}, into a caller's buffer from index 0.
   *
   * @param signals holds the signals row after row from its position; neither its position nor
   *     its limit is changed
   * @param count number of signals, at least 0
   * @param length number of samples of each signal, at least 1
   * @param out receives the features from index 0, signal by signal; its position and limit are
   *     left alone
   * @throws DspException if {@code count} is negative, {@code length} is 0, {@code signals} has
   *     fewer than {@code count·length} floats remaining, or {@code out}'s limit is too small
   * @throws NonFiniteSampleException naming the first NaN or infinity, in the first signal found
   * @throws IllegalStateException if the extractor is closed, its executor rejects the helper
   *     tasks, or the calling thread is interrupted while waiting for them
   */
  public void extractInto(FloatBuffer signals, int count, int length, FloatBuffer out) {
    if (count < 0) {
      throw new DspException("signal count must be >= 0, got " + count);
    }
    Checks.nonEmpty("signal", length);
    long needed = (long) count * length;
    if (signals.remaining() < needed) {
      throw new DspException(
          count
              + " signals of "
              + length
              + " samples need "
              + needed
              + " floats, the buffer has "
              + signals.remaining());
    }
    FloatBuffer source = signals.duplicate();
    int base = signals.position();
    run(
        count,
        length,
        out,
        (i, ws) -> {
          if (ws[1] == null || ws[1].length != length) {
            ws[1] = new float[length];
          }
          source.get(base + i * length, ws[1]);
          return ws[1];
        });
  }

  private FloatBuffer allocate(int count, int length) {
    long floats = (long) count * mel.outputSize(length);
    if (floats * Float.BYTES > Integer.MAX_VALUE) {
      throw new DspException(
          count
              + " spectrograms of "
              + mel.outputSize(length)
              + " floats exceed a 2 GiB buffer:"
              + " extract in smaller batches");
    }
    return ByteBuffer.allocateDirect((int) floats * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  private static int commonLength(List<float[]> signals) {
    if (signals.isEmpty()) {
      throw new DspException("no signals to extract features from (expected at least one)");
    }
    int length = signals.get(0).length;
    for (int i = 1; i < signals.size(); i++) {
      if (signals.get(i).length != length) {
        throw new DspException(
            "signal "
                + i
                + " has "
                + signals.get(i).length
                + " samples, expected "
                + length
                + " like signal 0 (a batch needs equally long signals)");
      }
    }
    return length;
  }

  /** Supplies signal i as an array, possibly using the worker's scratch arrays. */
  @FunctionalInterface
  private interface Source {
    float[] signal(int index, float[][] workerScratch);
  }

  private void run(int count, int length, FloatBuffer out, Source source) {
    if (closed) {
      throw new IllegalStateException("FeatureExtractor is closed");
    }
    int perSignal = mel.outputSize(length);
    Checks.range("feature output buffer", out.limit(), 0, Math.multiplyExact(count, perSignal));
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Runnable worker =
        () -> {
          float[][] ws = scratch.get();
          int i;
          while ((i = next.getAndIncrement()) < count) {
            try {
              computeOne(source.signal(i, ws), i, out, i * perSignal, ws);
            } catch (RuntimeException e) {
              failure.compareAndSet(null, e);
              next.set(count);
            }
          }
        };
    int helpers = Math.min(parallelism, count) - 1;
    CompletableFuture<?>[] tasks = new CompletableFuture<?>[Math.max(helpers, 0)];
    try {
      for (int h = 0; h < tasks.length; h++) {
        tasks[h] = CompletableFuture.runAsync(worker, executor);
      }
    } catch (RejectedExecutionException e) {
      next.set(count);
      throw new IllegalStateException("the executor rejected feature extraction tasks", e);
    }
    worker.run();
    awaitAll(tasks, next, count);
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  private static void awaitAll(CompletableFuture<?>[] tasks, AtomicInteger next, int count) {
    for (CompletableFuture<?> task : tasks) {
      if (task == null) {
        continue;
      }
      try {
        task.get();
      } catch (InterruptedException e) {
        next.set(count);
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while extracting features", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("feature extraction task failed", e.getCause());
      }
    }
  }

  private void computeOne(float[] signal, int index, FloatBuffer out, int outIndex, float[][] ws) {
    String label = "signal " + index;
    if (decibels == null) {
      mel.compute(label, signal, 0, signal.length, out, outIndex);
      return;
    }
    int size = mel.outputSize(signal.length);
    if (ws[0] == null || ws[0].length != size) {
      ws[0] = new float[size];
    }
    mel.compute(label, signal, 0, signal.length, ws[0], 0);
    decibels.applyInPlace(ws[0], 0, size);
    out.put(outIndex, ws[0], 0, size);
  }

  /** Shuts down the executor this extractor owns (a caller's executor is left running). */
  @Override
  public void close() {
    closed = true;
    if (ownedPool != null) {
      ownedPool.shutdown();
    }
  }

  /** Configures a {@link FeatureExtractor}. */
  public static final class Builder {
    private final MelSpectrogram mel;
    private PowerToDb decibels;
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private Executor executor;

    private Builder(MelSpectrogram mel) {
      this.mel = mel;
    }

    /**
     * Convert each spectrogram to dB (e.g. {@link PowerToDb#relativeToMax()}); default: power.
     *
     * @param decibels the conversion applied to each spectrogram, or null to keep power
     * @return this builder
     */
    public Builder decibels(PowerToDb decibels) {
      this.decibels = decibels;
      return this;
    }

    /**
     * Number of workers, the calling thread included (default: available processors). Without
     * {@link #executor}, the extractor owns {@code parallelism − 1} daemon threads.
     *
     * @param parallelism number of signals computed at once, the calling thread included, greater
     *     than
     *     0 (checked by {@link #build()})
     * @return this builder
     */
    public Builder parallelism(int parallelism) {
      this.parallelism = parallelism;
      return this;
    }

    /**
     * Run helper tasks on the caller's executor instead of an owned pool (not shut down on close).
     *
     * @param executor runs the {@code parallelism − 1} helper tasks of each batch
     * @return this builder
     * @throws NullPointerException if {@code executor} is null
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Validates and builds the extractor.
     *
     * @return a new extractor; close it to stop the pool it owns
     * @throws DspException if {@code parallelism <= 0}
     */
    public FeatureExtractor build() {
      Checks.positive("parallelism", parallelism);
      return new FeatureExtractor(this);
    }
  }
}
