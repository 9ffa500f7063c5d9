package io.heimdall.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * An ONNX model loaded into ONNX Runtime, ready for batched float32 inference.
 *
 * <p>Built with {@link #builder(Path)} or {@link #builder(byte[])}. At load the model is inspected
 * ({@link #modelInfo()}) and validated: every input and output must be a float32 tensor whose first
 * dimension is the symbolic batch dimension, and the other input dimensions must be fixed. The
 * execution provider follows the {@link Device} policy and {@link #device()} / {@link #providers()}
 * report what actually runs.
 *
 * <p>{@code run} methods validate the inputs (names, shapes, optionally finiteness), split the
 * batch into chunks of at most {@link #maxBatchSize()} samples, and return every output by name in
 * an immutable {@link InferenceResult}. Direct native-order input buffers are passed to ONNX
 * Runtime without copying (each chunk is a slice of the caller's buffer); every native tensor and
 * result is closed before the call returns. An engine is thread-safe: concurrent {@code run} calls
 * share the one session. {@link #close()} waits for calls in flight, then releases the native
 * session.
 *
 * <p>All engines of a JVM share one ONNX Runtime environment. Before it is created, the engine
 * checks that ONNX Runtime's telemetry cannot crash the JVM (see {@link
 * TelemetryCrashRiskException}): a process whose command line is longer than {@value
 * #TELEMETRY_SAFE_COMMAND_LINE_BYTES} bytes needs {@code ORT_DISABLE_TELEMETRY=1} in its
 * environment.
 */
public final class InferenceEngine implements AutoCloseable {

  /**
   * Counter incremented each time {@link Device#AUTO} falls back to the CPU because the CUDA
   * artifact is present but CUDA failed; registered at zero for every AUTO engine.
   */
  public static final String METRIC_FALLBACKS = "heimdall.inference.provider.fallbacks";

  /** Timer of each ONNX Runtime {@code run} (one chunk of at most {@code maxBatchSize} samples). */
  public static final String METRIC_RUN = "heimdall.inference.run";

  /** Default largest number of samples given to ONNX Runtime in one call. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 64;

  /**
   * Longest process command line, in bytes, with which ONNX Runtime is loaded while its telemetry
   * is on; a longer line needs {@code ORT_DISABLE_TELEMETRY=1} (or {@code true}) in the process
   * environment, or building an engine throws {@link TelemetryCrashRiskException}.
   *
   * <p>ONNX Runtime's telemetry runs a backtracking regular expression over the command line, and
   * how long a line it survives depends on the stack of the thread that first loads it. Measured
   * with ONNX Runtime 1.29 on Linux x64: it crashes from 3,978 bytes on a 1 MB stack (the JVM's
   * default), 1.9 kB on 512 kB and 8 kB on 2 MB. This limit keeps a quarter of margin below the
   * default; a thread with a smaller stack can crash below it, so launchers should set the variable
   * whatever their command line.
   */
  public static final int TELEMETRY_SAFE_COMMAND_LINE_BYTES = 3_000;

  private final OrtSession session;
  private final ModelInfo modelInfo;
  private final Device device;
  private final List<String> providers;
  private final InputValidator validator;
  private final BatchChunker chunker;
  private final Timer runTimer;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

  private boolean closed;

  private InferenceEngine(SessionOpener.Opened opened, Builder builder, MeterRegistry registry) {
    this.session = opened.session();
    this.device = opened.device();
    this.providers = opened.providers();
    this.modelInfo = opened.info();
    this.validator = new InputValidator(modelInfo, builder.rejectNonFinite);
    this.chunker = new BatchChunker(builder.maxBatchSize);
    this.runTimer =
        Timer.builder(METRIC_RUN)
            .description("ONNX Runtime run of one batch")
            .publishPercentileHistogram()
            .register(registry);
  }

  /**
   * A builder for an engine on the model file at {@code model}.
   *
   * @param model the path of an ONNX model file, read when {@link Builder#build()} runs
   * @return a builder with every setting at its default
   * @throws NullPointerException if {@code model} is null
   */
  public static Builder builder(Path model) {
    return new Builder(Checks.notNull(model, "model"), null);
  }

  /**
   * A builder for an engine on a serialized model (the array is not copied; do not change it).
   *
   * @param model the bytes of an ONNX model
   * @return a builder with every setting at its default
   * @throws NullPointerException if {@code model} is null
   */
  public static Builder builder(byte[] model) {
    return new Builder(null, Checks.notNull(model, "model"));
  }

  /**
   * The execution providers this ONNX Runtime build offers (e.g. {@code [CPU]} for the CPU jar).
   *
   * @return the provider names as {@link OrtProvider#getName()} spells them
   * @throws TelemetryCrashRiskException if loading ONNX Runtime would crash this JVM
   */
  public static List<String> availableProviders() {
    List<String> names = new ArrayList<>();
    for (OrtProvider provider : OrtRuntime.compiledProviders()) {
      names.add(provider.getName());
    }
    return names;
  }

  /**
   * The model's inputs, outputs, opsets and producer, as read at load.
   *
   * @return what the model declares
   */
  public ModelInfo modelInfo() {
    return modelInfo;
  }

  /**
   * The device that runs the model.
   *
   * @return {@link Device#CPU} or {@link Device#CUDA}, never AUTO
   */
  public Device device() {
    return device;
  }

  /**
   * The execution providers registered in the session, in priority order.
   *
   * @return ONNX Runtime provider names, e.g. {@code [CUDAExecutionProvider,
   *     CPUExecutionProvider]}; the CPU provider is always last
   */
  public List<String> providers() {
    return providers;
  }

  /**
   * The largest number of samples given to ONNX Runtime in one call.
   *
   * @return the configured maximum batch size
   */
  public int maxBatchSize() {
    return chunker.maxBatchSize();
  }

  /**
   * Runs a single-input model on a batch.
   *
   * @param input the values of {@code [N, ...]} samples from the buffer's position to its limit; a
   *     direct native-order buffer is used without copying
   * @param shape the shape of the batch, e.g. {@code [N,128,431]}
   * @return every output of the model for the batch
   * @throws InputNameException if the model has more than one input
   * @throws InputShapeException if the shape does not fit the buffer or the model
   * @throws NonFiniteInputException if rejecting non-finite values and one is found
   * @throws EngineClosedException after {@link #close()}
   * @throws InferenceRunException if ONNX Runtime fails
   */
  public InferenceResult run(FloatBuffer input, long... shape) {
    return run(FloatTensor.of(input, shape));
  }

  /**
   * Runs a single-input model on a batch held in one tensor.
   *
   * @param input the batch, {@code [N, ...]}
   * @return every output of the model for the batch
   * @throws InputNameException if the model has more than one input
   * @throws InputShapeException if the tensor's shape does not fit the model
   * @throws NonFiniteInputException if rejecting non-finite values and one is found
   * @throws EngineClosedException after {@link #close()}
   * @throws InferenceRunException if ONNX Runtime fails
   */
  public InferenceResult run(FloatTensor input) {
    return run(Map.of(validator.singleInput().name(), input));
  }

  /**
   * Runs a single-input model on samples given as rows. The rows are packed into a direct buffer of
   * {@code maxBatchSize} samples, one chunk at a time; the engine keeps such buffers for reuse, one
   * per caller running at the same time.
   *
   * @param samples row {@code i} holds the values of sample {@code i} in C order (for a {@code
   *     [N,128,431]} input, 55,168 values)
   * @return every output of the model, one row per sample
   * @throws InputNameException if the model has more than one input
   * @throws InputShapeException if a row is missing or has the wrong length, or there are no rows
   * @throws NonFiniteInputException if rejecting non-finite values and one is found
   * @throws EngineClosedException after {@link #close()}
   * @throws InferenceRunException if ONNX Runtime fails
   */
  public InferenceResult run(float[][] samples) {
    TensorSpec spec = validator.singleInput();
    validator.validateRows(spec, samples);
    return whileOpen(() -> chunker.runRows(spec, samples, this::runChunk));
  }

  /**
   * Runs a model on named inputs, all with the same batch size {@code N}.
   *
   * @param inputs every model input by name
   * @return every output of the model for the batch
   * @throws InputNameException if an input is missing or unknown
   * @throws InputShapeException if a rank or dimension differs from the model's, or the inputs
   *     disagree on N
   * @throws NonFiniteInputException if rejecting non-finite values and one is found
   * @throws EngineClosedException after {@link #close()}
   * @throws InferenceRunException if ONNX Runtime fails
   */
  public InferenceResult run(Map<String, FloatTensor> inputs) {
    int batch = validator.validate(inputs);
    return whileOpen(() -> chunker.run(inputs, batch, this::runChunk));
  }

  /**
   * Waits for calls in flight, then releases the native session. Idempotent.
   *
   * @throws InferenceException if ONNX Runtime fails to release the session
   */
  @Override
  public void close() {
    ReentrantReadWriteLock.WriteLock lock = lifecycle.writeLock();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      chunker.clear();
      session.close();
    } catch (OrtException e) {
      throw new InferenceException("closing the ONNX Runtime session failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether {@link #close()} has been called.
   *
   * @return true once closed
   */
  public boolean isClosed() {
    lifecycle.readLock().lock();
    try {
      return closed;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "InferenceEngine["
        + device
        + " "
        + providers
        + ", inputs "
        + modelInfo.inputs()
        + ", outputs "
        + modelInfo.outputs()
        + "]";
  }

  /** The input checks of this engine, shared with a micro-batcher in front of it. */
  InputValidator validator() {
    return validator;
  }

  static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s+", " ").trim();
  }

  /** Runs {@code call} holding the read lock, so that {@link #close()} waits for it. */
  private InferenceResult whileOpen(Supplier<InferenceResult> call) {
    ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
    lock.lock();
    try {
      if (closed) {
        throw new EngineClosedException("inference engine is closed");
      }
      return call.get();
    } finally {
      lock.unlock();
    }
  }

  private InferenceResult runChunk(Map<String, FloatTensor> inputs, int batch) {
    OrtEnvironment env = OrtRuntime.environment();
    Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    long started = System.nanoTime();
    try {
      for (Map.Entry<String, FloatTensor> input : inputs.entrySet()) {
        tensors.put(
            input.getKey(),
            OnnxTensor.createTensor(env, ortBuffer(input.getValue()), input.getValue().shape()));
      }
      try (OrtSession.Result result = session.run(tensors)) {
        Map<String, FloatTensor> outputs = new LinkedHashMap<>();
        for (TensorSpec spec : modelInfo.outputs()) {
          outputs.put(spec.name(), copyOutput(result, spec, batch));
        }
        return new InferenceResult(outputs, batch);
      }
    } catch (OrtException e) {
      throw new InferenceRunException(
          "ONNX Runtime failed on a batch of " + batch + ": " + oneLine(e.getMessage()), e);
    } finally {
      tensors.values().forEach(OnnxTensor::close);
      runTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
  }

  /** The buffer to give ONNX Runtime: the caller's own if direct in native order (zero copy). */
  private static FloatBuffer ortBuffer(FloatTensor tensor) {
    FloatBuffer buffer = tensor.writableBuffer();
    if (buffer.isDirect() && buffer.order() != ByteOrder.nativeOrder()) {
      FloatTensor copy = FloatTensor.allocateDirect(tensor.shape());
      FloatBuffer target = copy.writableBuffer();
      target.put(buffer);
      return copy.writableBuffer();
    }
    return buffer;
  }

  private static FloatTensor copyOutput(OrtSession.Result result, TensorSpec spec, int batch) {
    OnnxValue value =
        result
            .get(spec.name())
            .orElseThrow(
                () ->
                    new InferenceRunException(
                        "ONNX Runtime returned no output '" + spec.name() + "'"));
    OnnxTensor tensor = (OnnxTensor) value;
    long[] shape = tensor.getInfo().getShape();
    if (shape.length == 0 || shape[0] != batch) {
      throw new InferenceRunException(
          "output '"
              + spec.name()
              + "' has shape "
              + TensorSpec.shapeText(shape)
              + " for a batch of "
              + batch
              + "; expected "
              + spec.shapeText());
    }
    FloatBuffer values = tensor.getFloatBuffer();
    float[] copy = new float[values.remaining()];
    values.get(copy);
    return FloatTensor.owning(copy, shape);
  }

  /**
   * Configuration of an {@link InferenceEngine}; {@link #build()} validates it and loads the model.
   * Setters check their own argument when called; no two settings conflict.
   */
  public static final class Builder {
    private final Path path;
    private final byte[] bytes;
    private Device device = Device.AUTO;
    private boolean tensorRt;
    private int intraOpThreads;
    private GraphOptimization optimization = GraphOptimization.ALL;
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private boolean rejectNonFinite;
    private MeterRegistry meterRegistry;
    private BooleanSupplier cudaArtifact = SessionOpener::cudaCompiledIn;

    private Builder(Path path, byte[] bytes) {
      this.path = path;
      this.bytes = bytes;
    }

    /**
     * Device policy; default {@link Device#AUTO}.
     *
     * @param device AUTO (CUDA if the CUDA artifact is present and CUDA loads, else the CPU), CPU,
     *     or CUDA (fail if CUDA cannot load)
     * @return this builder
     * @throws NullPointerException if {@code device} is null
     */
    public Builder device(Device device) {
      this.device = Checks.notNull(device, "device");
      return this;
    }

    /**
     * Whether to try TensorRT ahead of CUDA; default false. Ignored for {@link Device#CPU}.
     *
     * @param tensorRt true to register the TensorRT provider before CUDA
     * @return this builder
     */
    public Builder tensorRt(boolean tensorRt) {
      this.tensorRt = tensorRt;
      return this;
    }

    /**
     * Threads ONNX Runtime uses inside one operator; default 0, which lets ONNX Runtime choose.
     *
     * @param threads 0 or more
     * @return this builder
     * @throws io.heimdall.InvalidInputException if {@code threads} is negative
     */
    public Builder intraOpThreads(int threads) {
      Checks.argument(threads >= 0, "intraOpThreads", threads, "0 (ONNX Runtime's choice) or more");
      this.intraOpThreads = threads;
      return this;
    }

    /**
     * Graph optimisation level; default {@link GraphOptimization#ALL}.
     *
     * @param optimization the level applied when the session is created
     * @return this builder
     * @throws NullPointerException if {@code optimization} is null
     */
    public Builder optimization(GraphOptimization optimization) {
      this.optimization = Checks.notNull(optimization, "optimization");
      return this;
    }

    /**
     * Largest number of samples per ONNX Runtime call; default {@value #DEFAULT_MAX_BATCH_SIZE}.
     * Larger batches run as consecutive chunks. A {@link MicroBatcher} in front of the engine
     * batches at most this many samples.
     *
     * @param maxBatchSize 1 or more
     * @return this builder
     * @throws io.heimdall.InvalidInputException if {@code maxBatchSize} is less than 1
     */
    public Builder maxBatchSize(int maxBatchSize) {
      Checks.argument(maxBatchSize >= 1, "maxBatchSize", maxBatchSize, "at least 1");
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /**
     * Whether inputs holding NaN or infinities are rejected before running; default false (they
     * pass through to the model).
     *
     * @param reject true to throw {@link NonFiniteInputException} for such inputs
     * @return this builder
     */
    public Builder rejectNonFinite(boolean reject) {
      this.rejectNonFinite = reject;
      return this;
    }

    /**
     * Registry for the run timer and the fallback counter; default none (meters are no-ops).
     *
     * @param registry where the engine registers its meters
     * @return this builder
     * @throws NullPointerException if {@code registry} is null
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Checks.notNull(registry, "meterRegistry");
      return this;
    }

    /** Test seam: whether the CUDA artifact counts as present (default: ask ONNX Runtime). */
    Builder cudaArtifact(BooleanSupplier present) {
      this.cudaArtifact = present;
      return this;
    }

    /**
     * Loads and inspects the model and opens the session.
     *
     * @return the open engine; close it when done
     * @throws ModelLoadException for a missing, corrupt, truncated or unsupported model
     * @throws ProviderUnavailableException if {@link Device#CUDA} was asked and CUDA cannot load
     * @throws TelemetryCrashRiskException if loading ONNX Runtime would crash this JVM: the command
     *     line is longer than {@value #TELEMETRY_SAFE_COMMAND_LINE_BYTES} bytes and {@code
     *     ORT_DISABLE_TELEMETRY=1} is not in the environment
     */
    public InferenceEngine build() {
      MeterRegistry registry = meterRegistry != null ? meterRegistry : new CompositeMeterRegistry();
      SessionOpener.Opened opened =
          new SessionOpener(device, tensorRt, intraOpThreads, optimization, registry, cudaArtifact)
              .open(path, bytes);
      return new InferenceEngine(opened, this, registry);
    }
  }
}
