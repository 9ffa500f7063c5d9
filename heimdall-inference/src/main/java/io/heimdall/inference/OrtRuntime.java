package io.heimdall.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The one door to ONNX Runtime's process-wide state: every use of {@link OrtEnvironment} in this
 * package goes through here, so that the telemetry check runs before ONNX Runtime is first loaded.
 *
 * <p>Why the check: ONNX Runtime's telemetry runs GCC {@code std::regex} over the process command
 * line while it creates its environment and recurses off the stack when the line is long, killing
 * the JVM without a crash file. {@code ORT_DISABLE_TELEMETRY} avoids it, and only the process's
 * launcher can set it.
 */
final class OrtRuntime {

  /** The variable that switches ONNX Runtime's telemetry off, read from the process environment. */
  static final String TELEMETRY_VARIABLE = "ORT_DISABLE_TELEMETRY";

  /** Values measured to keep ONNX Runtime 1.29 alive (compared ignoring case); "0" does not. */
  private static final Set<String> TRUE_VALUES = Set.of("1", "true", "yes");

  private OrtRuntime() {}

  /**
   * The JVM's one ONNX Runtime environment, created on first use.
   *
   * @throws TelemetryCrashRiskException if creating it would crash the JVM
   */
  static OrtEnvironment environment() {
    checkTelemetryRisk();
    return Holder.ENV;
  }

  /**
   * The execution providers this ONNX Runtime build was compiled with: {@code [CPU]} for the CPU
   * artifact; CUDA and TensorRT as well for {@code onnxruntime_gpu}, whether or not CUDA itself can
   * load on this machine.
   *
   * @throws TelemetryCrashRiskException if loading ONNX Runtime would crash the JVM
   */
  static EnumSet<OrtProvider> compiledProviders() {
    checkTelemetryRisk();
    return OrtEnvironment.getAvailableProviders();
  }

  /**
   * Throws if this process's command line is longer than the safe limit while telemetry is on. Both
   * facts are fixed for the life of the process, so they are read once.
   */
  static void checkTelemetryRisk() {
    String refusal = Risk.REFUSAL;
    if (refusal != null) {
      throw new TelemetryCrashRiskException(refusal);
    }
  }

  /**
   * The refusal message for a command line of {@code commandLineBytes} (negative if unknown) and
   * the variable's value ({@code null} if unset), or {@code null} when ONNX Runtime is safe to
   * load.
   */
  static String refusal(long commandLineBytes, String variable) {
    if (commandLineBytes <= InferenceEngine.TELEMETRY_SAFE_COMMAND_LINE_BYTES
        || (variable != null && TRUE_VALUES.contains(variable.trim().toLowerCase(Locale.ROOT)))) {
      return null;
    }
    return "the JVM command line is "
        + commandLineBytes
        + " bytes, over the "
        + InferenceEngine.TELEMETRY_SAFE_COMMAND_LINE_BYTES
        + " bytes at which ONNX Runtime's telemetry crashes the JVM while loading, and "
        + TELEMETRY_VARIABLE
        + (variable == null ? " is not set" : " is '" + variable + "'")
        + "; set "
        + TELEMETRY_VARIABLE
        + "=1 in the environment of this process (e.g. export "
        + TELEMETRY_VARIABLE
        + "=1 before starting java)";
  }

  /**
   * Bytes of this process's command line: {@code /proc/self/cmdline} where it exists (the exact
   * bytes ONNX Runtime reads on Linux), else the command line the JDK reports, else {@code -1}.
   */
  static long commandLineBytes() {
    Path cmdline = Path.of("/proc/self/cmdline");
    if (Files.isReadable(cmdline)) {
      try {
        return Files.readAllBytes(cmdline).length;
      } catch (IOException | SecurityException e) {
        // fall through to the JDK's view
      }
    }
    return ProcessHandle.current()
        .info()
        .commandLine()
        .map(line -> (long) line.getBytes(StandardCharsets.UTF_8).length)
        .orElse(-1L);
  }

  /** Computed on first use, before any ONNX Runtime class is initialised. */
  private static final class Risk {
    static final String REFUSAL = refusal(commandLineBytes(), System.getenv(TELEMETRY_VARIABLE));

    private Risk() {}
  }

  /** Created on first use, only after {@link #checkTelemetryRisk()} passed. */
  private static final class Holder {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    static {
      removeExtractionDirectoryAtExit();
    }

    private Holder() {}
  }

  /**
   * ONNX Runtime extracts its native libraries into a new {@code onnxruntime-java*} directory of
   * {@code java.io.tmpdir} in every JVM; its own clean-up (delete, else delete on exit) removes the
   * libraries but leaves the empty directory, one more per run in {@code /tmp}. A shutdown hook
   * deletes it with whatever is still in it (application hooks run before the JVM's delete-on-exit
   * list). Best effort: where the directory cannot be found (another ONNX Runtime version, or a
   * module path that does not open its package) nothing changes.
   */
  private static void removeExtractionDirectoryAtExit() {
    Path directory;
    try {
      Field field = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("tempDirectory");
      field.setAccessible(true);
      directory = field.get(null) instanceof Path path ? path : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return;
    }
    if (directory == null
        || !directory.getFileName().toString().startsWith("onnxruntime-java")
        || !Files.isDirectory(directory)) {
      return;
    }
    Thread hook = new Thread(() -> deleteTree(directory), "heimdall-onnxruntime-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  private static void deleteTree(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // at exit there is no one left to tell; the directory stays, as it did before
    }
  }
}
