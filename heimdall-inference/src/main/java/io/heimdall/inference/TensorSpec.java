package io.heimdall.inference;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One input or output of a model as declared in the ONNX graph.
 *
 * @param name the tensor's name in the graph
 * @param elementType the ONNX element type, e.g. {@code float}, {@code int64}
 * @param shape the declared dimensions; {@code -1} marks a symbolic (free) dimension such as the
 *     batch dimension
 * @param dimensionNames the symbolic names of the dimensions ({@code ""} where a dimension is fixed
 *     or unnamed)
 */
public record TensorSpec(
    String name, String elementType, List<Long> shape, List<String> dimensionNames) {

  /**
   * Copies the lists so that the record stays immutable.
   *
   * @param name the tensor's name in the graph
   * @param elementType the ONNX element type
   * @param shape the declared dimensions, {@code -1} for symbolic ones
   * @param dimensionNames the symbolic names of the dimensions
   */
  public TensorSpec {
    shape = List.copyOf(shape);
    dimensionNames = List.copyOf(dimensionNames);
  }

  /**
   * Number of dimensions.
   *
   * @return the rank
   */
  public int rank() {
    return shape.size();
  }

  /**
   * The declared shape as an array.
   *
   * @return a new array, {@code -1} for symbolic dimensions
   */
  public long[] dims() {
    return shape.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * Whether the first dimension is symbolic, i.e. the tensor carries a batch of samples.
   *
   * @return true for a batched tensor
   */
  public boolean batched() {
    return !shape.isEmpty() && shape.get(0) < 0;
  }

  /**
   * Number of values in one sample: the product of the dimensions after the batch dimension.
   *
   * @return that product, or {@code -1} when one of them is symbolic
   */
  public long sampleSize() {
    long size = 1;
    for (int i = 1; i < shape.size(); i++) {
      if (shape.get(i) < 0) {
        return -1;
      }
      size *= shape.get(i);
    }
    return size;
  }

  /**
   * The shape as it appears in messages.
   *
   * @return e.g. {@code [N,128,431]}, symbolic dimensions by name
   */
  public String shapeText() {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < shape.size(); i++) {
      if (i > 0) {
        text.append(',');
      }
      long dim = shape.get(i);
      String symbol = dimensionNames.get(i);
      text.append(dim >= 0 ? Long.toString(dim) : symbol.isEmpty() ? (i == 0 ? "N" : "?") : symbol);
    }
    return text.append(']').toString();
  }

  @Override
  public String toString() {
    return name + " " + elementType + " " + shapeText();
  }

  static String shapeText(long[] dims) {
    return java.util.Arrays.stream(dims)
        .mapToObj(Long::toString)
        .collect(Collectors.joining(",", "[", "]"));
  }
}
