package io.heimdall.cli;

import io.heimdall.inference.Device;
import io.heimdall.inference.FloatTensor;
import io.heimdall.inference.InferenceEngine;
import io.heimdall.inference.InferenceResult;
import io.heimdall.inference.InputNameException;
import io.heimdall.npy.Npy;
import io.heimdall.npy.NpyArray;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code heimdall infer}: runs an ONNX model on {@code .npy} inputs in batches and writes its
 * outputs as {@code .npy}. One output goes to {@code --output}; several go to {@code
 * <stem>.<outputName>.npy} beside it, all or none.
 */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description = {
      "Runs an ONNX model on float32 .npy input in batches; writes its outputs as .npy.",
      "One output goes to OUT; several go to OUT-stem.<outputName>.npy each, all or none",
      "(--output y.npy gives y.positions.npy and y.uncertainties.npy)."
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

  @Option(
      names = "--output",
      required = true,
      paramLabel = "OUT.npy",
      description = "Output file (see above).")
  Path output;

  @Option(
      names = "--device",
      defaultValue = "auto",
      converter = DeviceConverter.class,
      description =
          "auto (CUDA if it loads, else CPU), cpu, or cuda (fail without CUDA). Default:"
              + " ${DEFAULT-VALUE}.")
  Device device;

  @Option(
      names = "--batch-size",
      defaultValue = "64",
      description = "Samples per ONNX Runtime call. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Override
  public Integer call() throws IOException {
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
    }
    try (InferenceEngine engine =
        InferenceEngine.builder(model).device(device).maxBatchSize(batchSize).build()) {
      InferenceResult result = engine.run(readInputs(engine));
      Map<Path, FloatTensor> files = outputFiles(result);
      writeAllOrNothing(files);
      PrintWriter out = spec.commandLine().getOut();
      files.forEach((file, tensor) -> out.println("wrote " + file + " " + tensor.toNpy()));
      out.println(
          result.batchSize()
              + " samples on "
              + engine.device().name().toLowerCase(java.util.Locale.ROOT)
              + " "
              + engine.providers());
      out.flush();
    }
    return 0;
  }

  private Map<String, FloatTensor> readInputs(InferenceEngine engine) throws IOException {
    List<String> names = engine.modelInfo().inputNames();
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    for (String argument : inputs) {
      int equals = argument.indexOf('=');
      String name =
          equals > 0 && names.contains(argument.substring(0, equals))
              ? argument.substring(0, equals)
              : null;
      Path file = Path.of(name == null ? argument : argument.substring(equals + 1));
      if (name == null) {
        if (names.size() != 1) {
          throw new InputNameException(
              "model has inputs "
                  + names
                  + "; give each as --input NAME=X.npy (got '"
                  + argument
                  + "')");
        }
        name = names.get(0);
      }
      if (tensors.containsKey(name)) {
        throw new InputNameException("input '" + name + "' given twice");
      }
      NpyArray array = Npy.read(file);
      tensors.put(name, FloatTensor.of(array));
    }
    return tensors;
  }

  private Map<Path, FloatTensor> outputFiles(InferenceResult result) {
    Map<Path, FloatTensor> files = new LinkedHashMap<>();
    if (result.outputNames().size() == 1) {
      files.put(output, result.output(result.outputNames().get(0)));
      return files;
    }
    String fileName = output.getFileName().toString();
    String stem =
        fileName.endsWith(".npy") ? fileName.substring(0, fileName.length() - 4) : fileName;
    for (String name : result.outputNames()) {
      files.put(output.resolveSibling(stem + "." + name + ".npy"), result.output(name));
    }
    return files;
  }

  /**
   * Writes every file through {@link AtomicOutput}, nested so that all are complete before the
   * first is moved into place; if anything fails, files this call created are removed.
   */
  private static void writeAllOrNothing(Map<Path, FloatTensor> files) throws IOException {
    List<Path> targets = new ArrayList<>(files.keySet());
    List<Path> created = new ArrayList<>();
    for (Path target : targets) {
      if (!Files.exists(target)) {
        created.add(target);
      }
    }
    try {
      writeFrom(targets, files, 0);
    } catch (IOException | RuntimeException e) {
      for (Path target : created) {
        Files.deleteIfExists(target);
      }
      throw e;
    }
  }

  private static void writeFrom(List<Path> targets, Map<Path, FloatTensor> files, int index)
      throws IOException {
    if (index == targets.size()) {
      return;
    }
    Path target = targets.get(index);
    AtomicOutput.write(
        target,
        file -> {
          Npy.write(file, files.get(target).toNpy());
          writeFrom(targets, files, index + 1);
        });
  }

  /** Parses {@code --device}. */
  static final class DeviceConverter implements CommandLine.ITypeConverter<Device> {
    @Override
    public Device convert(String value) {
      try {
        return Device.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
