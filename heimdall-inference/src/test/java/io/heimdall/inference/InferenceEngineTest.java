package io.heimdall.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.heimdall.HeimdallException;
import io.heimdall.InvalidInputException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class InferenceEngineTest {

  static final int MEL = ReferenceModels.MEL_BANDS * ReferenceModels.MEL_FRAMES;
  static InferenceEngine cnn;
  static InferenceEngine centroid;

  @BeforeAll
  static void load() {
    cnn = InferenceEngine.builder(ReferenceModels.localizationCnn()).device(Device.CPU).build();
    centroid =
        InferenceEngine.builder(ReferenceModels.weightedCentroid()).device(Device.CPU).build();
  }

  @AfterAll
  static void close() {
    cnn.close();
    centroid.close();
  }

  static FloatTensor direct(float[][] rows, long... sampleShape) {
    long[] shape = new long[sampleShape.length + 1];
    shape[0] = rows.length;
    System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
    FloatTensor tensor = FloatTensor.allocateDirect(shape);
    FloatBuffer target = tensor.writableBuffer();
    for (float[] row : rows) {
      target.put(row);
    }
    return tensor;
  }

  @Test
  void centroidMatchesThePlainJavaFormula() {
    float[][] powers = TestModels.powers(50, 1);
    InferenceResult result = centroid.run(powers);
    List<Location> locations = Location.decode(result);
    assertThat(locations).hasSize(50);
    for (int i = 0; i < powers.length; i++) {
      double[] expected = PlainJavaModels.centroid(powers[i]);
      Location got = locations.get(i);
      assertThat(got.latitude()).isCloseTo(expected[0], within(5e-5));
      assertThat(got.longitude()).isCloseTo(expected[1], within(5e-5));
      assertThat(got.latitudeUncertaintyM()).isCloseTo(expected[2], within(expected[2] * 1e-4));
      assertThat(got.longitudeUncertaintyM()).isCloseTo(expected[3], within(expected[3] * 1e-4));
    }
  }

  @Test
  void centroidPutsADominantReceiverAtItsSite() {
    float[] power = new float[7];
    Arrays.fill(power, -130f);
    power[2] = -40f; // Torino, 90 dB above the others
    Location location = Location.decode(centroid.run(new float[][] {power})).get(0);
    Receiver torino = ReferenceModels.RECEIVERS.get(2);
    assertThat(torino.name()).isEqualTo("Torino");
    assertThat(location.latitude()).isCloseTo(torino.latitude(), within(1e-3));
    assertThat(location.longitude()).isCloseTo(torino.longitude(), within(1e-3));
    assertThat(location.latitudeUncertaintyM())
        .isBetween(ReferenceModels.UNCERTAINTY_FLOOR_M, 2_000.0);
    float[] even = new float[7];
    Arrays.fill(even, -90f);
    Location spread = Location.decode(centroid.run(new float[][] {even})).get(0);
    assertThat(spread.longitudeUncertaintyM())
        .as("equal powers: spread of all seven sites")
        .isGreaterThan(50_000);
  }

  @Test
  void cnnMatchesThePlainJavaComputationOfItsOwnWeights() throws Exception {
    Map<String, float[]> weights = PlainJavaModels.weights(ReferenceModels.localizationCnn());
    float[][] mels = TestModels.mels(2, 7);
    InferenceResult result = cnn.run(mels);
    for (int i = 0; i < mels.length; i++) {
      double[] expected = PlainJavaModels.cnn(mels[i], weights);
      float[] positions = result.output(Location.POSITIONS).row(i);
      float[] uncertainties = result.output(Location.UNCERTAINTIES).row(i);
      double[] got = {positions[0], positions[1], uncertainties[0], uncertainties[1]};
      for (int k = 0; k < 4; k++) {
        assertThat(got[k])
            .as("sample %d value %d", i, k)
            .isCloseTo(expected[k], within(1e-3 * Math.max(1, Math.abs(expected[k]))));
      }
      assertThat(uncertainties[0]).isPositive();
      assertThat(uncertainties[1]).isPositive();
    }
  }

  /**
   * ONNX Runtime's CPU kernels choose their blocking by batch size, so a sample's outputs may move
   * by an ulp or two between batch sizes (observed: at most 3 ulps here); the engine's own
   * splitting adds nothing: the same batch through every input path is bit-identical.
   */
  @Test
  void int8CnnStaysCloseToTheFloatOne() {
    float[][] mels = TestModels.mels(8, 17);
    InferenceResult fp32 = cnn.run(mels);
    try (InferenceEngine int8 =
        InferenceEngine.builder(ReferenceModels.localizationCnnInt8()).device(Device.CPU).build()) {
      assertThat(int8.modelInfo().inputs()).isEqualTo(cnn.modelInfo().inputs());
      InferenceResult quantised = int8.run(mels);
      for (String name : fp32.outputNames()) {
        float[] want = fp32.output(name).toArray();
        float[] got = quantised.output(name).toArray();
        double scale = 0;
        for (float value : want) {
          scale = Math.max(scale, Math.abs(value));
        }
        for (int i = 0; i < want.length; i++) {
          assertThat((double) got[i])
              .as("%s[%d]", name, i)
              .isCloseTo(want[i], within(0.05 * scale));
        }
      }
    }
  }

  @Test
  void batchSizesOneThreeAndSixtyFourGiveTheSameOutputs() {
    float[][] mels = TestModels.mels(64, 11);
    InferenceResult whole = cnn.run(direct(mels, 128, 431));
    for (int maxBatch : new int[] {1, 3}) {
      try (InferenceEngine split =
          InferenceEngine.builder(ReferenceModels.localizationCnn())
              .device(Device.CPU)
              .maxBatchSize(maxBatch)
              .build()) {
        assertWithinUlps(split.run(direct(mels, 128, 431)), whole, "CNN, max batch " + maxBatch);
      }
    }
    float[][] powers = TestModels.powers(64, 12);
    InferenceResult centroidWhole = centroid.run(powers);
    try (InferenceEngine ones =
        InferenceEngine.builder(ReferenceModels.weightedCentroid())
            .device(Device.CPU)
            .maxBatchSize(1)
            .build()) {
      assertWithinUlps(ones.run(powers), centroidWhole, "centroid, max batch 1");
    }
    assertThat(cnn.run(mels).outputs()).as("float[][] path").isEqualTo(whole.outputs());
    FloatTensor heap = FloatTensor.of(direct(mels, 128, 431).toArray(), 64, 128, 431);
    assertThat(heap.isDirect()).isFalse();
    assertThat(cnn.run(heap).outputs()).as("heap buffer").isEqualTo(whole.outputs());
  }

  static void assertWithinUlps(InferenceResult actual, InferenceResult expected, String label) {
    assertThat(actual.batchSize()).isEqualTo(expected.batchSize());
    assertThat(actual.outputNames()).isEqualTo(expected.outputNames());
    for (String name : expected.outputNames()) {
      assertThat(actual.output(name).shape()).isEqualTo(expected.output(name).shape());
      float[] want = expected.output(name).toArray();
      float[] got = actual.output(name).toArray();
      for (int i = 0; i < want.length; i++) {
        assertThat(Math.abs(got[i] - want[i]))
            .as("%s, %s[%d]", label, name, i)
            .isLessThanOrEqualTo(4 * Math.ulp(want[i]));
      }
    }
  }

  @Test
  void directBufferSlicesAreReadInPlace() {
    float[][] powers = TestModels.powers(5, 3);
    FloatBuffer buffer =
        ByteBuffer.allocateDirect(4 * 40).order(ByteOrder.nativeOrder()).asFloatBuffer();
    buffer.position(5);
    for (float[] row : powers) {
      buffer.put(row);
    }
    buffer.position(5).limit(5 + 35);
    InferenceResult result = centroid.run(buffer, 5, 7);
    assertThat(result.outputs()).isEqualTo(centroid.run(powers).outputs());
    assertThat(buffer.position()).as("caller's buffer untouched").isEqualTo(5);
  }

  @Test
  void npyArraysFeedTheEngineAndComplexOnesAreRefused(@TempDir Path dir) throws Exception {
    float[][] powers = TestModels.powers(3, 4);
    Path file = dir.resolve("powers.npy");
    io.heimdall.npy.Npy.write(file, direct(powers, 7).toNpy());
    io.heimdall.npy.NpyArray read = io.heimdall.npy.Npy.read(file);
    InferenceResult result = centroid.run(FloatTensor.of(read));
    assertThat(result.outputs()).isEqualTo(centroid.run(powers).outputs());
    io.heimdall.npy.NpyArray complex = io.heimdall.npy.NpyArray.ofComplex(new float[14], 1, 7);
    assertThatThrownBy(() -> FloatTensor.of(complex))
        .isInstanceOf(InputTypeException.class)
        .hasMessage("array [1,7] has dtype <c8; expected float32 (<f4)");
  }

  @Test
  void modelInfoDescribesTheCnn() {
    ModelInfo info = cnn.modelInfo();
    assertThat(info.inputs()).hasSize(1);
    TensorSpec mel = info.input(ReferenceModels.CNN_INPUT);
    assertThat(mel.elementType()).isEqualTo("float");
    assertThat(mel.shape()).containsExactly(-1L, 128L, 431L);
    assertThat(mel.shapeText()).isEqualTo("[N,128,431]");
    assertThat(info.outputNames()).containsExactly(Location.POSITIONS, Location.UNCERTAINTIES);
    assertThat(info.output(Location.POSITIONS).shapeText()).isEqualTo("[N,2]");
    assertThat(info.opset()).isEqualTo(ModelGenerator.OPSET);
    assertThat(info.irVersion()).isEqualTo(ModelGenerator.IR_VERSION);
    assertThat(info.producerName()).isEqualTo(ModelGenerator.PRODUCER);
    assertThat(cnn.device()).isEqualTo(Device.CPU);
    assertThat(cnn.providers()).containsExactly("CPUExecutionProvider");
  }

  @Test
  void wrongShapeNamesExpectedAndActual() {
    FloatTensor wrong = FloatTensor.allocateDirect(2, 128, 430);
    assertThatThrownBy(() -> cnn.run(wrong))
        .isInstanceOf(InputShapeException.class)
        .hasMessage("input 'mel' has shape [2,128,430]; expected [N,128,431]");
    assertThatThrownBy(() -> cnn.run(FloatTensor.allocateDirect(128, 431)))
        .isInstanceOf(InputShapeException.class)
        .hasMessageContaining("[128,431]")
        .hasMessageContaining("[N,128,431]");
    assertThatThrownBy(() -> cnn.run(new float[][] {new float[10]}))
        .isInstanceOf(InputShapeException.class)
        .hasMessageContaining("sample 0 has 10 values; expected 55168");
    assertThatThrownBy(() -> cnn.run(FloatBuffer.allocate(100), 1, 128, 431))
        .isInstanceOf(InputShapeException.class)
        .hasMessageContaining("holds 55168 values but the buffer has 100");
  }

  @Test
  void multiInputModelsRunByNameAndReportMissingOrUnknownInputs() {
    try (InferenceEngine engine =
        InferenceEngine.builder(TestModels.twoInputs()).device(Device.CPU).build()) {
      FloatTensor a = FloatTensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
      FloatTensor b = FloatTensor.of(new float[] {10, 20, 30, 40, 50, 60}, 2, 3);
      InferenceResult result = engine.run(Map.of("a", a, "b", b));
      assertThat(result.output("sum").toArray()).containsExactly(21, 42, 63, 84, 105, 126);
      assertThat(result.output("product").toArray()).containsExactly(10, 40, 90, 160, 250, 360);
      assertThat(result.output("sum").shape()).containsExactly(2, 3);

      assertThatThrownBy(() -> engine.run(Map.of("a", a)))
          .isInstanceOf(InputNameException.class)
          .hasMessageContaining("missing input 'b' [N,3]");
      assertThatThrownBy(() -> engine.run(Map.of("a", a, "b", b, "c", b)))
          .isInstanceOf(InputNameException.class)
          .hasMessageContaining("no input 'c'")
          .hasMessageContaining("[a, b]");
      assertThatThrownBy(() -> engine.run(a))
          .isInstanceOf(InputNameException.class)
          .hasMessageContaining("pass them by name");
      FloatTensor three = FloatTensor.of(new float[9], 3, 3);
      assertThatThrownBy(() -> engine.run(Map.of("a", a, "b", three)))
          .isInstanceOf(InputShapeException.class)
          .hasMessageContaining("same N");
    }
  }

  @Test
  void nonFiniteInputsAreRejectedWhenAsked() {
    float[][] powers = TestModels.powers(3, 5);
    powers[1][4] = Float.NaN;
    try (InferenceEngine strict =
        InferenceEngine.builder(ReferenceModels.weightedCentroid())
            .device(Device.CPU)
            .rejectNonFinite(true)
            .build()) {
      assertThatThrownBy(() -> strict.run(powers))
          .isInstanceOf(NonFiniteInputException.class)
          .hasMessage("input 'power_dbm' holds NaN at sample 1, element 4; expected finite values");
      powers[1][4] = Float.POSITIVE_INFINITY;
      assertThatThrownBy(() -> strict.run(direct(powers, 7)))
          .isInstanceOf(NonFiniteInputException.class)
          .hasMessage(
              "input 'power_dbm' holds Infinity at sample 1, element 4; expected finite values");
      float[][] many = TestModels.powers(100, 6);
      many[70][0] = Float.NaN;
      try (InferenceEngine small =
          InferenceEngine.builder(ReferenceModels.weightedCentroid())
              .device(Device.CPU)
              .rejectNonFinite(true)
              .maxBatchSize(8)
              .build()) {
        assertThatThrownBy(() -> small.run(many)).hasMessageContaining("at sample 70, element 0");
        assertThatThrownBy(() -> small.run(direct(many, 7)))
            .hasMessageContaining("at sample 70, element 0");
      }
    }
    powers[1][4] = Float.NaN;
    assertThat(centroid.run(powers).output(Location.POSITIONS).row(1)[0])
        .as("lenient engine passes NaN through")
        .isNaN();
  }

  @Test
  void resultsAreImmutable() {
    InferenceResult result = centroid.run(TestModels.powers(2, 9));
    assertThatThrownBy(() -> result.output(Location.POSITIONS).writableBuffer().put(0, 1f))
        .isInstanceOf(java.nio.ReadOnlyBufferException.class);
    assertThatThrownBy(() -> result.outputs().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> result.output("nope"))
        .hasMessage("no output 'nope'; the outputs are [positions, uncertainties]");
  }

  @Test
  void closeWaitsForCallsInFlightAndLaterCallsFailCleanly() throws Exception {
    InferenceEngine engine =
        InferenceEngine.builder(ReferenceModels.localizationCnn()).device(Device.CPU).build();
    FloatTensor batch = direct(TestModels.mels(4, 13), 128, 431);
    InferenceResult expected = engine.run(batch);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger refused =
        new java.util.concurrent.atomic.AtomicInteger();
    List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
    long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    for (int t = 0; t < 4; t++) {
      futures.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < until) {
                  try {
                    assertThat(engine.run(batch).outputs()).isEqualTo(expected.outputs());
                    ran.incrementAndGet();
                  } catch (EngineClosedException e) {
                    refused.incrementAndGet();
                    return null;
                  }
                }
                return null;
              }));
    }
    while (ran.get() < 8) {
      Thread.sleep(1);
    }
    engine.close();
    for (java.util.concurrent.Future<?> future : futures) {
      future.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(refused.get())
        .as("every caller saw the close as EngineClosedException")
        .isEqualTo(4);
    assertThat(ran.get()).isGreaterThanOrEqualTo(8);
  }

  @Test
  void closedEngineRefusesWork() {
    InferenceEngine engine =
        InferenceEngine.builder(ReferenceModels.weightedCentroid()).device(Device.CPU).build();
    engine.close();
    engine.close();
    assertThat(engine.isClosed()).isTrue();
    assertThatThrownBy(() -> engine.run(TestModels.powers(1, 1)))
        .isInstanceOf(EngineClosedException.class)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("inference engine is closed");
  }

  @Test
  void corruptTruncatedEmptyAndMissingModelsFailToLoad(@TempDir Path dir) throws Exception {
    byte[] model = ReferenceModels.localizationCnn();
    byte[] truncated = Arrays.copyOf(model, model.length / 2);
    assertThatThrownBy(() -> InferenceEngine.builder(truncated).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("runs past the end");
    byte[] garbage = new byte[4096];
    new Random(1).nextBytes(garbage);
    assertThatThrownBy(() -> InferenceEngine.builder(garbage).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("not a valid ONNX file");
    Path text = Files.writeString(dir.resolve("model.onnx"), "this is not a model\n");
    assertThatThrownBy(() -> InferenceEngine.builder(text).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(text.toString());
    assertThatThrownBy(() -> InferenceEngine.builder(new byte[0]).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("is empty");
    assertThatThrownBy(() -> InferenceEngine.builder(dir.resolve("absent.onnx")).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("does not exist");
    // a well-formed protobuf whose graph ONNX Runtime refuses (unknown operator)
    byte[] unknownOp =
        ModelGenerator.model(
                ai.onnx.proto.OnnxMl.GraphProto.newBuilder()
                    .addInput(ModelGenerator.value("x", "N", 3))
                    .addOutput(ModelGenerator.value("y", "N", 3))
                    .addNode(ModelGenerator.node("NoSuchOperator", "y", "x")),
                "bad")
            .toByteArray();
    assertThatThrownBy(() -> InferenceEngine.builder(unknownOp).device(Device.CPU).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("ONNX Runtime cannot load model");
  }

  @Test
  void unsupportedModelsAreRefusedAtLoad() {
    assertThatThrownBy(
            () -> InferenceEngine.builder(TestModels.int64Input()).device(Device.CPU).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            "input 'ids' has element type int64; heimdall-inference supports float32 tensors only");
    assertThatThrownBy(
            () -> InferenceEngine.builder(TestModels.fixedBatch()).device(Device.CPU).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("input 'x' has shape [1,3]; expected a symbolic batch dimension");
  }

  /** Runs {@code build} while the engine's logger, at DEBUG, adds every event to {@code log}. */
  static InferenceEngine recordingLog(List<ILoggingEvent> log, Supplier<InferenceEngine> build) {
    Logger logger = (Logger) LoggerFactory.getLogger(InferenceEngine.class);
    Level before = logger.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.list = log;
    appender.start();
    logger.setLevel(Level.DEBUG);
    logger.addAppender(appender);
    try {
      return build.get();
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(before);
    }
  }

  @Test
  void autoWithTheCpuArtifactRunsOnTheCpuSilentlyWithoutCountingAFallback() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<ILoggingEvent> log = new ArrayList<>();
    try (InferenceEngine engine =
        recordingLog(
            log,
            () ->
                InferenceEngine.builder(ReferenceModels.weightedCentroid())
                    .device(Device.AUTO)
                    .meterRegistry(registry)
                    .build())) {
      assertThat(InferenceEngine.availableProviders()).doesNotContain("CUDAExecutionProvider");
      assertThat(engine.device()).isEqualTo(Device.CPU);
      assertThat(engine.providers()).containsExactly("CPUExecutionProvider");
      assertThat(registry.get(InferenceEngine.METRIC_FALLBACKS).counter().count())
          .as("no CUDA artifact: nothing fell back")
          .isZero();
      assertThat(log).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
      assertThat(log)
          .filteredOn(e -> e.getLevel() == Level.DEBUG)
          .extracting(ILoggingEvent::getFormattedMessage)
          .anySatisfy(m -> assertThat(m).contains("no CUDA execution provider").contains("CPU"));
      engine.run(TestModels.powers(4, 2));
      assertThat(registry.get(InferenceEngine.METRIC_RUN).timer().count()).isEqualTo(1);
    }
  }

  @Test
  void autoWithTheCudaArtifactWhoseCudaFailsWarnsOnceAndCountsTheFallback() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<ILoggingEvent> log = new ArrayList<>();
    // Pretend onnxruntime_gpu is on the class path: ONNX Runtime itself then refuses CUDA.
    try (InferenceEngine engine =
        recordingLog(
            log,
            () ->
                InferenceEngine.builder(ReferenceModels.weightedCentroid())
                    .device(Device.AUTO)
                    .meterRegistry(registry)
                    .cudaArtifact(() -> true)
                    .build())) {
      assertThat(engine.device()).isEqualTo(Device.CPU);
      assertThat(engine.providers()).containsExactly("CPUExecutionProvider");
      assertThat(registry.get(InferenceEngine.METRIC_FALLBACKS).counter().count()).isEqualTo(1.0);
      assertThat(log)
          .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .hasSize(1)
          .first()
          .satisfies(e -> assertThat(e.getFormattedMessage()).contains("CUDA").contains("CPU"));
    }
  }

  @Test
  void everyFailureSharesTheHeimdallRootAndBadInputItsBranch() {
    assertThat(new InputShapeException("x")).isInstanceOf(InvalidInputException.class);
    assertThat(new InputTypeException("x")).isInstanceOf(InvalidInputException.class);
    assertThat(new InputNameException("x")).isInstanceOf(InvalidInputException.class);
    assertThat(new NonFiniteInputException("x")).isInstanceOf(InvalidInputException.class);
    assertThat(new ModelLoadException("x")).isInstanceOf(InferenceException.class);
    assertThat(new InferenceException("x")).isInstanceOf(HeimdallException.class);
    assertThat(new InferenceException("x")).isNotInstanceOf(InvalidInputException.class);
    assertThat(new TelemetryCrashRiskException("x")).isInstanceOf(InferenceException.class);
    assertThat(new EngineClosedException("x")).isInstanceOf(IllegalStateException.class);
    assertThat(new BatcherClosedException("x")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theTelemetryCheckRefusesOnlyALongCommandLineWithTelemetryOn() {
    int limit = InferenceEngine.TELEMETRY_SAFE_COMMAND_LINE_BYTES;
    assertThat(OrtRuntime.refusal(limit, null)).isNull();
    assertThat(OrtRuntime.refusal(-1, null)).as("unknown length").isNull();
    assertThat(OrtRuntime.refusal(16_384, "1")).isNull();
    assertThat(OrtRuntime.refusal(16_384, " TRUE ")).isNull();
    assertThat(OrtRuntime.refusal(limit + 1, null))
        .isEqualTo(
            "the JVM command line is 3001 bytes, over the 3000 bytes at which ONNX Runtime's"
                + " telemetry crashes the JVM while loading, and ORT_DISABLE_TELEMETRY is not set;"
                + " set ORT_DISABLE_TELEMETRY=1 in the environment of this process (e.g. export"
                + " ORT_DISABLE_TELEMETRY=1 before starting java)");
    assertThat(OrtRuntime.refusal(16_384, "0")).contains("ORT_DISABLE_TELEMETRY is '0'");
    assertThat(OrtRuntime.commandLineBytes()).as("this JVM's command line").isPositive();
  }

  @Test
  void cudaPolicyFailsLoudlyWithoutCuda() {
    for (boolean tensorRt : new boolean[] {false, true}) {
      assertThatThrownBy(
              () ->
                  InferenceEngine.builder(ReferenceModels.weightedCentroid())
                      .device(Device.CUDA)
                      .tensorRt(tensorRt)
                      .build())
          .isInstanceOf(ProviderUnavailableException.class)
          .hasMessageContaining("CUDA execution provider cannot be used")
          .hasMessageContaining("CPUExecutionProvider")
          .hasMessageContaining("-Pgpu");
    }
  }

  @Test
  void builderRejectsInvalidSettings() {
    assertThatThrownBy(
            () ->
                InferenceEngine.builder(ReferenceModels.weightedCentroid()).maxBatchSize(0).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("maxBatchSize must be at least 1, got 0");
    assertThatThrownBy(
            () ->
                InferenceEngine.builder(ReferenceModels.weightedCentroid())
                    .intraOpThreads(-1)
                    .build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("intraOpThreads");
    assertThat(Device.parse("Cuda")).isEqualTo(Device.CUDA);
    assertThatThrownBy(() -> Device.parse("tpu"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("expected auto, cpu or cuda");
  }

  @Test
  void locationDecodingChecksShapesAndRanges() {
    FloatTensor positions = FloatTensor.of(new float[] {45f, 7.5f}, 1, 2);
    assertThatThrownBy(
            () -> Location.decode(positions, FloatTensor.of(new float[] {1, 2, 3}, 1, 3)))
        .hasMessage("uncertainties has shape [1,3]; expected [N,2]");
    assertThatThrownBy(
            () -> Location.decode(FloatTensor.of(new float[] {95f, 7f}, 1, 2), positions))
        .hasMessageContaining("outside latitude [-90,90]");
    assertThat(Location.decode(positions, FloatTensor.of(new float[] {10f, 20f}, 1, 2)))
        .containsExactly(new Location(45.0, 7.5, 10.0, 20.0));
  }
}
