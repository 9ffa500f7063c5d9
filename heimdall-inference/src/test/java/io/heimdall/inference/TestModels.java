package io.heimdall.inference;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.Random;

/** Small models made for tests: a two-input model, and models the engine must refuse. */
final class TestModels {

  private TestModels() {}

  /** {@code sum = a + 2*b}, {@code product = a * b}; a, b, sum, product all [N,3]. */
  static byte[] twoInputs() {
    GraphProto.Builder graph =
        GraphProto.newBuilder()
            .setName("two_inputs")
            .addInput(ModelGenerator.value("a", "N", 3))
            .addInput(ModelGenerator.value("b", "N", 3))
            .addOutput(ModelGenerator.value("sum", "N", 3))
            .addOutput(ModelGenerator.value("product", "N", 3))
            .addInitializer(ModelGenerator.floats("two", new long[0], 2f))
            .addNode(ModelGenerator.node("Mul", "b2", "b", "two"))
            .addNode(ModelGenerator.node("Add", "sum", "a", "b2"))
            .addNode(ModelGenerator.node("Mul", "product", "a", "b"));
    return ModelGenerator.model(graph, "test").toByteArray();
  }

  /** An identity on an int64 input. */
  static byte[] int64Input() {
    TypeProto type =
        TypeProto.newBuilder()
            .setTensorType(
                TypeProto.Tensor.newBuilder()
                    .setElemType(TensorProto.DataType.INT64.getNumber())
                    .setShape(
                        TensorShapeProto.newBuilder()
                            .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                            .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(3))))
            .build();
    GraphProto.Builder graph =
        GraphProto.newBuilder()
            .setName("ints")
            .addInput(ValueInfoProto.newBuilder().setName("ids").setType(type))
            .addOutput(ValueInfoProto.newBuilder().setName("same").setType(type))
            .addNode(ModelGenerator.node("Identity", "same", "ids"));
    return ModelGenerator.model(graph, "test").toByteArray();
  }

  /** A float identity whose input has a fixed first dimension of 1 (no batch dimension). */
  static byte[] fixedBatch() {
    TypeProto type =
        TypeProto.newBuilder()
            .setTensorType(
                TypeProto.Tensor.newBuilder()
                    .setElemType(TensorProto.DataType.FLOAT.getNumber())
                    .setShape(
                        TensorShapeProto.newBuilder()
                            .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                            .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(3))))
            .build();
    GraphProto.Builder graph =
        GraphProto.newBuilder()
            .setName("fixed")
            .addInput(ValueInfoProto.newBuilder().setName("x").setType(type))
            .addOutput(ValueInfoProto.newBuilder().setName("y").setType(type))
            .addNode(ModelGenerator.node("Identity", "y", "x"));
    return ModelGenerator.model(graph, "test").toByteArray();
  }

  /** {@code count} mel-like samples ([128,431] values in [-80, 0] dB), seeded. */
  static float[][] mels(int count, long seed) {
    Random random = new Random(seed);
    int size = ReferenceModels.MEL_BANDS * ReferenceModels.MEL_FRAMES;
    float[][] samples = new float[count][size];
    for (float[] sample : samples) {
      for (int i = 0; i < size; i++) {
        sample[i] = -80f * random.nextFloat();
      }
    }
    return samples;
  }

  /** {@code count} power vectors ([7] values in [-120, -40] dBm), seeded. */
  static float[][] powers(int count, long seed) {
    Random random = new Random(seed);
    float[][] samples = new float[count][ReferenceModels.RECEIVERS.size()];
    for (float[] sample : samples) {
      for (int i = 0; i < sample.length; i++) {
        sample[i] = -120f + 80f * random.nextFloat();
      }
    }
    return samples;
  }
}
