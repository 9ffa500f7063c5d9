package io.heimdall.inference;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference models computed independently in plain Java (double arithmetic): the centroid from
 * the documented formula and {@link ReferenceModels#RECEIVERS}, the CNN from the weights read back
 * out of the committed model's initializers.
 */
final class PlainJavaModels {

  private PlainJavaModels() {}

  /** Positions and uncertainties (lat, lon, latσ, lonσ) for one power vector. */
  static double[] centroid(float[] powerDbm) {
    List<Receiver> receivers = ReferenceModels.RECEIVERS;
    double[] weights = new double[receivers.size()];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      weights[i] = Math.pow(10, powerDbm[i] / 20.0); // received amplitude
      sum += weights[i];
    }
    double lat = 0;
    double lon = 0;
    for (int i = 0; i < weights.length; i++) {
      weights[i] /= sum;
      lat += weights[i] * receivers.get(i).latitude();
      lon += weights[i] * receivers.get(i).longitude();
    }
    double metresLat = ReferenceModels.METRES_PER_DEGREE_LATITUDE;
    double metresLon = metresLat * Math.cos(Math.toRadians(ReferenceModels.REFERENCE_LATITUDE));
    double varLat = 0;
    double varLon = 0;
    for (int i = 0; i < weights.length; i++) {
      double dLat = (receivers.get(i).latitude() - lat) * metresLat;
      double dLon = (receivers.get(i).longitude() - lon) * metresLon;
      varLat += weights[i] * dLat * dLat;
      varLon += weights[i] * dLon * dLon;
    }
    double floor2 = ReferenceModels.UNCERTAINTY_FLOOR_M * ReferenceModels.UNCERTAINTY_FLOOR_M;
    return new double[] {lat, lon, Math.sqrt(varLat + floor2), Math.sqrt(varLon + floor2)};
  }

  /** The CNN's weights by initializer name. */
  static Map<String, float[]> weights(byte[] model) throws InvalidProtocolBufferException {
    Map<String, float[]> weights = new HashMap<>();
    for (TensorProto tensor : ModelProto.parseFrom(model).getGraph().getInitializerList()) {
      if (tensor.getDataType() != TensorProto.DataType.FLOAT.getNumber()) {
        continue;
      }
      float[] values;
      if (tensor.getFloatDataCount() > 0) {
        values = new float[tensor.getFloatDataCount()];
        for (int i = 0; i < values.length; i++) {
          values[i] = tensor.getFloatData(i);
        }
      } else {
        values = new float[tensor.getRawData().size() / 4];
        ByteBuffer.wrap(tensor.getRawData().toByteArray())
            .order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer()
            .get(values);
      }
      weights.put(tensor.getName(), values);
    }
    return weights;
  }

  /** (lat, lon, latσ, lonσ) of the untrained CNN for one {@code [128,431]} mel input. */
  static double[] cnn(float[] mel, Map<String, float[]> w) {
    int[][] conv = ModelGenerator.CONVOLUTIONS;
    double[] x = new double[mel.length];
    for (int i = 0; i < mel.length; i++) {
      x[i] =
          ((double) mel[i] - ReferenceModels.CNN_INPUT_CENTRE_DB)
              / ReferenceModels.CNN_INPUT_SCALE_DB;
    }
    int channels = 1;
    int height = ReferenceModels.MEL_BANDS;
    int width = ReferenceModels.MEL_FRAMES;
    for (int layer = 0; layer < conv.length; layer++) {
      int stride = layer == 0 ? 2 : 1;
      int outH = (height + 2 - 3) / stride + 1;
      int outW = (width + 2 - 3) / stride + 1;
      int out = conv[layer][0];
      double[] y =
          convolve(
              x,
              channels,
              height,
              width,
              w.get("conv" + (layer + 1) + ".weight"),
              w.get("conv" + (layer + 1) + ".bias"),
              out,
              stride,
              outH,
              outW);
      for (int i = 0; i < y.length; i++) {
        y[i] = Math.max(0, y[i]);
      }
      channels = out;
      height = outH;
      width = outW;
      x = y;
      if (layer < conv.length - 1) {
        x = maxPool(x, channels, height, width);
        height /= 2;
        width /= 2;
      }
    }
    double[] features = new double[channels];
    for (int c = 0; c < channels; c++) {
      double sum = 0;
      for (int i = 0; i < height * width; i++) {
        sum += x[c * height * width + i];
      }
      features[c] = sum / (height * width);
    }
    double[] hidden = dense(features, w.get("dense.weight"), w.get("dense.bias"));
    for (int i = 0; i < hidden.length; i++) {
      hidden[i] = Math.max(0, hidden[i]);
    }
    double[] positions = dense(hidden, w.get("positions.weight"), w.get("positions.bias"));
    double[] logits =
        dense(hidden, w.get("uncertainty_logits.weight"), w.get("uncertainty_logits.bias"));
    return new double[] {
      positions[0], positions[1], Math.log1p(Math.exp(logits[0])), Math.log1p(Math.exp(logits[1]))
    };
  }

  private static double[] convolve(
      double[] x,
      int channels,
      int height,
      int width,
      float[] weight,
      float[] bias,
      int out,
      int stride,
      int outH,
      int outW) {
    double[] y = new double[out * outH * outW];
    for (int o = 0; o < out; o++) {
      for (int r = 0; r < outH; r++) {
        for (int c = 0; c < outW; c++) {
          double sum = bias[o];
          for (int k = 0; k < channels; k++) {
            for (int i = 0; i < 3; i++) {
              int row = r * stride - 1 + i;
              if (row < 0 || row >= height) {
                continue;
              }
              for (int j = 0; j < 3; j++) {
                int col = c * stride - 1 + j;
                if (col < 0 || col >= width) {
                  continue;
                }
                sum +=
                    weight[((o * channels + k) * 3 + i) * 3 + j]
                        * x[(k * height + row) * width + col];
              }
            }
          }
          y[(o * outH + r) * outW + c] = sum;
        }
      }
    }
    return y;
  }

  private static double[] maxPool(double[] x, int channels, int height, int width) {
    int outH = height / 2;
    int outW = width / 2;
    double[] y = new double[channels * outH * outW];
    for (int k = 0; k < channels; k++) {
      for (int r = 0; r < outH; r++) {
        for (int c = 0; c < outW; c++) {
          double max = Double.NEGATIVE_INFINITY;
          for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
              max = Math.max(max, x[(k * height + 2 * r + i) * width + 2 * c + j]);
            }
          }
          y[(k * outH + r) * outW + c] = max;
        }
      }
    }
    return y;
  }

  /** {@code weight} is [out, in] (Gemm with transB=1). */
  private static double[] dense(double[] x, float[] weight, float[] bias) {
    double[] y = new double[bias.length];
    for (int o = 0; o < y.length; o++) {
      double sum = bias[o];
      for (int i = 0; i < x.length; i++) {
        sum += weight[o * x.length + i] * x[i];
      }
      y[o] = sum;
    }
    return y;
  }
}
