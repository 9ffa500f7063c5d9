package io.heimdall.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime kills a JVM whose command line is over about 4 kB while its telemetry is on. Each
 * test starts a child JVM with a 16 kB class path (the test class path padded with directories that
 * do not exist) running {@link TelemetryGuardMain}.
 */
class TelemetryGuardTest {

  static final int CLASS_PATH_BYTES = 16 * 1024;

  @TempDir Path dir;

  record Child(int exitCode, String output) {}

  @Test
  void withoutTheVariableTheEngineRefusesWithATypedErrorInsteadOfCrashing() throws Exception {
    Child child = run(null);
    assertThat(child.exitCode())
        .as("exit code (139 is the crash); output:%n%s", child.output())
        .isZero();
    assertThat(child.output())
        .contains("refused: the JVM command line is ")
        .contains("bytes, over the " + InferenceEngine.TELEMETRY_SAFE_COMMAND_LINE_BYTES + " bytes")
        .contains("ORT_DISABLE_TELEMETRY is not set")
        .contains("set ORT_DISABLE_TELEMETRY=1 in the environment of this process")
        .doesNotContain("positions");
  }

  @Test
  void withTheVariableTheSameJvmLoadsAndRunsARealModel() throws Exception {
    Child child = run("1");
    assertThat(child.exitCode()).as("exit code; output:%n%s", child.output()).isZero();
    String line =
        child.output().lines().filter(l -> l.startsWith("positions ")).findFirst().orElseThrow();
    String[] values = line.substring("positions [".length(), line.length() - 1).split(", ");
    double[] expected =
        PlainJavaModels.centroid(new float[] {-60, -70, -80, -90, -100, -110, -120});
    assertThat(Double.parseDouble(values[0])).isCloseTo(expected[0], within(5e-5));
    assertThat(Double.parseDouble(values[1])).isCloseTo(expected[1], within(5e-5));
  }

  /**
   * ONNX Runtime extracts its native libraries into a new {@code onnxruntime-java*} directory of
   * the temporary directory in every JVM, and its own clean-up leaves that directory behind: one
   * more in {@code /tmp} per run of the tool. The child gets a temporary directory of its own.
   */
  @Test
  void aJvmThatRanAModelLeavesNoNativeLibraryDirectoryBehind() throws Exception {
    Path temporary = Files.createDirectory(dir.resolve("tmp"));
    Child child = run("1", "-Djava.io.tmpdir=" + temporary);
    assertThat(child.exitCode()).as("exit code; output:%n%s", child.output()).isZero();
    assertThat(child.output()).contains("positions ");
    try (Stream<Path> left = Files.list(temporary)) {
      assertThat(left.map(path -> path.getFileName().toString()))
          .as("left in the child's temporary directory")
          .noneMatch(name -> name.startsWith("onnxruntime-java"));
    }
  }

  /**
   * Runs the child with {@code ORT_DISABLE_TELEMETRY} set to {@code variable}, or unset, and the
   * given extra JVM options.
   */
  private Child run(String variable, String... jvmOptions)
      throws IOException, InterruptedException {
    String classPath = paddedClassPath();
    assertThat(classPath.length()).isGreaterThanOrEqualTo(CLASS_PATH_BYTES);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // a quick child: no JIT beyond C1, small heap
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xmx128m");
    command.addAll(List.of(jvmOptions));
    command.add("-cp");
    command.add(classPath);
    command.add(TelemetryGuardMain.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Path output = dir.resolve("child.out");
    builder.redirectOutput(output.toFile());
    // surefire sets the variable for this JVM; the child gets exactly what the test says
    builder.environment().remove(OrtRuntime.TELEMETRY_VARIABLE);
    if (variable != null) {
      builder.environment().put(OrtRuntime.TELEMETRY_VARIABLE, variable);
    }
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child JVM still running after 60 s");
    }
    return new Child(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  /**
   * The test class path (surefire's own list when it forks with a manifest-only jar), padded to
   * {@value #CLASS_PATH_BYTES} bytes with directories that do not exist.
   */
  private String paddedClassPath() {
    String real = System.getProperty("surefire.test.class.path");
    if (real == null || real.isBlank()) {
      real = System.getProperty("java.class.path");
    }
    StringBuilder classPath = new StringBuilder(real);
    for (int i = 0; classPath.length() < CLASS_PATH_BYTES; i++) {
      classPath.append(File.pathSeparator).append(dir.resolve("absent-" + i));
    }
    return classPath.toString();
  }
}
