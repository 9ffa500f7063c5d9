package io.heimdall.locate;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The received-power posterior of one receiver set over one candidate grid, as an ONNX graph.
 *
 * <p>Inputs, for {@code N} transmissions and {@code R} receivers: {@value #LEVELS} {@code [N,R]},
 * the received power of a receiver that heard, or its noise floor if it did not, in dB (any common
 * offset per transmission cancels: the transmit power absorbs it); {@value #HEARD} {@code [N,R]}, 1
 * where the receiver heard and 0 where not. A graph for transmissions that {@code S > 0} receivers
 * did not hear also takes {@value #SILENT_INDEX} {@code [N,S]}, those receivers' columns (as
 * floats), and {@value #SILENT_LEVEL} {@code [N,S]}, their floors in the same dB: the censored
 * terms, the costly part, are then evaluated for those {@code S} receivers only. Outputs: {@value #MEAN} {@code [N,2]} the posterior mean
 * east and north in the plane, metres; {@value #COVARIANCE} {@code [N,3]} the posterior covariance
 * (east·east, east·north, north·north), m²; {@value #REGION_MASS} {@code [N,1]} the posterior mass
 * inside the covariance ellipse at the level the graph was built for.
 *
 * <p>For each candidate {@code g} the transmit power that maximises the likelihood of the heard
 * readings is their mean of {@code P_i + L_ig}; the heard readings' log-likelihood is then {@code
 * -Σ(P_i + L_ig - P̂_g)² / 2σ²}, which the graph gets from three matrix products ({@code Σh(P+L)²}
 * expanded), so its cost grows with {@code N·R·G} only through those. (With a flat prior on the
 * transmit power, integrating it out gives the same function of position up to a constant.) Given
 * the heard readings the transmit power is Gaussian about {@code P̂_g} with deviation {@code
 * σ/√k}; receivers that heard nothing add the log of the expectation, over that power, of {@code
 * Π_j Φ((floor_j − P + L_jg)/σ)}, by three-point Gauss–Hermite quadrature. (Plugging in {@code P̂_g}
 * alone makes regions overconfident when few receivers heard: on simulated data with a quarter of
 * the readings below the floor, 90 % regions then held the truth 85 % of the time instead of 87 %.)
 * {@code log Φ} is evaluated through Erf above {@code z = -4} and by its asymptotic series below
 * (float Erf loses Φ's relative precision in the far tail).
 */
final class PosteriorGraph {

  static final String LEVELS = "level_db";
  static final String HEARD = "heard";
  static final String SILENT_INDEX = "silent_index";
  static final String SILENT_LEVEL = "silent_level_db";
  static final String MEAN = "mean_en";
  static final String COVARIANCE = "covariance_en";
  static final String REGION_MASS = "region_mass";

  private static final int OPSET = 17;
  private static final long IR_VERSION = 8;

  /** Below this z the censored term uses the asymptotic series. */
  private static final float TAIL_Z = -4f;

  private PosteriorGraph() {}

  /**
   * Builds the graph.
   *
   * @param grid the candidates
   * @param lossDb path loss {@code [r][g]}, dB, any common offset
   * @param shadowingDb σ
   * @param level level of the region whose mass is reported
   * @param silent how many receivers heard nothing in each transmission the graph takes (0: all
   *     heard)
   * @return the serialized model
   */
  static byte[] build(
      CandidateGrid grid, double[][] lossDb, double shadowingDb, double level, int silent) {
    boolean censored = silent > 0;
    int receivers = lossDb.length;
    int g = grid.size();
    float[] loss = new float[receivers * g];
    float[] lossSquared = new float[receivers * g];
    float[] lossOverSigma = new float[receivers * g];
    double maxArea = 0;
    for (int i = 0; i < g; i++) {
      maxArea = Math.max(maxArea, grid.area(i));
    }
    for (int r = 0; r < receivers; r++) {
      for (int i = 0; i < g; i++) {
        double l = lossDb[r][i];
        loss[r * g + i] = (float) l;
        lossSquared[r * g + i] = (float) (l * l);
        lossOverSigma[r * g + i] = (float) (l / shadowingDb);
      }
    }
    float[] east = new float[g];
    float[] north = new float[g];
    float[] logArea = new float[g];
    for (int i = 0; i < g; i++) {
      east[i] = (float) grid.east(i);
      north[i] = (float) grid.north(i);
      logArea[i] = (float) Math.log(grid.area(i) / maxArea);
    }

    Graph b = new Graph("received_power_posterior");
    b.input(LEVELS, receivers);
    b.input(HEARD, receivers);
    if (censored) {
      b.input(SILENT_INDEX, silent);
      b.input(SILENT_LEVEL, silent);
    }
    b.output(MEAN, 2);
    b.output(COVARIANCE, 3);
    b.output(REGION_MASS, 1);
    b.constant("loss", loss, receivers, g);
    b.constant("loss_sq", lossSquared, receivers, g);
    b.constant("east_row", east, 1, g);
    b.constant("north_row", north, 1, g);
    b.constant("east_col", east, g, 1);
    b.constant("north_col", north, g, 1);
    b.constant("log_area", logArea, 1, g);
    b.scalar("neg_inv_two_var", (float) (-1 / (2 * shadowingDb * shadowingDb)));
    b.scalar("chi2", (float) Region.chiSquare2(level));
    b.axes("axis1", 1);

    // Heard readings, profile likelihood over the transmit power, via Σh(P+L)² expanded.
    b.op("Mul", "hp", LEVELS, HEARD);
    b.op("Mul", "hpp", "hp", LEVELS);
    b.reduceSum("k", HEARD, true);
    b.reduceSum("sp", "hp", true);
    b.reduceSum("spp", "hpp", true);
    b.op("MatMul", "a", HEARD, "loss");
    b.op("MatMul", "bx", "hp", "loss");
    b.op("MatMul", "c", HEARD, "loss_sq");
    b.op("Add", "s", "sp", "a");
    b.op("Div", "tx", "s", "k");
    b.op("Add", "b2", "bx", "bx");
    b.op("Add", "t1", "spp", "b2");
    b.op("Add", "t2", "t1", "c");
    b.op("Mul", "t3", "s", "tx");
    b.op("Sub", "ss", "t2", "t3");
    b.op("Mul", "ll_heard", "ss", "neg_inv_two_var");
    String ll = "ll_heard";
    if (censored) {
      b.constant("loss_over_sigma", lossOverSigma, receivers, g);
      b.scalar("one", 1f);
      b.axes("axis2", 2);
      b.axes("axes23", 2, 3);
      double[] nodes = {-Math.sqrt(3), 0, Math.sqrt(3)};
      double[] weights = {1.0 / 6, 2.0 / 3, 1.0 / 6};
      float[] nodeValues = new float[3];
      float[] logWeights = new float[3];
      for (int q = 0; q < 3; q++) {
        nodeValues[q] = (float) nodes[q];
        logWeights[q] = (float) Math.log(weights[q]);
      }
      b.constant("gh_nodes", nodeValues, 1, 3);
      b.constant("gh_log_weights", logWeights, 1, 3, 1);
      b.scalar("inv_sigma", (float) (1 / shadowingDb));
      b.scalar("inv_sqrt2", (float) (1 / Math.sqrt(2)));
      b.scalar("half", 0.5f);
      b.scalar("neg_half", -0.5f);
      b.scalar("three", 3f);
      b.scalar("tail_z", TAIL_Z);
      b.scalar("log_sqrt_2pi", (float) (0.5 * Math.log(2 * Math.PI)));
      // Only the receivers that heard nothing: their loss rows, gathered per transmission.
      b.node("Cast", "silent_rows", SILENT_INDEX)
          .addAttribute(integer("to", TensorProto.DataType.INT64.getNumber()));
      b.node("Gather", "silent_loss", "loss_over_sigma", "silent_rows")
          .addAttribute(integer("axis", 0));
      b.op("Mul", "zp", SILENT_LEVEL, "inv_sigma");
      b.op("Unsqueeze", "zp3", "zp", "axis2");
      b.op("Mul", "zt", "tx", "inv_sigma");
      b.op("Unsqueeze", "zt3", "zt", "axis1");
      b.op("Add", "z0", "zp3", "silent_loss");
      b.op("Sub", "z", "z0", "zt3");
      // Transmit power at the quadrature nodes: P̂ + σ·x_q/√k, i.e. z − x_q/√k.
      b.op("Sqrt", "sqrt_k", "k");
      b.op("Div", "node_shift", "gh_nodes", "sqrt_k");
      b.op("Unsqueeze", "node_shift4", "node_shift", "axes23");
      b.op("Unsqueeze", "z4", "z", "axis1");
      b.op("Sub", "zq", "z4", "node_shift4");
      // Body: log(½(1 + erf(z/√2))) on z clamped to the tail's edge.
      b.op("Max", "zb", "zq", "tail_z");
      b.op("Mul", "zb2", "zb", "inv_sqrt2");
      b.op("Erf", "erf", "zb2");
      b.op("Add", "erf1", "erf", "one");
      b.op("Mul", "phi", "erf1", "half");
      b.op("Log", "log_body", "phi");
      // Tail: log φ(z) − log(−z) + log(1 − 1/z² + 3/z⁴) on z clamped from above.
      b.op("Min", "zl", "zq", "tail_z");
      b.op("Mul", "zl2", "zl", "zl");
      b.op("Reciprocal", "rz", "zl2");
      b.op("Mul", "rz3", "rz", "three");
      b.op("Sub", "rz3m", "rz3", "one");
      b.op("Mul", "rz3mr", "rz3m", "rz");
      b.op("Add", "series", "rz3mr", "one");
      b.op("Log", "log_series", "series");
      b.op("Mul", "quad", "zl2", "neg_half");
      b.op("Neg", "nzl", "zl");
      b.op("Log", "log_nzl", "nzl");
      b.op("Sub", "tail1", "quad", "log_nzl");
      b.op("Add", "tail2", "tail1", "log_series");
      b.op("Sub", "log_tail", "tail2", "log_sqrt_2pi");
      b.op("Less", "in_tail", "zq", "tail_z");
      b.op("Where", "log_phi", "in_tail", "log_tail", "log_body");
      b.node("ReduceSum", "ll_nodes", "log_phi", "axis2")
          .addAttribute(integer("keepdims", 0));
      // log Σ_q w_q exp(ll_q), stably.
      b.op("Add", "ll_weighted", "ll_nodes", "gh_log_weights");
      b.node("ReduceMax", "ll_nodes_max", "ll_weighted")
          .addAttribute(ints("axes", 1))
          .addAttribute(integer("keepdims", 1));
      b.op("Sub", "ll_nodes_rel", "ll_weighted", "ll_nodes_max");
      b.op("Exp", "ll_nodes_exp", "ll_nodes_rel");
      b.reduceSum("ll_nodes_sum", "ll_nodes_exp", false);
      b.op("Log", "ll_nodes_log", "ll_nodes_sum");
      b.op("Squeeze", "ll_nodes_max2", "ll_nodes_max", "axis1");
      b.op("Add", "ll_censored", "ll_nodes_log", "ll_nodes_max2");
      b.op("Add", "ll_all", "ll_heard", "ll_censored");
      ll = "ll_all";
    }

    // Posterior weights over the cells (uniform prior: weight ∝ area).
    b.op("Add", "log_post", ll, "log_area");
    b.node("ReduceMax", "log_max", "log_post")
        .addAttribute(ints("axes", 1))
        .addAttribute(integer("keepdims", 1));
    b.op("Sub", "log_rel", "log_post", "log_max");
    b.op("Exp", "unnorm", "log_rel");
    b.reduceSum("total", "unnorm", true);
    b.op("Div", "w", "unnorm", "total");

    // Mean, then the covariance about it (centred: float32 E[x²] − E[x]² would cancel).
    b.op("MatMul", "me", "w", "east_col");
    b.op("MatMul", "mn", "w", "north_col");
    b.node("Concat", MEAN, "me", "mn").addAttribute(integer("axis", 1));
    b.op("Sub", "de", "east_row", "me");
    b.op("Sub", "dn", "north_row", "mn");
    b.op("Mul", "wde", "w", "de");
    b.op("Mul", "wdn", "w", "dn");
    b.op("Mul", "wdede", "wde", "de");
    b.op("Mul", "wdedn", "wde", "dn");
    b.op("Mul", "wdndn", "wdn", "dn");
    b.reduceSum("cee", "wdede", true);
    b.reduceSum("cen", "wdedn", true);
    b.reduceSum("cnn", "wdndn", true);
    b.node("Concat", COVARIANCE, "cee", "cen", "cnn").addAttribute(integer("axis", 1));

    // Mass inside the ellipse: (x−μ)ᵀ adj(C) (x−μ) <= chi2 · det(C).
    b.op("Mul", "de2", "de", "de");
    b.op("Mul", "qa", "de2", "cnn");
    b.op("Mul", "dedn", "de", "dn");
    b.op("Mul", "qb1", "dedn", "cen");
    b.op("Add", "qb", "qb1", "qb1");
    b.op("Mul", "dn2", "dn", "dn");
    b.op("Mul", "qc", "dn2", "cee");
    b.op("Sub", "q1", "qa", "qb");
    b.op("Add", "q", "q1", "qc");
    b.op("Mul", "det1", "cee", "cnn");
    b.op("Mul", "det2", "cen", "cen");
    b.op("Sub", "det", "det1", "det2");
    b.op("Mul", "threshold", "det", "chi2");
    b.op("LessOrEqual", "inside", "q", "threshold");
    b.node("Cast", "inside_f", "inside")
        .addAttribute(integer("to", TensorProto.DataType.FLOAT.getNumber()));
    b.op("Mul", "w_inside", "w", "inside_f");
    b.reduceSum(REGION_MASS, "w_inside", true);

    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("heimdall-locate")
        .setDomain("io.heimdall")
        .setModelVersion(1)
        .setDocString(
            "Received-power posterior over "
                + g
                + " candidates for "
                + receivers
                + " receivers"
                + (censored ? ", " + silent + " of them heard nothing" : ""))
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(b.graph)
        .build()
        .toByteArray();
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

  /** A thin builder over {@link GraphProto.Builder}: each node's output carries its name. */
  private static final class Graph {
    final GraphProto.Builder graph;

    Graph(String name) {
      graph = GraphProto.newBuilder().setName(name);
    }

    NodeProto.Builder node(String op, String output, String... inputs) {
      NodeProto.Builder node =
          NodeProto.newBuilder().setOpType(op).setName(output + "_" + op).addOutput(output);
      for (String input : inputs) {
        node.addInput(input);
      }
      return graph.addNodeBuilder().mergeFrom(node.build());
    }

    void op(String op, String output, String... inputs) {
      node(op, output, inputs);
    }

    void reduceSum(String output, String input, boolean keep) {
      node("ReduceSum", output, input, "axis1").addAttribute(integer("keepdims", keep ? 1 : 0));
    }

    void input(String name, long width) {
      graph.addInput(value(name, width));
    }

    void output(String name, long width) {
      graph.addOutput(value(name, width));
    }

    void constant(String name, float[] values, long... dims) {
      ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      bytes.asFloatBuffer().put(values);
      TensorProto.Builder tensor =
          TensorProto.newBuilder()
              .setName(name)
              .setDataType(TensorProto.DataType.FLOAT.getNumber())
              .setRawData(ByteString.copyFrom(bytes.array()));
      for (long dim : dims) {
        tensor.addDims(dim);
      }
      graph.addInitializer(tensor);
    }

    void scalar(String name, float value) {
      constant(name, new float[] {value});
    }

    void axes(String name, long... axes) {
      TensorProto.Builder tensor =
          TensorProto.newBuilder()
              .setName(name)
              .setDataType(TensorProto.DataType.INT64.getNumber())
              .addDims(axes.length);
      for (long axis : axes) {
        tensor.addInt64Data(axis);
      }
      graph.addInitializer(tensor);
    }

    private static ValueInfoProto value(String name, long width) {
      TensorShapeProto.Builder shape =
          TensorShapeProto.newBuilder()
              .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
              .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width));
      return ValueInfoProto.newBuilder()
          .setName(name)
          .setType(
              TypeProto.newBuilder()
                  .setTensorType(
                      TypeProto.Tensor.newBuilder()
                          .setElemType(TensorProto.DataType.FLOAT.getNumber())
                          .setShape(shape)))
          .build();
    }
  }
}
