package io.heimdall.inference;

import io.heimdall.InvalidInputException;
import java.util.List;
import java.util.Map;

/**
 * What a model declares, read when an {@link InferenceEngine} loads it.
 *
 * @param inputs the graph inputs in declaration order (initializers excluded)
 * @param outputs the graph outputs in declaration order
 * @param irVersion the ONNX IR version of the file
 * @param opsets the operator sets the model imports: domain ({@code ""} for the default ONNX
 *     domain) to version
 * @param producerName the producing tool named in the file ({@code ""} if absent)
 * @param producerVersion the producing tool's version ({@code ""} if absent)
 */
public record ModelInfo(
    List<TensorSpec> inputs,
    List<TensorSpec> outputs,
    long irVersion,
    Map<String, Long> opsets,
    String producerName,
    String producerVersion) {

  /**
   * Copies the collections so that the record stays immutable.
   *
   * @param inputs the graph inputs in declaration order
   * @param outputs the graph outputs in declaration order
   * @param irVersion the ONNX IR version of the file
   * @param opsets the operator sets the model imports, domain to version
   * @param producerName the producing tool named in the file
   * @param producerVersion the producing tool's version
   */
  public ModelInfo {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    opsets = Map.copyOf(opsets);
  }

  /**
   * The version of the default ONNX operator set ({@code ai.onnx}).
   *
   * @return the version, or {@code -1} if the model does not import it
   */
  public long opset() {
    Long version = opsets.get("");
    return version == null ? opsets.getOrDefault("ai.onnx", -1L) : version;
  }

  /**
   * The input called {@code name}.
   *
   * @param name an input name of the model
   * @return its declaration
   * @throws InputNameException listing the model's inputs if there is no such input
   */
  public TensorSpec input(String name) {
    return find(inputs, name, "input");
  }

  /**
   * The output called {@code name}.
   *
   * @param name an output name of the model
   * @return its declaration
   * @throws InvalidInputException listing the model's outputs if there is no such output
   */
  public TensorSpec output(String name) {
    try {
      return find(outputs, name, "output");
    } catch (InputNameException e) {
      // an output name is not an input: keep the bad-input type, drop the input-specific one
      throw new InvalidInputException(e.getMessage(), e);
    }
  }

  /**
   * The names of the inputs, in declaration order.
   *
   * @return the input names
   */
  public List<String> inputNames() {
    return inputs.stream().map(TensorSpec::name).toList();
  }

  /**
   * The names of the outputs, in declaration order.
   *
   * @return the output names
   */
  public List<String> outputNames() {
    return outputs.stream().map(TensorSpec::name).toList();
  }

  private static TensorSpec find(List<TensorSpec> specs, String name, String kind) {
    for (TensorSpec spec : specs) {
      if (spec.name().equals(name)) {
        return spec;
      }
    }
    throw new InputNameException(
        "model has no "
            + kind
            + " '"
            + name
            + "'; its "
            + kind
            + "s are "
            + specs.stream().map(TensorSpec::name).toList());
  }
}
