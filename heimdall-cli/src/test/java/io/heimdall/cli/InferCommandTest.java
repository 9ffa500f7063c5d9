package io.heimdall.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.heimdall.inference.Device;
import io.heimdall.inference.FloatTensor;
import io.heimdall.inference.InferenceEngine;
import io.heimdall.inference.InferenceResult;
import io.heimdall.inference.Location;
import io.heimdall.inference.ReferenceModels;
import io.heimdall.npy.Npy;
import io.heimdall.npy.NpyArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferCommandTest {

  @TempDir Path dir;
  Path centroid;
  Path cnn;

  @BeforeEach
  void models() throws Exception {
    centroid = Files.write(dir.resolve("centroid.onnx"), ReferenceModels.weightedCentroid());
    cnn = Files.write(dir.resolve("cnn.onnx"), ReferenceModels.localizationCnn());
  }

  static float[] random(int count, long seed, float low, float high) {
    Random random = new Random(seed);
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = low + (high - low) * random.nextFloat();
    }
    return values;
  }

  String[] filesIn() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  @Test
  void writesOneFilePerOutputMatchingTheEngine() throws Exception {
    float[] powers = random(10 * 7, 1, -120, -40);
    Path input = dir.resolve("x.npy");
    Npy.write(input, NpyArray.ofFloats(powers, 10, 7));
    HeimdallCliTest.Run run = inferCentroid(input, "y.npy", "--batch-size", "4");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("y.positions.npy").contains("10 samples on cpu");
    assertThat(filesIn())
        .containsExactly(
            "centroid.onnx", "cnn.onnx", "x.npy", "y.positions.npy", "y.uncertainties.npy");
    try (InferenceEngine engine =
        InferenceEngine.builder(ReferenceModels.weightedCentroid()).device(Device.CPU).build()) {
      InferenceResult expected = engine.run(FloatTensor.of(powers, 10, 7));
      for (String name : new String[] {Location.POSITIONS, Location.UNCERTAINTIES}) {
        NpyArray written = Npy.read(dir.resolve("y." + name + ".npy"));
        assertThat(written.shape()).containsExactly(10, 2);
        assertThat(written.toFloatArray()).containsExactly(expected.output(name).toArray());
      }
    }
  }

  @Test
  void namedInputFormIsAccepted() throws Exception {
    Path input = dir.resolve("x.npy");
    Npy.write(input, NpyArray.ofFloats(random(7, 2, -100, -50), 1, 7));
    HeimdallCliTest.Run run =
        HeimdallCliTest.run(
            "infer",
            "--model",
            centroid.toString(),
            "--input",
            "power_dbm=" + input,
            "--output",
            dir.resolve("out.npy").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Npy.read(dir.resolve("out.positions.npy")).shape()).containsExactly(1, 2);
  }

  @Test
  void wrongShapeExitsTwoWithTheExpectedShapeAndWritesNothing() throws Exception {
    Path input = dir.resolve("x.npy");
    Npy.write(input, NpyArray.ofFloats(new float[2 * 128 * 430], 2, 128, 430));
    HeimdallCliTest.Run run = infer(cnn, input.toString(), "y.npy");
    assertThat(run.exitCode()).isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err().strip())
        .isEqualTo("heimdall infer: input 'mel' has shape [2,128,430]; expected [N,128,431]");
    assertThat(run.out()).isEmpty();
    assertThat(filesIn()).containsExactly("centroid.onnx", "cnn.onnx", "x.npy");
  }

  @Test
  void badInputsExitTwoWithOneLineAndNoOutput() throws Exception {
    Path complex = dir.resolve("c.npy");
    Npy.write(complex, NpyArray.ofComplex(new float[14], 1, 7));
    Path garbage = Files.write(dir.resolve("garbage.onnx"), new byte[] {1, 2, 3, 4, 5});
    Path good = dir.resolve("x.npy");
    Npy.write(good, NpyArray.ofFloats(new float[7], 1, 7));
    Path notNpy = Files.writeString(dir.resolve("t.npy"), "hello");
    String out = dir.resolve("y.npy").toString();
    String[][] cases = {
      {"--model", centroid.toString(), "--input", complex.toString(), "--output", out},
      {"--model", garbage.toString(), "--input", good.toString(), "--output", out},
      {"--model", centroid.toString(), "--input", notNpy.toString(), "--output", out},
      {
        "--model",
        centroid.toString(),
        "--input",
        dir.resolve("absent.npy").toString(),
        "--output",
        out
      },
      {
        "--model",
        centroid.toString(),
        "--input",
        good.toString(),
        "--output",
        out,
        "--device",
        "cuda"
      },
      {
        "--model",
        centroid.toString(),
        "--input",
        good.toString(),
        "--output",
        out,
        "--device",
        "tpu"
      },
      {
        "--model",
        centroid.toString(),
        "--input",
        good.toString(),
        "--output",
        out,
        "--batch-size",
        "0"
      },
      {
        "--model",
        centroid.toString(),
        "--input",
        good.toString(),
        "--input",
        good.toString(),
        "--output",
        out
      },
    };
    String[] expected = {
      "has dtype <c8; expected float32 (<f4)",
      "is not a valid ONNX file",
      "t.npy",
      "absent.npy",
      "CUDA execution provider cannot be used",
      "expected auto, cpu or cuda",
      "--batch-size must be at least 1, got 0",
      "given twice",
    };
    for (int i = 0; i < cases.length; i++) {
      String[] args =
          Stream.concat(Stream.of("infer"), Arrays.stream(cases[i])).toArray(String[]::new);
      HeimdallCliTest.Run run = HeimdallCliTest.run(args);
      assertThat(run.exitCode())
          .as("case %d: %s", i, run.err())
          .isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
      assertThat(run.err()).as("case %d", i).contains(expected[i]).doesNotContain("\tat ");
      assertThat(run.err()).as("case %d", i).startsWith("heimdall infer: ");
      assertThat(run.err().strip()).as("case %d", i).doesNotContain("\n");
      assertThat(filesIn())
          .as("case %d", i)
          .containsExactly("c.npy", "centroid.onnx", "cnn.onnx", "garbage.onnx", "t.npy", "x.npy");
    }
  }

  @Test
  void inspectDescribesTheModel() {
    HeimdallCliTest.Run run = HeimdallCliTest.run("inspect", "--model", cnn.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("producer   heimdall ModelGenerator 1")
        .contains("opset      17")
        .containsPattern("mel +float +\\[N,128,431\\]")
        .containsPattern("positions +float +\\[N,2\\]")
        .containsPattern("uncertainties +float +\\[N,2\\]")
        .contains("available [CPUExecutionProvider]")
        .contains("session    auto -> cpu [CPUExecutionProvider]");
    HeimdallCliTest.Run bad =
        HeimdallCliTest.run("inspect", "--model", dir.resolve("none.onnx").toString());
    assertThat(bad.exitCode()).isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
    assertThat(bad.err()).contains("does not exist");
  }

  /** Runs infer of {@code model} on the CPU, with {@code out} in the test directory. */
  HeimdallCliTest.Run infer(Path model, String input, String out, String... more) {
    Stream<String> args =
        Stream.of(
            "infer",
            "--model",
            model.toString(),
            "--input",
            input,
            "--output",
            dir.resolve(out).toString(),
            "--device",
            "cpu");
    return HeimdallCliTest.run(Stream.concat(args, Stream.of(more)).toArray(String[]::new));
  }

  HeimdallCliTest.Run inferCentroid(Path input, String out, String... more) {
    return infer(centroid, input.toString(), out, more);
  }

  Path powers(String name, float[] values) throws Exception {
    Path input = dir.resolve(name);
    Npy.write(input, NpyArray.ofFloats(values, values.length / 7, 7));
    return input;
  }

  static void assertOneLine(HeimdallCliTest.Run run, int exitCode) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
    assertThat(run.err()).startsWith("heimdall infer: ").endsWith("\n");
    assertThat(run.err().strip()).doesNotContain("\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void nonFiniteInputExitsTwoNamingTheInputAndTheFirstBadIndex() throws Exception {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
      float[] values = random(10 * 7, 5, -120, -40);
      values[3 * 7 + 2] = bad;
      values[6 * 7 + 1] = bad;
      Path input = powers("x.npy", values);
      HeimdallCliTest.Run run = inferCentroid(input, "y.npy");
      assertOneLine(run, HeimdallCli.EXIT_BAD_INPUT);
      assertThat(run.err())
          .contains("input file " + input)
          .contains("'power_dbm'")
          .contains("holds " + bad + " at sample 3, element 2")
          .contains("expected finite values");
      assertThat(filesIn()).containsExactly("centroid.onnx", "cnn.onnx", "x.npy");
    }
  }

  @Test
  void aFailingOutputLeavesEveryOtherOutputAsItWas() throws Exception {
    Path input = powers("x.npy", random(4 * 7, 6, -120, -40));
    for (String blocked : new String[] {Location.POSITIONS, Location.UNCERTAINTIES}) {
      String other =
          blocked.equals(Location.POSITIONS) ? Location.UNCERTAINTIES : Location.POSITIONS;
      Path directory = Files.createDirectories(dir.resolve("y." + blocked + ".npy"));
      Files.writeString(directory.resolve("keep"), "a directory in the way");
      Path old = Files.writeString(dir.resolve("y." + other + ".npy"), "old " + other);
      HeimdallCliTest.Run run = inferCentroid(input, "y.npy");
      assertOneLine(run, HeimdallCli.EXIT_BAD_INPUT);
      assertThat(run.err()).contains("y." + blocked + ".npy").contains("is a directory");
      assertThat(new String(Files.readAllBytes(old), StandardCharsets.ISO_8859_1))
          .as("untouched when %s fails", blocked)
          .isEqualTo("old " + other);
      assertThat(filesIn()).noneMatch(name -> name.endsWith(".part"));
      Files.delete(directory.resolve("keep"));
      Files.delete(directory);
      Files.delete(old);
    }
  }

  @Test
  void readOnlyOutputIsRefusedAndNoOutputIsReplaced() throws Exception {
    Path input = powers("x.npy", random(4 * 7, 7, -120, -40));
    Path positions = Files.writeString(dir.resolve("y.positions.npy"), "old positions");
    Path uncertainties = Files.writeString(dir.resolve("y.uncertainties.npy"), "old sigmas");
    Files.setPosixFilePermissions(positions, PosixFilePermissions.fromString("r--r--r--"));
    HeimdallCliTest.Run run = inferCentroid(input, "y.npy");
    assertOneLine(run, HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err())
        .contains("output file " + positions + " is read-only (r--r--r--)")
        .doesNotContain(".part");
    assertThat(Files.readString(positions)).isEqualTo("old positions");
    assertThat(Files.readString(uncertainties)).isEqualTo("old sigmas");
    assertThat(Files.getPosixFilePermissions(positions))
        .isEqualTo(PosixFilePermissions.fromString("r--r--r--"));
    assertThat(filesIn()).noneMatch(name -> name.endsWith(".part"));
  }

  @Test
  void newOutputsHonourTheUmaskAndReplacedOutputsKeepTheirPermissions() throws Exception {
    // What any new file gets here (0666 less the umask) is the reference for a new output.
    Set<PosixFilePermission> umasked =
        Files.getPosixFilePermissions(Files.createFile(dir.resolve("reference")));
    assumeThat(umasked).as("umask must leave more than rw-------").isNotEqualTo(
        PosixFilePermissions.fromString("rw-------"));
    Path input = powers("x.npy", random(4 * 7, 8, -120, -40));
    Path uncertainties = Files.writeString(dir.resolve("y.uncertainties.npy"), "old");
    Set<PosixFilePermission> shared = PosixFilePermissions.fromString("rw-rw----");
    Files.setPosixFilePermissions(uncertainties, shared);
    HeimdallCliTest.Run run = inferCentroid(input, "y.npy");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.getPosixFilePermissions(dir.resolve("y.positions.npy"))).isEqualTo(umasked);
    assertThat(Files.getPosixFilePermissions(uncertainties)).isEqualTo(shared);
    assertThat(Npy.read(uncertainties).shape()).containsExactly(4, 2);
  }

  @Test
  void missingInputSaysTheInputFileDoesNotExist() {
    Path absent = dir.resolve("nope.npy");
    HeimdallCliTest.Run run = inferCentroid(absent, "y.npy");
    assertOneLine(run, HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err()).isEqualTo("heimdall infer: input file " + absent + " does not exist\n");
  }

  @Test
  void inputNameTheModelDoesNotHaveNamesTheModelsInputs() throws Exception {
    Path input = powers("pw.npy", random(7, 9, -120, -40));
    HeimdallCliTest.Run run = infer(cnn, "power_dbm=" + input, "y.npy");
    assertOneLine(run, HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err())
        .isEqualTo(
            "heimdall infer: --input power_dbm="
                + input
                + ": the model has no input 'power_dbm'; its inputs are [mel]\n");
  }

  /** A float32 .npy header of shape (2^31, 2^31) followed by 8 bytes of data. */
  Path hugeShape() throws Exception {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2147483648, 2147483648), }";
    int total = (10 + dict.length() + 1 + 63) / 64 * 64;
    ByteBuffer header = ByteBuffer.allocate(total + 8).order(ByteOrder.LITTLE_ENDIAN);
    header.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    header.putShort((short) (total - 10));
    header.put(dict.getBytes(StandardCharsets.ISO_8859_1));
    while (header.position() < total - 1) {
      header.put((byte) ' ');
    }
    header.put((byte) '\n');
    return Files.write(dir.resolve("huge.npy"), header.array());
  }

  @Test
  void shapeWhoseSizeOverflowsIsOneLineOfBadInputNamingTheFile() throws Exception {
    Path huge = hugeShape();
    HeimdallCliTest.Run run = inferCentroid(huge, "y.npy");
    assertOneLine(run, HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err()).contains(huge.toString()).contains("[2147483648, 2147483648]");
    assertThat(filesIn()).containsExactly("centroid.onnx", "cnn.onnx", "huge.npy");
  }

  @Test
  void shapeWhoseSizeOverflowsSaysSoAndTheLargestSupported() throws Exception {
    HeimdallCliTest.Run run = inferCentroid(hugeShape(), "y.npy");
    assertOneLine(run, HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err()).contains("overflow").contains("2147483639 bytes");
  }
}
