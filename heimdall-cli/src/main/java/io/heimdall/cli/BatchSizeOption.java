package io.heimdall.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --batch-size N}: samples per ONNX Runtime call. A command adds it as a field
 * {@code @Mixin BatchSizeOption batchSize;} and passes {@link #batchSize()} to the engine
 * builder's {@code maxBatchSize}. Default {@value #DEFAULT}; a value below 1 is rejected while
 * parsing (exit 2).
 */
public final class BatchSizeOption {

  /** The default number of samples per call. */
  public static final int DEFAULT = 64;

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  private int batchSize = DEFAULT;

  /** Creates the option at its default; picocli sets it. */
  public BatchSizeOption() {}

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "" + DEFAULT,
      description = "Samples per ONNX Runtime call, at least 1. Default: ${DEFAULT-VALUE}.")
  void batchSize(int value) {
    if (value < 1) {
      throw new CommandLine.ParameterException(
          mixee.commandLine(), "--batch-size must be at least 1, got " + value);
    }
    this.batchSize = value;
  }

  /**
   * The batch size given.
   *
   * @return samples per call, at least 1
   */
  public int batchSize() {
    return batchSize;
  }
}
