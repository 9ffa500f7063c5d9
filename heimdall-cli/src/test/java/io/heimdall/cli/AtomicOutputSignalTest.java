package io.heimdall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real child JVM writing a large output is stopped by SIGTERM or SIGINT while the temporary file
 * exists; the shutdown hook must leave no {@code .part} file behind.
 */
class AtomicOutputSignalTest {

  @TempDir Path dir;

  static String classPathOf(Class<?>... classes) throws Exception {
    List<String> entries = new ArrayList<>();
    for (Class<?> type : classes) {
      entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  List<String> filesIn() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"TERM", "INT"})
  void signalMidWriteLeavesNoPartFile(String signal) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-cp",
            classPathOf(
                SlowOutputMain.class, AtomicOutput.class, io.heimdall.InvalidInputException.class),
            SlowOutputMain.class.getName(),
            dir.resolve("big.npy").toString());
    builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
    builder.redirectErrorStream(true);
    Process child = builder.start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertThat(line).as("child output").startsWith("writing .big.npy");
      assertThat(filesIn()).as("the temporary file exists mid-write").hasSize(1);
      assertThat(filesIn().get(0)).startsWith(".big.npy").endsWith(".part");
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start();
      assertThat(kill.waitFor()).isZero();
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("child exits").isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.exitValue()).isEqualTo(signal.equals("TERM") ? 143 : 130);
    assertThat(filesIn()).isEmpty();
  }
}
