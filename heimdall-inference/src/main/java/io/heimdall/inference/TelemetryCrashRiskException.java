package io.heimdall.inference;

/**
 * Refusal to load ONNX Runtime in a JVM that it would crash. ONNX Runtime 1.20 to 1.29 kill the JVM
 * (SIGSEGV, exit code 139, no crash file) while creating their environment when the process command
 * line is longer than about 4 kB (less on a thread with a small stack): the telemetry matches
 * regular expressions against the command line with GCC's backtracking {@code std::regex}, which
 * recurses off the end of the stack. Setting {@code ORT_DISABLE_TELEMETRY=1} in the environment of
 * the process skips that code. A library cannot set its own process's environment, so the engine
 * checks before it loads ONNX Runtime and throws this instead of letting the process die. The
 * message says how long the command line is, the limit ({@value
 * InferenceEngine#TELEMETRY_SAFE_COMMAND_LINE_BYTES} bytes) and what to set.
 */
public class TelemetryCrashRiskException extends InferenceException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a one-line message.
   *
   * @param message the command-line length, the limit and the variable to set
   */
  public TelemetryCrashRiskException(String message) {
    super(message);
  }
}
