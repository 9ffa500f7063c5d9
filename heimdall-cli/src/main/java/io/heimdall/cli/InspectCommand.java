package io.heimdall.cli;

import io.heimdall.inference.InferenceEngine;
import io.heimdall.inference.ModelInfo;
import io.heimdall.inference.TensorSpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heimdall inspect}: a model's inputs, outputs, shapes, types, opset and providers. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description =
        "Prints an ONNX model's inputs, outputs, shapes, element types, opset, producer and"
            + " execution providers.")
public final class InspectCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "M.onnx",
      description = "The ONNX model.")
  java.nio.file.Path model;

  @Mixin DeviceOption device;

  /** Creates the command; picocli sets its options. */
  public InspectCommand() {}

  /**
   * Opens the model and prints its description.
   *
   * @return {@value CliErrors#EXIT_OK}
   */
  @Override
  public Integer call() {
    InputFiles.requireReadable(model, "model");
    try (InferenceEngine engine = InferenceEngine.builder(model).device(device.device()).build()) {
      ModelInfo info = engine.modelInfo();
      PrintWriter out = spec.commandLine().getOut();
      out.println("model      " + model);
      out.println("producer   " + (info.producerName() + " " + info.producerVersion()).trim());
      out.println("ir version " + info.irVersion());
      out.println(
          "opset      " + info.opset() + (info.opsets().size() > 1 ? " " + info.opsets() : ""));
      printSpecs(out, "inputs", info.inputs());
      printSpecs(out, "outputs", info.outputs());
      out.println("providers  available " + InferenceEngine.availableProviders());
      out.println(
          "session    "
              + device.device().name().toLowerCase(Locale.ROOT)
              + " -> "
              + engine.device().name().toLowerCase(Locale.ROOT)
              + " "
              + engine.providers());
      out.flush();
    }
    return CliErrors.EXIT_OK;
  }

  private static void printSpecs(PrintWriter out, String title, List<TensorSpec> specs) {
    out.println(title);
    int width = specs.stream().mapToInt(s -> s.name().length()).max().orElse(0);
    for (TensorSpec spec : specs) {
      out.printf(
          "  %-" + width + "s  %-7s %s%n", spec.name(), spec.elementType(), spec.shapeText());
    }
  }
}
