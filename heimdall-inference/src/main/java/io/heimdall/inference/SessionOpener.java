package io.heimdall.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the session of one engine: reads the model, checks its header, chooses the execution
 * provider by the {@link Device} policy, and validates the inputs and outputs the session reports.
 * Every failure is a {@link ModelLoadException} or {@link ProviderUnavailableException} naming the
 * model, and a session that fails validation is closed before the exception leaves.
 */
final class SessionOpener {

  /** The session and what was learned while opening it. */
  record Opened(OrtSession session, Device device, List<String> providers, ModelInfo info) {}

  // Logged under the engine's name: that is the logger users configure.
  private static final Logger LOG = LoggerFactory.getLogger(InferenceEngine.class);

  private static final String FLOAT32_ONLY = "; heimdall-inference supports float32 tensors only";

  private final Device device;
  private final boolean tensorRt;
  private final int intraOpThreads;
  private final GraphOptimization optimization;
  private final MeterRegistry registry;
  private final BooleanSupplier cudaArtifact;

  /**
   * An opener with these settings; {@code cudaArtifact} answers whether the CUDA artifact is on the
   * class path (normally {@link #cudaCompiledIn()}; tests may say yes on a CPU-only machine to
   * reach ONNX Runtime's own CUDA failure).
   */
  SessionOpener(
      Device device,
      boolean tensorRt,
      int intraOpThreads,
      GraphOptimization optimization,
      MeterRegistry registry,
      BooleanSupplier cudaArtifact) {
    this.device = device;
    this.tensorRt = tensorRt;
    this.intraOpThreads = intraOpThreads;
    this.optimization = optimization;
    this.registry = registry;
    this.cudaArtifact = cudaArtifact;
  }

  /**
   * Whether this ONNX Runtime build has the CUDA provider compiled in: true for {@code
   * onnxruntime_gpu} (whether or not CUDA loads on this machine), false for the CPU artifact.
   */
  static boolean cudaCompiledIn() {
    return OrtRuntime.compiledProviders().contains(OrtProvider.CUDA);
  }

  /** Opens the model read from {@code path}, or given as {@code bytes} when the path is null. */
  Opened open(Path path, byte[] bytes) {
    // Before ONNX Runtime is loaded for anything (options, providers, environment).
    OrtRuntime.checkTelemetryRisk();
    String source = path != null ? path.toString() : "(" + bytes.length + " bytes)";
    byte[] model = path != null ? readModel(path) : bytes;
    ModelHeader header = ModelHeader.read(model, source);
    if (device == Device.CPU) {
      return inspect(createSession(model, source), Device.CPU, header, source);
    }
    // Counted from zero for every AUTO engine, so that a dashboard sees the series before a
    // fallback.
    Counter fallbacks =
        device == Device.AUTO
            ? Counter.builder(InferenceEngine.METRIC_FALLBACKS)
                .description("Times the AUTO device policy fell back from CUDA to the CPU")
                .tag("requested", tensorRt ? "tensorrt" : "cuda")
                .register(registry)
            : null;
    if (device == Device.AUTO && !cudaArtifact.getAsBoolean()) {
      // The CPU artifact has no CUDA provider to try: running on the CPU is what was deployed, so
      // neither a warning nor a fallback is reported.
      LOG.debug(
          "no CUDA execution provider in this ONNX Runtime build; model {} runs on the CPU",
          source);
      return inspect(createSession(model, source), Device.CPU, header, source);
    }
    OrtSession gpuSession;
    try {
      gpuSession = createGpuSession(model);
    } catch (OrtException | RuntimeException e) {
      String why = InferenceEngine.oneLine(e.getMessage());
      // A model ONNX Runtime cannot load on the CPU either is a model problem, not a provider one.
      OrtSession cpuSession = createSession(model, source);
      if (device == Device.CUDA) {
        closeQuietly(cpuSession);
        throw new ProviderUnavailableException(
            (tensorRt ? "TensorRT/CUDA" : "CUDA")
                + " execution provider cannot be used: "
                + why
                + "; providers of this ONNX Runtime build: "
                + InferenceEngine.availableProviders()
                + " (use device auto or cpu, or build with -Pgpu for onnxruntime_gpu)",
            e);
      }
      LOG.warn("CUDA execution provider unavailable ({}); model {} runs on the CPU", why, source);
      fallbacks.increment();
      return inspect(cpuSession, Device.CPU, header, source);
    }
    return inspect(gpuSession, Device.CUDA, header, source);
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

  private OrtSession createGpuSession(byte[] model) throws OrtException {
    try (SessionOptions options = options()) {
      if (tensorRt) {
        options.addTensorrt(0);
      }
      options.addCUDA(0);
      return OrtRuntime.environment().createSession(model, options);
    }
  }

  private OrtSession createSession(byte[] model, String source) {
    try (SessionOptions options = options()) {
      return OrtRuntime.environment().createSession(model, options);
    } catch (OrtException e) {
      throw new ModelLoadException(
          "ONNX Runtime cannot load model "
              + source
              + ": "
              + InferenceEngine.oneLine(e.getMessage()),
          e);
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

  private Opened inspect(OrtSession session, Device actual, ModelHeader header, String source) {
    try {
      List<TensorSpec> inputs = specs(session.getInputInfo(), source, "input");
      List<TensorSpec> outputs = specs(session.getOutputInfo(), source, "output");
      for (TensorSpec input : inputs) {
        if (input.sampleSize() < 0) {
          throw refused(
              source,
              "input",
              input.name(),
              input.shapeText()
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
      return new Opened(session, actual, List.copyOf(providers), info);
    } catch (OrtException | RuntimeException e) {
      closeQuietly(session);
      if (e instanceof ModelLoadException loadFailure) {
        throw loadFailure;
      }
      throw new ModelLoadException(
          "cannot inspect model " + source + ": " + InferenceEngine.oneLine(e.getMessage()), e);
    }
  }

  private static List<TensorSpec> specs(Map<String, NodeInfo> nodes, String source, String kind) {
    List<TensorSpec> specs = new ArrayList<>();
    for (NodeInfo node : nodes.values()) {
      if (!(node.getInfo() instanceof TensorInfo info)) {
        throw refused(source, kind, node.getName(), "is " + node.getInfo() + FLOAT32_ONLY);
      }
      TensorSpec spec =
          new TensorSpec(
              node.getName(),
              elementType(info.onnxType),
              boxed(info.getShape()),
              List.of(info.getDimensionNames()));
      if (info.onnxType != OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) {
        throw refused(
            source, kind, spec.name(), "has element type " + spec.elementType() + FLOAT32_ONLY);
      }
      if (!spec.batched()) {
        throw refused(
            source,
            kind,
            spec.name(),
            "has shape "
                + spec.shapeText()
                + "; expected a symbolic batch dimension first, like [N,...]");
      }
      specs.add(spec);
    }
    return specs;
  }

  /** "model M input 'x' ...": a tensor of the model that this engine cannot serve. */
  private static ModelLoadException refused(
      String source, String kind, String name, String problem) {
    return new ModelLoadException("model " + source + " " + kind + " '" + name + "' " + problem);
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
