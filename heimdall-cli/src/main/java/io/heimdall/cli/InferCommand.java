package io.heimdall.cli;

import io.heimdall.InvalidInputException;
import io.heimdall.inference.FloatTensor;
import io.heimdall.inference.InferenceEngine;
import io.heimdall.inference.InferenceResult;
import io.heimdall.inference.InputNameException;
import io.heimdall.inference.NonFiniteInputException;
import io.heimdall.npy.Npy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code heimdall infer}: runs an ONNX model on {@code .npy} inputs in batches and writes its
 * outputs as {@code .npy}. One output goes to {@code --output}; several go to {@code
 * <stem>.<outputName>.npy} beside it, all or none. Inputs holding NaN or infinities are refused.
 */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description = {
      "Runs an ONNX model on float32 .npy input in batches; writes its outputs as .npy.",
      "One output goes to OUT; several go to OUT-stem.<outputName>.npy each, all or none",
      "(--output y.npy gives y.positions.npy and y.uncertainties.npy).",
      "Inputs must be finite: NaN or infinities are refused."
    })
public final class InferCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "M.onnx",
      description = "The ONNX model.")
  Path model;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "X.npy|NAME=X.npy",
      description = {
        "Float32 .npy input [N, ...]. A model with several inputs takes one NAME=X.npy per "
            + "input (repeat the option); every input needs the same N."
      })
  List<String> inputs;

  @Mixin OutputOption output;

  @Mixin DeviceOption device;

  @Mixin BatchSizeOption batchSize;

  /** Creates the command; picocli sets its options. */
  public InferCommand() {}

  /**
   * Runs the model and writes its outputs.
   *
   * @return {@value CliErrors#EXIT_OK}
   * @throws IOException if reading an input or writing an output fails
   */
  @Override
  public Integer call() throws IOException {
    InputFiles.requireReadable(model, "model");
    try (InferenceEngine engine =
        InferenceEngine.builder(model)
            .device(device.device())
            .maxBatchSize(batchSize.batchSize())
            .rejectNonFinite(true)
            .build()) {
      Map<String, Path> files = new LinkedHashMap<>();
      Map<String, FloatTensor> tensors = readInputs(engine.modelInfo().inputNames(), files);
      InferenceResult result;
      try {
        result = engine.run(tensors);
      } catch (NonFiniteInputException e) {
        throw new InvalidInputException(inputFileOf(e.getMessage(), files) + e.getMessage(), e);
      }
      Map<Path, FloatTensor> outputs = outputFiles(result);
      try (AtomicOutput out = AtomicOutput.open()) {
        for (Map.Entry<Path, FloatTensor> file : outputs.entrySet()) {
          out.stage(file.getKey(), temp -> Npy.write(temp, file.getValue().toNpy()));
        }
        out.commit();
      }
      PrintWriter out = spec.commandLine().getOut();
      outputs.forEach((file, tensor) -> out.println("wrote " + file + " " + tensor.toNpy()));
      out.println(
          result.batchSize()
              + " samples on "
              + engine.device().name().toLowerCase(Locale.ROOT)
              + " "
              + engine.providers());
      out.flush();
    }
    return CliErrors.EXIT_OK;
  }

  /**
   * Reads every {@code --input}: {@code X.npy} for a single-input model, {@code NAME=X.npy} for
   * any. An argument that names an existing file is a file even if it holds '='.
   */
  private Map<String, FloatTensor> readInputs(List<String> names, Map<String, Path> files)
      throws IOException {
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    for (String argument : inputs) {
      int equals = argument.indexOf('=');
      String name;
      Path file;
      if (equals > 0 && !Files.exists(Path.of(argument))) {
        name = argument.substring(0, equals);
        file = Path.of(argument.substring(equals + 1));
        if (!names.contains(name)) {
          throw new InputNameException(
              "--input "
                  + argument
                  + ": the model has no input '"
                  + name
                  + "'; its inputs are "
                  + names);
        }
      } else if (names.size() == 1) {
        name = names.get(0);
        file = Path.of(argument);
      } else {
        throw new InputNameException(
            "--input "
                + argument
                + ": the model has inputs "
                + names
                + "; expected one --input NAME=X.npy for each");
      }
      if (tensors.containsKey(name)) {
        throw new InputNameException(
            "--input " + argument + ": input '" + name + "' given twice; expected it once");
      }
      try {
        tensors.put(name, FloatTensor.of(InputFiles.readNpy(file, "input")));
      } catch (InvalidInputException e) {
        throw e.getMessage().contains(file.toString())
            ? e
            : new InvalidInputException("input file " + file + ": " + e.getMessage(), e);
      }
      files.put(name, file);
    }
    return tensors;
  }

  /** "input file X: " for the input that the engine's message names, or nothing. */
  private static String inputFileOf(String message, Map<String, Path> files) {
    for (Map.Entry<String, Path> input : files.entrySet()) {
      if (message.contains("'" + input.getKey() + "'")) {
        return "input file " + input.getValue() + ": ";
      }
    }
    return "";
  }

  private Map<Path, FloatTensor> outputFiles(InferenceResult result) {
    Path target = output.path();
    Map<Path, FloatTensor> files = new LinkedHashMap<>();
    if (result.outputNames().size() == 1) {
      files.put(target, result.output(result.outputNames().get(0)));
      return files;
    }
    String fileName = target.getFileName().toString();
    String stem =
        fileName.endsWith(".npy") ? fileName.substring(0, fileName.length() - 4) : fileName;
    for (String name : result.outputNames()) {
      files.put(target.resolveSibling(stem + "." + name + ".npy"), result.output(name));
    }
    return files;
  }
}
