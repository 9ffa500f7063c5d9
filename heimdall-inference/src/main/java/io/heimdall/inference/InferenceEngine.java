package io.heimdall.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>All engines of a JVM share one {@link OrtEnvironment}.
 */
public final class InferenceEngine implements AutoCloseable {

  /** Counter incremented each time {@link Device#AUTO} falls back to the CPU. */
  public static final String METRIC_FALLBACKS = "heimdall.inference.provider.fallbacks";

  /** Timer of each ONNX Runtime {@code run} (one chunk of at most {@code maxBatchSize} samples). */
  public static final String METRIC_RUN = "heimdall.inference.run";

  /** Default largest number of samples given to ONNX Runtime in one call. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 64;

  private static final Logger LOG = LoggerFactory.getLogger(InferenceEngine.class);

  private final OrtSession session;
  private final ModelInfo modelInfo;
  private final Device device;
  private final List<String> providers;
  private final int maxBatchSize;
  private final boolean rejectNonFinite;
  private final Timer runTimer;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

  /** Direct buffers of one chunk for {@link #run(float[][])}: at most one per concurrent caller. */
  private final ConcurrentLinkedQueue<FloatTensor> scratch = new ConcurrentLinkedQueue<>();

  private boolean closed;

  private InferenceEngine(Builder builder, Loaded loaded) {
    this.session = loaded.session;
    this.device = loaded.device;
    this.providers = loaded.providers;
    this.modelInfo = loaded.info;
    this.maxBatchSize = builder.maxBatchSize;
    this.rejectNonFinite = builder.rejectNonFinite;
    this.runTimer =
        Timer.builder(METRIC_RUN)
            .description("ONNX Runtime run of one batch")
            .publishPercentileHistogram()
            .register(builder.registry());
  }

  /** A builder for an engine on the model file at {@code model}. */
  public static Builder builder(Path model) {
    return new Builder(Objects.requireNonNull(model, "model"), null);
  }

  /** A builder for an engine on a serialized model (the array is not copied; do not change it). */
  public static Builder builder(byte[] model) {
    return new Builder(null, Objects.requireNonNull(model, "model"));
  }

  /**
   * The execution providers this ONNX Runtime build offers (e.g. {@code [CPU]} for the CPU jar).
   */
  public static List<String> availableProviders() {
    List<String> names = new ArrayList<>();
    for (OrtProvider provider : OrtEnvironment.getAvailableProviders()) {
      names.add(provider.getName());
    }
    return names;
  }

  /** The model's inputs, outputs, opsets and producer, as read at load. */
  public ModelInfo modelInfo() {
    return modelInfo;
  }

  /** The device that runs the model: {@link Device#CPU} or {@link Device#CUDA}, never AUTO. */
  public Device device() {
    return device;
  }

  /**
   * The execution providers registered in the session, in priority order, by ONNX Runtime name
   * (e.g. {@code [CUDAExecutionProvider, CPUExecutionProvider]}); the CPU provider is always last.
   */
  public List<String> providers() {
    return providers;
  }

  /** The largest number of samples given to ONNX Runtime in one call. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /**
   * Runs a single-input model on a batch.
   *
   * @param input the values of {@code [N, ...]} samples from the buffer's position to its limit; a
   *     direct native-order buffer is used without copying
   * @param shape the shape of the batch, e.g. {@code [N,128,431]}
   */
  public InferenceResult run(FloatBuffer input, long... shape) {
    return run(FloatTensor.of(input, shape));
  }

  /** Runs a single-input model on a batch held in one tensor. */
  public InferenceResult run(FloatTensor input) {
    return run(Map.of(singleInputName(), input));
  }

  /**
   * Runs a single-input model on samples given as rows: row {@code i} holds the values of sample
   * {@code i} in C order (for a {@code [N,128,431]} input, 55,168 values). The rows are packed into
   * a direct buffer of {@code maxBatchSize} samples, one chunk at a time; the engine keeps such
   * buffers for reuse, one per caller running at the same time.
   */
  public InferenceResult run(float[][] samples) {
    TensorSpec spec = modelInfo.input(singleInputName());
    int sampleSize = (int) spec.sampleSize();
    for (int i = 0; i < samples.length; i++) {
      if (samples[i] == null || samples[i].length != sampleSize) {
        throw new InputShapeException(
            "input '"
                + spec.name()
                + "': sample "
                + i
                + " has "
                + (samples[i] == null ? "no" : Integer.toString(samples[i].length))
                + " values; expected "
                + sampleSize
                + " (one sample of "
                + spec.shapeText()
                + ")");
      }
    }
    if (samples.length == 0) {
      throw new InputShapeException(
          "input '"
              + spec.name()
              + "': empty batch; expected "
              + spec.shapeText()
              + " with N >= 1");
    }
    if (rejectNonFinite) {
      for (int i = 0; i < samples.length; i++) {
        rejectNonFinite(spec, FloatTensor.of(samples[i], sampleSize), i);
      }
    }
    FloatTensor buffer = borrowScratch(spec);
    try {
      List<InferenceResult> parts = new ArrayList<>();
      for (int start = 0; start < samples.length; start += maxBatchSize) {
        int count = Math.min(maxBatchSize, samples.length - start);
        FloatBuffer target = buffer.writableBuffer();
        for (int i = 0; i < count; i++) {
          target.put(samples[start + i]);
        }
        parts.add(run(Map.of(spec.name(), buffer.rows(0, count))));
      }
      return parts.size() == 1 ? parts.get(0) : concat(parts, samples.length);
    } finally {
      scratch.offer(buffer);
    }
  }

  /**
   * Runs a model on named inputs, all with the same batch size {@code N}.
   *
   * @throws InputNameException if an input is missing or unknown
   * @throws InputShapeException if a rank or dimension differs from the model's, or the inputs
   *     disagree on N
   * @throws NonFiniteInputException if rejecting non-finite values and one is found
   * @throws EngineClosedException after {@link #close()}
   * @throws InferenceRunException if ONNX Runtime fails
   */
  public InferenceResult run(Map<String, FloatTensor> inputs) {
    int batch = validate(inputs);
    ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      if (batch <= maxBatchSize) {
        return runChunk(inputs, batch);
      }
      List<InferenceResult> parts = new ArrayList<>();
      for (int start = 0; start < batch; start += maxBatchSize) {
        int end = Math.min(batch, start + maxBatchSize);
        Map<String, FloatTensor> chunk = new LinkedHashMap<>();
        for (Map.Entry<String, FloatTensor> input : inputs.entrySet()) {
          chunk.put(input.getKey(), input.getValue().rows(start, end));
        }
        parts.add(runChunk(chunk, end - start));
      }
      return concat(parts, batch);
    } finally {
      lock.unlock();
    }
  }

  /** Waits for calls in flight, then releases the native session. Idempotent. */
  @Override
  public void close() {
    ReentrantReadWriteLock.WriteLock lock = lifecycle.writeLock();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      scratch.clear();
      session.close();
    } catch (OrtException e) {
      throw new InferenceException("closing the ONNX Runtime session failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #close()} has been called. */
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

  /** Name of the only input; single-input conveniences reject multi-input models. */
  String singleInputName() {
    List<String> names = modelInfo.inputNames();
    if (names.size() != 1) {
      throw new InputNameException(
          "model has " + names.size() + " inputs " + names + "; pass them by name with run(Map)");
    }
    return names.get(0);
  }

  private void ensureOpen() {
    if (closed) {
      throw new EngineClosedException("inference engine is closed");
    }
  }

  private int validate(Map<String, FloatTensor> inputs) {
    for (String name : inputs.keySet()) {
      if (modelInfo.inputs().stream().noneMatch(spec -> spec.name().equals(name))) {
        throw new InputNameException(
            "model has no input '" + name + "'; its inputs are " + modelInfo.inputNames());
      }
    }
    int batch = -1;
    String first = null;
    for (TensorSpec spec : modelInfo.inputs()) {
      FloatTensor tensor = inputs.get(spec.name());
      if (tensor == null) {
        throw new InputNameException(
            "missing input '" + spec.name() + "' " + spec.shapeText() + "; got " + inputs.keySet());
      }
      long[] shape = tensor.shape();
      boolean matches = shape.length == spec.rank();
      for (int axis = 1; matches && axis < shape.length; axis++) {
        matches = shape[axis] == spec.shape().get(axis);
      }
      if (!matches) {
        throw new InputShapeException(
            "input '"
                + spec.name()
                + "' has shape "
                + TensorSpec.shapeText(shape)
                + "; expected "
                + spec.shapeText());
      }
      if (shape[0] == 0) {
        throw new InputShapeException(
            "input '"
                + spec.name()
                + "' is an empty batch "
                + TensorSpec.shapeText(shape)
                + "; expected "
                + spec.shapeText()
                + " with N >= 1");
      }
      if (batch >= 0 && shape[0] != batch) {
        throw new InputShapeException(
            "input '"
                + spec.name()
                + "' has "
                + shape[0]
                + " samples but input '"
                + first
                + "' has "
                + batch
                + "; every input needs the same N");
      }
      batch = Math.toIntExact(shape[0]);
      first = spec.name();
      if (rejectNonFinite) {
        rejectNonFinite(spec, tensor, 0);
      }
    }
    return batch;
  }

  /** Whether inputs holding NaN or infinities are rejected. */
  boolean rejectsNonFinite() {
    return rejectNonFinite;
  }

  /**
   * Throws for the first NaN or infinity in {@code tensor}, whose rows are samples numbered from
   * {@code firstSample}; a rank-1 tensor is one sample.
   */
  static void rejectNonFinite(TensorSpec spec, FloatTensor tensor, int firstSample) {
    FloatBuffer values = tensor.buffer();
    int limit = values.limit();
    int rowSize = tensor.rank() == 1 ? limit : tensor.rowSize();
    for (int i = 0; i < limit; i++) {
      float value = values.get(i);
      if (!Float.isFinite(value)) {
        throw new NonFiniteInputException(
            "input '"
                + spec.name()
                + "' holds "
                + value
                + " at sample "
                + (firstSample + i / rowSize)
                + ", element "
                + i % rowSize
                + "; expected finite values");
      }
    }
  }

  private InferenceResult runChunk(Map<String, FloatTensor> inputs, int batch) {
    OrtEnvironment env = Environment.get();
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

  private static InferenceResult concat(List<InferenceResult> parts, int batch) {
    Map<String, FloatTensor> outputs = new LinkedHashMap<>();
    for (String name : parts.get(0).outputNames()) {
      long[] shape = parts.get(0).output(name).shape();
      shape[0] = batch;
      float[] all = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
      int offset = 0;
      for (InferenceResult part : parts) {
        FloatBuffer values = part.output(name).buffer();
        int count = values.remaining();
        values.get(all, offset, count);
        offset += count;
      }
      outputs.put(name, FloatTensor.owning(all, shape));
    }
    return new InferenceResult(outputs, batch);
  }

  private FloatTensor borrowScratch(TensorSpec spec) {
    FloatTensor buffer = scratch.poll();
    long[] shape = spec.dims();
    shape[0] = maxBatchSize;
    return buffer != null ? buffer : FloatTensor.allocateDirect(shape);
  }

  static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s+", " ").trim();
  }

  /** The one ONNX Runtime environment of the JVM, created on first use. */
  static final class Environment {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private Environment() {}

    static OrtEnvironment get() {
      return ENV;
    }
  }

  /** The session and what was learned while opening it. */
  private record Loaded(
      OrtSession session, Device device, List<String> providers, ModelInfo info) {}

  /**
   * Configuration of an {@link InferenceEngine}; {@link #build()} validates it and loads the model.
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

    private Builder(Path path, byte[] bytes) {
      this.path = path;
      this.bytes = bytes;
    }

    /** Device policy; default {@link Device#AUTO}. */
    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /** Whether to try TensorRT ahead of CUDA (ignored for {@link Device#CPU}); default false. */
    public Builder tensorRt(boolean tensorRt) {
      this.tensorRt = tensorRt;
      return this;
    }

    /** Threads ONNX Runtime uses inside one operator; 0 (default) lets ONNX Runtime choose. */
    public Builder intraOpThreads(int threads) {
      this.intraOpThreads = threads;
      return this;
    }

    /** Graph optimisation level; default {@link GraphOptimization#ALL}. */
    public Builder optimization(GraphOptimization optimization) {
      this.optimization = Objects.requireNonNull(optimization, "optimization");
      return this;
    }

    /**
     * Largest number of samples per ONNX Runtime call; default {@value #DEFAULT_MAX_BATCH_SIZE}.
     */
    public Builder maxBatchSize(int maxBatchSize) {
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /** Whether inputs holding NaN or infinities are rejected before running; default false. */
    public Builder rejectNonFinite(boolean reject) {
      this.rejectNonFinite = reject;
      return this;
    }

    /** Registry for the run timer and the fallback counter; default none (meters are no-ops). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
      return this;
    }

    /**
     * Validates the configuration, loads and inspects the model, and opens the session.
     *
     * @throws IllegalArgumentException for an invalid setting, naming it and the accepted range
     * @throws ModelLoadException for a missing, corrupt, truncated or unsupported model
     * @throws ProviderUnavailableException if {@link Device#CUDA} was asked and CUDA cannot load
     */
    public InferenceEngine build() {
      if (maxBatchSize < 1) {
        throw new IllegalArgumentException("maxBatchSize must be at least 1, got " + maxBatchSize);
      }
      if (intraOpThreads < 0) {
        throw new IllegalArgumentException(
            "intraOpThreads must be 0 (ONNX Runtime's choice) or more, got " + intraOpThreads);
      }
      String source = path != null ? path.toString() : "(" + bytes.length + " bytes)";
      byte[] model = path != null ? readModel(path) : bytes;
      ModelHeader header = ModelHeader.read(model, source);
      Loaded loaded = open(model, source, header);
      return new InferenceEngine(this, loaded);
    }

    MeterRegistry registry() {
      return meterRegistry != null ? meterRegistry : new CompositeMeterRegistry();
    }

    private static byte[] readModel(Path path) {
      try {
        return Files.readAllBytes(path);
      } catch (NoSuchFileException e) {
        throw new ModelLoadException("model file " + path + " does not exist", e);
      } catch (IOException e) {
        throw new ModelLoadException("cannot read model file " + path + ": " + e.getMessage(), e);
      }
    }

    private Loaded open(byte[] model, String source, ModelHeader header) {
      if (device == Device.CPU) {
        return inspect(createSession(model, source), Device.CPU, header, source);
      }
      OrtSession gpuSession;
      try {
        gpuSession = createGpuSession(model);
      } catch (OrtException | RuntimeException e) {
        String why = oneLine(e.getMessage());
        // A model ONNX Runtime cannot load on the CPU either is a model problem, not a provider
        // one.
        OrtSession cpuSession = createSession(model, source);
        if (device == Device.CUDA) {
          closeQuietly(cpuSession);
          throw new ProviderUnavailableException(
              (tensorRt ? "TensorRT/CUDA" : "CUDA")
                  + " execution provider cannot be used: "
                  + why
                  + "; providers of this ONNX Runtime build: "
                  + availableProviders()
                  + " (use device auto or cpu, or build with -Pgpu for onnxruntime_gpu)",
              e);
        }
        LOG.warn("CUDA execution provider unavailable ({}); model {} runs on the CPU", why, source);
        Counter.builder(METRIC_FALLBACKS)
            .description("Times the AUTO device policy fell back from CUDA to the CPU")
            .tag("requested", tensorRt ? "tensorrt" : "cuda")
            .register(registry())
            .increment();
        return inspect(cpuSession, Device.CPU, header, source);
      }
      return inspect(gpuSession, Device.CUDA, header, source);
    }

    private OrtSession createGpuSession(byte[] model) throws OrtException {
      try (SessionOptions options = options()) {
        if (tensorRt) {
          options.addTensorrt(0);
        }
        options.addCUDA(0);
        return Environment.get().createSession(model, options);
      }
    }

    private OrtSession createSession(byte[] model, String source) {
      try (SessionOptions options = options()) {
        return Environment.get().createSession(model, options);
      } catch (OrtException e) {
        throw new ModelLoadException(
            "ONNX Runtime cannot load model " + source + ": " + oneLine(e.getMessage()), e);
      }
    }

    private SessionOptions options() throws OrtException {
      SessionOptions options = new SessionOptions();
      try {
        options.setOptimizationLevel(optimization.ortLevel());
        if (intraOpThreads > 0) {
          options.setIntraOpNumThreads(intraOpThreads);
        }
        return options;
      } catch (OrtException e) {
        options.close();
        throw e;
      }
    }

    private Loaded inspect(OrtSession session, Device actual, ModelHeader header, String source) {
      try {
        List<TensorSpec> inputs = specs(session.getInputInfo(), source, "input");
        List<TensorSpec> outputs = specs(session.getOutputInfo(), source, "output");
        for (TensorSpec input : inputs) {
          if (input.sampleSize() < 0) {
            throw new ModelLoadException(
                "model "
                    + source
                    + " input '"
                    + input.name()
                    + "' "
                    + input.shapeText()
                    + " has a symbolic dimension after the batch dimension; heimdall-inference"
                    + " needs fixed sample shapes");
          }
        }
        ModelInfo info =
            new ModelInfo(
                inputs,
                outputs,
                header.irVersion(),
                header.opsets(),
                header.producerName(),
                header.producerVersion());
        List<String> providers = new ArrayList<>();
        if (actual == Device.CUDA) {
          if (tensorRt) {
            providers.add(OrtProvider.TENSOR_RT.getName());
          }
          providers.add(OrtProvider.CUDA.getName());
        }
        providers.add(OrtProvider.CPU.getName());
        return new Loaded(session, actual, List.copyOf(providers), info);
      } catch (OrtException | RuntimeException e) {
        closeQuietly(session);
        if (e instanceof ModelLoadException loadFailure) {
          throw loadFailure;
        }
        throw new ModelLoadException(
            "cannot inspect model " + source + ": " + oneLine(e.getMessage()), e);
      }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes, String source, String kind) {
      List<TensorSpec> specs = new ArrayList<>();
      for (NodeInfo node : nodes.values()) {
        if (!(node.getInfo() instanceof TensorInfo info)) {
          throw new ModelLoadException(
              "model "
                  + source
                  + " "
                  + kind
                  + " '"
                  + node.getName()
                  + "' is "
                  + node.getInfo()
                  + "; heimdall-inference supports float32 tensors only");
        }
        TensorSpec spec =
            new TensorSpec(
                node.getName(),
                elementType(info.onnxType),
                boxed(info.getShape()),
                List.of(info.getDimensionNames()));
        if (info.onnxType != OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) {
          throw new ModelLoadException(
              "model "
                  + source
                  + " "
                  + kind
                  + " '"
                  + spec.name()
                  + "' has element type "
                  + spec.elementType()
                  + "; heimdall-inference supports float32 tensors only");
        }
        if (!spec.batched()) {
          throw new ModelLoadException(
              "model "
                  + source
                  + " "
                  + kind
                  + " '"
                  + spec.name()
                  + "' has shape "
                  + spec.shapeText()
                  + "; expected a symbolic batch dimension first, like [N,...]");
        }
        specs.add(spec);
      }
      return specs;
    }

    private static String elementType(OnnxTensorType type) {
      return type.name()
          .substring("ONNX_TENSOR_ELEMENT_DATA_TYPE_".length())
          .toLowerCase(Locale.ROOT);
    }

    private static List<Long> boxed(long[] dims) {
      List<Long> list = new ArrayList<>(dims.length);
      for (long dim : dims) {
        list.add(dim);
      }
      return list;
    }

    private static void closeQuietly(OrtSession session) {
      try {
        session.close();
      } catch (OrtException e) {
        LOG.debug("closing a session that failed validation", e);
      }
    }
  }
}
