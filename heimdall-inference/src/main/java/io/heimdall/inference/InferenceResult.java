package io.heimdall.inference;

import io.heimdall.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every output of one inference call, by name, in the model's output order. Immutable: each output
 * is a {@link FloatTensor} owning a plain heap array that nothing else references (the native ONNX
 * Runtime values were copied and released before this object was made), so it may be kept, shared
 * between threads and garbage-collected like any Java object.
 */
public final class InferenceResult {
  private final Map<String, FloatTensor> outputs;
  private final int batchSize;

  InferenceResult(Map<String, FloatTensor> outputs, int batchSize) {
    this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    this.batchSize = batchSize;
  }

  /**
   * Number of samples (the first dimension of every output).
   *
   * @return the batch size
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * The outputs by name, in the model's output order.
   *
   * @return an unmodifiable map from output name to tensor
   */
  public Map<String, FloatTensor> outputs() {
    return outputs;
  }

  /**
   * The output names, in the model's output order.
   *
   * @return the names
   */
  public List<String> outputNames() {
    return List.copyOf(outputs.keySet());
  }

  /**
   * The output called {@code name}.
   *
   * @param name an output name of the model
   * @return that output, {@code [N, ...]}
   * @throws InvalidInputException naming the outputs there are
   */
  public FloatTensor output(String name) {
    FloatTensor tensor = outputs.get(name);
    if (tensor == null) {
      throw new InvalidInputException(
          "no output '" + name + "'; the outputs are " + outputs.keySet());
    }
    return tensor;
  }

  /**
   * The outputs of sample {@code index} alone, as a result with a batch of one.
   *
   * @param index 0 to {@code batchSize() - 1}
   * @return a copy of that sample's outputs
   * @throws IndexOutOfBoundsException if {@code index} is outside the batch
   */
  public InferenceResult sample(int index) {
    if (index < 0 || index >= batchSize) {
      throw new IndexOutOfBoundsException("sample " + index + " of a batch of " + batchSize);
    }
    Map<String, FloatTensor> one = new LinkedHashMap<>();
    outputs.forEach(
        (name, tensor) -> {
          long[] shape = tensor.shape();
          shape[0] = 1;
          one.put(name, FloatTensor.owning(tensor.row(index), shape));
        });
    return new InferenceResult(one, 1);
  }

  @Override
  public String toString() {
    return "InferenceResult" + outputs;
  }
}
