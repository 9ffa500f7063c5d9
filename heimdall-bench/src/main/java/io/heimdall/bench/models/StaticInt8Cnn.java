package io.heimdall.bench.models;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.heimdall.inference.Location;
import io.heimdall.inference.ReferenceModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference CNN statically quantised to int8 in ONNX's QDQ format, from the committed fp32
 * model, with the first layer kept in fp32 (mixed precision, what ONNX Runtime's {@code
 * quantize_static} produces with per-channel weights and the first convolution in {@code
 * nodes_to_exclude}), written with the ONNX protobuf classes of tribuo-util-onnx.
 *
 * <ul>
 *   <li>First layer in fp32: input normalisation, the one-channel convolution, max pooling and ReLU
 *       (why: see the comment of {@code floatFirstLayer}). Its weights are 160 floats, so the file
 *       stays a third of the fp32 one.
 *   <li>Weights of the other layers: int8, symmetric, one scale per output channel (convolutions
 *       and dense layers); biases of the convolutions int32 with scale {@code input scale × weight
 *       scale}, as QLinearConv expects.
 *   <li>Activations: uint8 with int8 weights (U8S8, the form ONNX Runtime's x86 kernels use; it
 *       rewrites int8 activations to uint8 itself). Every activation quantised follows a ReLU, so
 *       its zero point is 0 and its scale is the largest value seen on the calibration set ({@link
 *       CalibrationMels}) divided by 255, rounded up to three significant digits (so small
 *       differences between machines do not change the model).
 *   <li>ONNX Runtime fuses each {@code DequantizeLinear → Conv → Relu → QuantizeLinear} into one
 *       QLinearConv, runs the second MaxPool on uint8, and GlobalAveragePool and the dense layers
 *       as their quantised contrib kernels.
 * </ul>
 *
 * <p>{@code main [output.onnx]} rewrites the committed resource (default: heimdall-inference's
 * {@code models/reference-cnn-int8-static.onnx}, run from the repository root).
 */
public final class StaticInt8Cnn {

  /** Calibration spectrograms, and their seed (the held-out sets of the tests use others). */
  static final int CALIBRATION_SAMPLES = 32;

  static final long CALIBRATION_SEED = 2_026_12_02L;

  /** The activations calibrated: ReLU outputs and what follows them, by fp32 tensor name. */
  static final List<String> CALIBRATED =
      List.of("conv1.pool", "conv2.relu", "conv3.relu", "pooled");

  private static final int OPSET = 17;
  private static final String[] CONVOLUTIONS = {"conv1", "conv2", "conv3"};

  private final Map<String, TensorProto> weights = new LinkedHashMap<>();
  private final GraphProto.Builder graph = GraphProto.newBuilder();

  private StaticInt8Cnn(ModelProto fp32) {
    for (TensorProto tensor : fp32.getGraph().getInitializerList()) {
      weights.put(tensor.getName(), tensor);
    }
  }

  /**
   * Rewrites the committed model.
   *
   * @param args optional output path
   * @throws IOException if the file cannot be written
   * @throws OrtException if ONNX Runtime fails during calibration
   */
  public static void main(String[] args) throws IOException, OrtException {
    Path out =
        Path.of(
            args.length > 0
                ? args[0]
                : "heimdall-inference/src/main/resources/io/heimdall/inference/models/"
                    + "reference-cnn-int8-static.onnx");
    byte[] model = build(CalibrationMels.generate(CALIBRATION_SAMPLES, CALIBRATION_SEED));
    Files.write(out, model);
    System.out.println("wrote " + out + " (" + model.length + " bytes)");
  }

  /**
   * @param calibration representative inputs, rows of {@code 128·431} dB values
   * @return the serialized int8 model
   * @throws OrtException if ONNX Runtime fails during calibration
   */
  public static byte[] build(float[][] calibration) throws OrtException {
    ModelProto fp32 = parse(ReferenceModels.localizationCnn());
    Map<String, Float> maxima = calibrate(fp32, calibration);
    return new StaticInt8Cnn(fp32).quantise(fp32, maxima).toByteArray();
  }

  private static ModelProto parse(byte[] model) {
    try {
      return ModelProto.parseFrom(model);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the committed fp32 CNN does not parse", e);
    }
  }

  /** The largest value of each {@link #CALIBRATED} tensor over the inputs, by fp32 inference. */
  static Map<String, Float> calibrate(ModelProto fp32, float[][] inputs) throws OrtException {
    GraphProto.Builder probed = fp32.getGraph().toBuilder();
    for (String name : CALIBRATED) {
      probed.addOutput(
          ValueInfoProto.newBuilder()
              .setName(name)
              .setType(
                  TypeProto.newBuilder()
                      .setTensorType(
                          TypeProto.Tensor.newBuilder()
                              .setElemType(TensorProto.DataType.FLOAT.getNumber()))));
    }
    byte[] model = fp32.toBuilder().setGraph(probed).build().toByteArray();
    Map<String, Float> maxima = new LinkedHashMap<>();
    CALIBRATED.forEach(name -> maxima.put(name, 0f));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int size = ReferenceModels.MEL_BANDS * ReferenceModels.MEL_FRAMES;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model, options)) {
      for (float[] input : inputs) {
        FloatBuffer buffer = FloatBuffer.wrap(input, 0, size);
        try (OnnxTensor tensor =
                OnnxTensor.createTensor(
                    env,
                    buffer,
                    new long[] {1, ReferenceModels.MEL_BANDS, ReferenceModels.MEL_FRAMES});
            OrtSession.Result result =
                session.run(Map.of(ReferenceModels.CNN_INPUT, tensor), CALIBRATED_SET)) {
          for (String name : CALIBRATED) {
            FloatBuffer values = ((OnnxTensor) result.get(name).orElseThrow()).getFloatBuffer();
            float max = maxima.get(name);
            while (values.hasRemaining()) {
              max = Math.max(max, values.get());
            }
            maxima.put(name, max);
          }
        }
      }
    }
    return maxima;
  }

  private static final java.util.Set<String> CALIBRATED_SET = java.util.Set.copyOf(CALIBRATED);

  /**
   * The QDQ graph. Tensor names are short on purpose (a few letters per tensor: {@code cI} the
   * output of convolution I, {@code rI} its ReLU, {@code pI} its max pool, suffixes {@code q}
   * quantised, {@code d} dequantised, {@code w}/{@code b} weight/bias, {@code s} scale): with nine
   * thousand weights of one byte, long names would be a fifth of the file.
   */
  private ModelProto quantise(ModelProto fp32, Map<String, Float> maxima) {
    graph
        .setName("cnn_int8")
        .addInput(fp32.getGraph().getInput(0))
        .addAllOutput(fp32.getGraph().getOutputList());
    graph.addInitializer(longs("axis1", 1));
    graph.addInitializer(uint8("zero", 0));
    double xScale = activationScale(maxima.get("conv1.pool"));
    String x = requantise(floatFirstLayer(), xScale);
    for (int layer = 2; layer <= CONVOLUTIONS.length; layer++) {
      String conv = "c" + layer;
      quantisedWeights("conv" + layer, conv, xScale, true);
      graph.addNode(
          node("Conv", conv, x, conv + "wd", conv + "bd")
              .addAttribute(ints("kernel_shape", 3, 3))
              .addAttribute(ints("pads", 1, 1, 1, 1)));
      graph.addNode(node("Relu", "r" + layer, conv));
      // ONNX Runtime drops the ReLU: a uint8 code with zero point 0 cannot go below zero
      xScale = activationScale(maxima.get("conv" + layer + ".relu"));
      x = requantise("r" + layer, xScale);
      if (layer < CONVOLUTIONS.length) {
        graph.addNode(
            node("MaxPool", "p" + layer, x)
                .addAttribute(ints("kernel_shape", 2, 2))
                .addAttribute(ints("strides", 2, 2)));
        x = requantise("p" + layer, xScale);
      }
    }
    graph.addNode(node("GlobalAveragePool", "g", x));
    x = requantise("g", activationScale(maxima.get("pooled")));
    graph.addNode(node("Flatten", "f", x).addAttribute(integer("axis", 1)));
    // the dense layers are a few thousand multiply-adds: int8 weights for the size, float maths
    quantisedWeights("dense", "h", 0, false);
    graph.addInitializer(weights.get("dense.bias").toBuilder().setName("hb"));
    graph.addNode(node("Gemm", "hl", "f", "hwd", "hb").addAttribute(integer("transB", 1)));
    graph.addNode(node("Relu", "h", "hl"));
    for (String head : new String[] {Location.POSITIONS, "uncertainty_logits"}) {
      String out = head.equals(Location.POSITIONS) ? head : "u";
      quantisedWeights(head, out, 0, false);
      graph.addInitializer(weights.get(head + ".bias").toBuilder().setName(out + "b"));
      graph.addNode(
          node("Gemm", out, "h", out + "wd", out + "b").addAttribute(integer("transB", 1)));
    }
    graph.addNode(node("Softplus", Location.UNCERTAINTIES, "u"));
    return fp32.toBuilder()
        .clearOpsetImport()
        .addOpsetImport(
            ai.onnx.proto.OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setDocString(
            "UNTRAINED reference CNN, static int8 QDQ, first layer fp32: throughput only.")
        .setGraph(graph)
        .build();
  }

  /**
   * The first layer in fp32, as the fp32 model computes it: the input normalisation, the
   * convolution with one input channel, max pooling and ReLU; returns the name of its output.
   *
   * <p>Why fp32: ONNX Runtime's int8 convolution (QLinearConv, MLAS) is slow for a single input
   * channel (9 multiply-adds per output, 7M outputs per batch of 32 to requantise), 3.4–3.7 times
   * slower than the fp32 convolution on the NCHWc layout, while its output, pooled, is a quarter of
   * the size to quantise. It is what ONNX Runtime's quantiser does with {@code nodes_to_exclude}.
   * The normalisation's scale {@code 1/40} is folded into the weights (exact up to float rounding);
   * its offset {@code +40} stays an Add, because folding it into the bias would be wrong at the
   * zero-padded borders.
   *
   * <p>The ReLU comes after the pool (they commute): with a QuantizeLinear straight after the
   * MaxPool, ONNX Runtime's QDQ propagation moves the quantisation above the pool and runs the pool
   * on uint8 in NCHW order, 12–16 ms per batch of 32 instead of about 1 ms. ONNX Runtime then drops
   * this ReLU into the QuantizeLinear that follows (zero point 0).
   */
  private String floatFirstLayer() {
    graph.addInitializer(weights.get("db_offset").toBuilder().setName("o"));
    graph.addNode(node("Add", "a", ReferenceModels.CNN_INPUT, "o"));
    graph.addNode(node("Unsqueeze", "a4", "a", "axis1"));
    float scale = weights.get("db_scale").getFloatData(0);
    TensorProto weight = weights.get("conv1.weight");
    TensorProto.Builder scaled = weight.toBuilder().setName("c1w").clearFloatData();
    for (float value : weight.getFloatDataList()) {
      scaled.addFloatData(value * scale);
    }
    graph.addInitializer(scaled);
    graph.addInitializer(weights.get("conv1.bias").toBuilder().setName("c1b"));
    graph.addNode(
        node("Conv", "c1", "a4", "c1w", "c1b")
            .addAttribute(ints("kernel_shape", 3, 3))
            .addAttribute(ints("pads", 1, 1, 1, 1))
            .addAttribute(ints("strides", 2, 2)));
    graph.addNode(
        node("MaxPool", "p1", "c1")
            .addAttribute(ints("kernel_shape", 2, 2))
            .addAttribute(ints("strides", 2, 2)));
    graph.addNode(node("Relu", "r1", "p1"));
    return "r1";
  }

  /** Scale of a ReLU output whose calibrated maximum is {@code max}: max/255, 3 digits, up. */
  static double activationScale(float max) {
    double raw = Math.max(max, 1e-6) / 255;
    double unit = Math.pow(10, Math.floor(Math.log10(raw)) - 2);
    return Math.ceil(raw / unit) * unit;
  }

  /**
   * QuantizeLinear then DequantizeLinear of {@code name} (uint8, zero point 0); returns the
   * dequantised name.
   */
  private String requantise(String name, double scale) {
    graph.addInitializer(floats(name + "s", (float) scale));
    graph.addNode(node("QuantizeLinear", name + "q", name, name + "s", "zero"));
    graph.addNode(node("DequantizeLinear", name + "d", name + "q", name + "s", "zero"));
    return name + "d";
  }

  /**
   * Adds the fp32 initializer {@code <source>.weight} as int8 {@code <out>w} with one scale per
   * output channel ({@code <out>ws}, no zero point: symmetric) behind a DequantizeLinear ({@code
   * <out>wd}); with {@code intBias} also {@code <source>.bias} as int32 {@code <out>b} with scale
   * {@code xScale × weight scale} behind {@code <out>bd}, the form QLinearConv takes.
   */
  private void quantisedWeights(String source, String out, double xScale, boolean intBias) {
    TensorProto weight = weights.get(source + ".weight");
    TensorProto bias = weights.get(source + ".bias");
    int channels = (int) weight.getDims(0);
    int perChannel = weight.getFloatDataCount() / channels;
    float[] scales = new float[channels];
    byte[] q = new byte[weight.getFloatDataCount()];
    ByteBuffer biasCodes = ByteBuffer.allocate(4 * channels).order(ByteOrder.LITTLE_ENDIAN);
    float[] biasScales = new float[channels];
    for (int c = 0; c < channels; c++) {
      float max = 0;
      for (int i = 0; i < perChannel; i++) {
        max = Math.max(max, Math.abs(weight.getFloatData(c * perChannel + i)));
      }
      scales[c] = max == 0 ? 1f : max / 127f;
      for (int i = 0; i < perChannel; i++) {
        int code = Math.round(weight.getFloatData(c * perChannel + i) / scales[c]);
        q[c * perChannel + i] = (byte) Math.max(-127, Math.min(127, code));
      }
      biasScales[c] = (float) (xScale * scales[c]);
      biasCodes.putInt(intBias ? Math.round(bias.getFloatData(c) / biasScales[c]) : 0);
    }
    graph.addInitializer(
        TensorProto.newBuilder()
            .setName(out + "w")
            .setDataType(TensorProto.DataType.INT8.getNumber())
            .addAllDims(weight.getDimsList())
            .setRawData(ByteString.copyFrom(q)));
    graph.addInitializer(floats(out + "ws", new long[] {channels}, scales));
    graph.addNode(
        node("DequantizeLinear", out + "wd", out + "w", out + "ws")
            .addAttribute(integer("axis", 0)));
    if (intBias) {
      graph.addInitializer(
          TensorProto.newBuilder()
              .setName(out + "b")
              .setDataType(TensorProto.DataType.INT32.getNumber())
              .addDims(channels)
              .setRawData(ByteString.copyFrom(biasCodes.array())));
      graph.addInitializer(floats(out + "bs", new long[] {channels}, biasScales));
      graph.addNode(
          node("DequantizeLinear", out + "bd", out + "b", out + "bs")
              .addAttribute(integer("axis", 0)));
    }
  }

  /** A node named after its output (ONNX Runtime's rewrites need unique node names). */
  private static NodeProto.Builder node(String op, String output, String... inputs) {
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output);
    for (String input : inputs) {
      node.addInput(input);
    }
    return node;
  }

  private static TensorProto floats(String name, float value) {
    return floats(name, new long[0], value);
  }

  private static TensorProto floats(String name, long[] dims, float... values) {
    TensorProto.Builder tensor =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
    for (long dim : dims) {
      tensor.addDims(dim);
    }
    for (float value : values) {
      tensor.addFloatData(value);
    }
    return tensor.build();
  }

  private static TensorProto uint8(String name, int value) {
    return TensorProto.newBuilder()
        .setName(name)
        .setDataType(TensorProto.DataType.UINT8.getNumber())
        .setRawData(ByteString.copyFrom(new byte[] {(byte) value}))
        .build();
  }

  private static TensorProto longs(String name, long... values) {
    TensorProto.Builder tensor =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.INT64.getNumber())
            .addDims(values.length);
    for (long value : values) {
      tensor.addInt64Data(value);
    }
    return tensor.build();
  }

  private static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  private static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder attribute =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long value : values) {
      attribute.addInts(value);
    }
    return attribute.build();
  }
}
