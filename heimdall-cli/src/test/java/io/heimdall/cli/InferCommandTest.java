package io.heimdall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.heimdall.inference.Device;
import io.heimdall.inference.FloatTensor;
import io.heimdall.inference.InferenceEngine;
import io.heimdall.inference.InferenceResult;
import io.heimdall.inference.Location;
import io.heimdall.inference.ReferenceModels;
import io.heimdall.npy.Npy;
import io.heimdall.npy.NpyArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
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
    HeimdallCliTest.Run run =
        HeimdallCliTest.run(
            "infer",
            "--model",
            centroid.toString(),
            "--input",
            input.toString(),
            "--output",
            dir.resolve("y.npy").toString(),
            "--device",
            "cpu",
            "--batch-size",
            "4");
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
    HeimdallCliTest.Run run =
        HeimdallCliTest.run(
            "infer",
            "--model",
            cnn.toString(),
            "--input",
            input.toString(),
            "--output",
            dir.resolve("y.npy").toString());
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
      if (i != 5) { // picocli reports option conversion errors itself, with the usage
        assertThat(run.err().strip().lines().filter(l -> l.startsWith("heimdall infer: ")).count())
            .as("case %d", i)
            .isEqualTo(1);
      }
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
}
