package io.heimdall.cli;

import io.heimdall.InvalidInputException;
import io.heimdall.dsp.IqFile;
import io.heimdall.dsp.FeatureExtractor;
import io.heimdall.dsp.MelSpectrogram;
import io.heimdall.dsp.PowerToDb;
import io.heimdall.npy.Npy;
import io.heimdall.npy.NpyArray;
import io.heimdall.npy.NpyDType;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code heimdall mel}: librosa-identical mel spectrograms of one signal or a batch, written as
 * {@code .npy}.
 */
@Command(
    name = "mel",
    mixinStandardHelpOptions = true,
    description = {
      "Mel power spectrograms identical to librosa.feature.melspectrogram.",
      "IN is a float32 .npy [samples] or [N, samples], or raw little-endian float32 (.f32);",
      "OUT is [n_mels, frames] or [N, n_mels, frames] (float32 .npy)."
    })
public final class MelCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "IN",
      description = "Signal(s): .npy or .f32.")
  Path input;

  @Mixin OutputOption output;

  @Option(
      names = "--sample-rate",
      defaultValue = "22050",
      description = "Sample rate in Hz. Default: ${DEFAULT-VALUE}.")
  double sampleRate;

  @Option(
      names = "--n-fft",
      defaultValue = "2048",
      description = "FFT length. Default: ${DEFAULT-VALUE}.")
  int nFft;

  @Option(
      names = "--hop",
      defaultValue = "512",
      description = "Hop length. Default: ${DEFAULT-VALUE}.")
  int hop;

  @Option(
      names = "--n-mels",
      defaultValue = "128",
      description = "Mel bands. Default: ${DEFAULT-VALUE}.")
  int nMels;

  @Option(
      names = "--fmin",
      defaultValue = "0",
      description = "Lowest frequency in Hz. Default: ${DEFAULT-VALUE}.")
  double fmin;

  @Option(names = "--fmax", description = "Highest frequency in Hz. Default: sample rate / 2.")
  Double fmax;

  @Option(
      names = "--db",
      description = "Convert to dB: ref = max of each spectrogram, amin 1e-10, top_db 80.")
  boolean decibels;

  /** Creates the command; picocli sets its options. */
  public MelCommand() {}

  /**
   * Computes the spectrograms and writes them.
   *
   * @return {@value CliErrors#EXIT_OK}
   * @throws IOException if reading the input or writing the output fails
   */
  @Override
  public Integer call() throws IOException {
    MelSpectrogram.Builder builder =
        MelSpectrogram.builder().sampleRate(sampleRate).nFft(nFft).hop(hop).nMels(nMels).fmin(fmin);
    if (fmax != null) {
      builder.fmax(fmax);
    }
    MelSpectrogram mel = builder.build();
    NpyArray signals = readSignals(input);
    boolean batch = signals.rank() == 2;
    int count = batch ? Math.toIntExact(signals.dim(0)) : 1;
    int length = Math.toIntExact(signals.dim(signals.rank() - 1));
    if (count == 0 || length == 0) {
      throw new InvalidInputException(
          "input file "
              + input
              + ": shape "
              + Arrays.toString(signals.shape())
              + " holds no samples (expected"
              + " [samples] or [N, samples] with N, samples > 0)");
    }
    FeatureExtractor.Builder extractor = FeatureExtractor.builder(mel);
    if (decibels) {
      extractor.decibels(PowerToDb.relativeToMax());
    }
    FloatBuffer features;
    long[] shape;
    try (FeatureExtractor fx = extractor.build()) {
      features = fx.extract(signals.data(), count, length);
      shape = fx.outputShape(count, length);
    }
    long[] outShape = batch ? shape : Arrays.copyOfRange(shape, 1, 3);
    NpyArray result = NpyArray.of(NpyDType.FLOAT32, outShape, features);
    AtomicOutput.write(output.path(), file -> Npy.write(file, result));
    spec.commandLine().getOut().println("wrote " + output.path() + " " + result);
    return CliErrors.EXIT_OK;
  }

  /** Reads a float32 signal or batch: {@code .npy} of rank 1 or 2, or raw {@code .f32}. */
  static NpyArray readSignals(Path input) throws IOException {
    InputFiles.requireReadable(input, "input");
    String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".f32")) {
      float[] samples = IqFile.readReal(input).toArray();
      return NpyArray.ofFloats(samples, samples.length);
    }
    if (!name.endsWith(".npy")) {
      throw new InvalidInputException(
          "cannot read input file " + input + ": expected a .npy or .f32 file");
    }
    NpyArray array = InputFiles.readNpy(input, "input");
    if (array.dtype() != NpyDType.FLOAT32 || array.rank() > 2) {
      throw new InvalidInputException(
          "input file "
              + input
              + ": expected float32 ('<f4') [samples] or [N, samples], got "
              + array.dtype().descr()
              + " "
              + Arrays.toString(array.shape()));
    }
    return array;
  }
}
