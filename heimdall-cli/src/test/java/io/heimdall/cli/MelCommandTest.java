package io.heimdall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.heimdall.dsp.MelSpectrogram;
import io.heimdall.npy.Npy;
import io.heimdall.npy.NpyArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MelCommandTest {

  @TempDir Path dir;

  /**
   * librosa reference files, in testdata/golden of the repository (override: -Dheimdall.golden).
   */
  static Path golden(String name) {
    String override = System.getProperty("heimdall.golden");
    Path goldenDir =
        override != null
            ? Path.of(override)
            : Path.of("").toAbsolutePath().resolve("../testdata/golden").normalize();
    assertThat(goldenDir.resolve(name)).as("golden file (set -Dheimdall.golden=DIR)").exists();
    return goldenDir.resolve(name);
  }

  static float[] rawFloats(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(out);
    return out;
  }

  static float[] signal(int n, double hz) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / 22050));
    }
    return x;
  }

  List<Path> filesIn() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  @Test
  void rawSignalGivesLibrosasMelSpectrogram() throws IOException {
    Path out = dir.resolve("mel.npy");
    HeimdallCliTest.Run run =
        HeimdallCliTest.run(
            "mel", "--input", golden("a_sines_input.f32").toString(), "--output", out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    NpyArray mel = Npy.read(out);
    assertThat(mel.shape()).containsExactly(128, 431);
    float[] expected = rawFloats(golden("a_sines_mel.f32"));
    float[] actual = mel.toFloatArray();
    float max = 0;
    for (float v : expected) {
      max = Math.max(max, v);
    }
    for (int i = 0; i < expected.length; i++) {
      assertThat(Math.abs(actual[i] - expected[i])).isLessThanOrEqualTo(1e-5f * max);
    }
  }

  @Test
  void decibelsMatchLibrosaPowerToDb() throws IOException {
    Path in = dir.resolve("noise.npy");
    Npy.write(in, NpyArray.ofFloats(rawFloats(golden("b_noise_input.f32")), 220500));
    Path out = dir.resolve("db.npy");
    HeimdallCliTest.Run run =
        HeimdallCliTest.run("mel", "--input", in.toString(), "--output", out.toString(), "--db");
    assertThat(run.exitCode()).as(run.err()).isZero();
    float[] expected = rawFloats(golden("b_noise_mel_db.f32"));
    float[] actual = Npy.read(out).toFloatArray();
    for (int i = 0; i < expected.length; i++) {
      assertThat(Math.abs(actual[i] - expected[i])).isLessThanOrEqualTo(2e-3f);
    }
  }

  @Test
  void batchGivesOneSpectrogramPerRowWithCustomParameters() throws IOException {
    float[] a = signal(8000, 440);
    float[] b = signal(8000, 2500);
    float[] both = new float[16000];
    System.arraycopy(a, 0, both, 0, 8000);
    System.arraycopy(b, 0, both, 8000, 8000);
    Path in = dir.resolve("batch.npy");
    Npy.write(in, NpyArray.ofFloats(both, 2, 8000));
    Path out = dir.resolve("out.npy");
    HeimdallCliTest.Run run =
        HeimdallCliTest.run(
            "mel",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--sample-rate",
            "16000",
            "--n-fft",
            "512",
            "--hop",
            "128",
            "--n-mels",
            "40",
            "--fmin",
            "50",
            "--fmax",
            "7000");
    assertThat(run.exitCode()).as(run.err()).isZero();
    MelSpectrogram mel =
        MelSpectrogram.builder()
            .sampleRate(16000)
            .nFft(512)
            .hop(128)
            .nMels(40)
            .fmin(50)
            .fmax(7000)
            .build();
    NpyArray result = Npy.read(out);
    assertThat(result.shape()).containsExactly(2, 40, mel.frames(8000));
    float[] values = result.toFloatArray();
    int size = mel.outputSize(8000);
    assertThat(java.util.Arrays.copyOfRange(values, size, 2 * size))
        .containsExactly(mel.compute(b));
    assertThat(run.out()).contains("wrote").contains("[2, 40, 63]");
  }

  @Test
  void badInputExitsTwoWithOneLineAndNoOutput() throws IOException {
    Path out = dir.resolve("never.npy");
    Path cube = dir.resolve("cube.npy");
    Npy.write(cube, NpyArray.ofFloats(new float[8], 2, 2, 2));
    assertBadInput(
        out,
        "expected float32 ('<f4') [samples] or [N, samples], got <f4 [2, 2, 2]",
        "mel",
        "--input",
        cube.toString(),
        "--output",
        out.toString());

    Path complex = dir.resolve("iq.npy");
    Npy.write(complex, NpyArray.ofComplex(new float[8], 4));
    assertBadInput(
        out, "got <c8 [4]", "mel", "--input", complex.toString(), "--output", out.toString());

    float[] withNaN = signal(4000, 300);
    withNaN[1234] = Float.NaN;
    Path nan = dir.resolve("nan.npy");
    Npy.write(nan, NpyArray.ofFloats(withNaN, 1, 4000));
    assertBadInput(
        out,
        "signal 0 holds NaN at index 1234",
        "mel",
        "--input",
        nan.toString(),
        "--output",
        out.toString());

    Path ok = dir.resolve("ok.npy");
    Npy.write(ok, NpyArray.ofFloats(signal(4000, 300), 4000));
    assertBadInput(
        out,
        "fmax 12000.0 Hz exceeds the Nyquist frequency 11025.0 Hz",
        "mel",
        "--input",
        ok.toString(),
        "--output",
        out.toString(),
        "--fmax",
        "12000");
    assertBadInput(
        out,
        "covers no FFT bin",
        "mel",
        "--input",
        ok.toString(),
        "--output",
        out.toString(),
        "--n-fft",
        "128");

    Path odd = Files.write(dir.resolve("odd.f32"), new byte[10]);
    assertBadInput(
        out,
        "10 bytes, not a multiple of 4",
        "mel",
        "--input",
        odd.toString(),
        "--output",
        out.toString());
    Path wav = Files.write(dir.resolve("x.wav"), new byte[8]);
    assertBadInput(
        out,
        "expected a .npy or .f32 file",
        "mel",
        "--input",
        wav.toString(),
        "--output",
        out.toString());
    assertBadInput(
        out,
        "heimdall mel: input file " + dir.resolve("missing.npy") + " does not exist",
        "mel",
        "--input",
        dir.resolve("missing.npy").toString(),
        "--output",
        out.toString());
    assertThat(filesIn()).noneMatch(p -> p.getFileName().toString().contains("never"));
  }

  void assertBadInput(Path out, String message, String... args) {
    HeimdallCliTest.Run run = HeimdallCliTest.run(args);
    assertThat(run.exitCode()).isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err()).startsWith("heimdall mel: ").contains(message);
    assertThat(run.err().strip()).doesNotContain("\n").doesNotContain("\tat ");
    assertThat(out).doesNotExist();
  }

  @Test
  void readOnlyOutputIsRefusedAndKept() throws IOException {
    Path in = dir.resolve("ok.npy");
    Npy.write(in, NpyArray.ofFloats(signal(4000, 300), 4000));
    Path out = Files.writeString(dir.resolve("kept.npy"), "keep me");
    Files.setPosixFilePermissions(
        out, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
    HeimdallCliTest.Run run =
        HeimdallCliTest.run("mel", "--input", in.toString(), "--output", out.toString());
    assertThat(run.exitCode()).isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err())
        .isEqualTo(
            "heimdall mel: output file "
                + out
                + " is read-only (r--r--r--); expected a writable file (it is never replaced"
                + " silently) or a new name\n");
    assertThat(Files.readString(out)).isEqualTo("keep me");
    assertThat(filesIn()).noneMatch(p -> p.getFileName().toString().endsWith(".part"));
  }
}
