package io.heimdall.inference;

import io.heimdall.InvalidInputException;

/**
 * Where an {@link InferenceEngine} runs its model: the device policy asked for, and the one in use.
 */
public enum Device {
  /**
   * CUDA (and TensorRT if asked) when the CUDA artifact ({@code onnxruntime_gpu}) is on the class
   * path and CUDA loads. With the default CPU artifact there is no CUDA to try: the engine runs on
   * the CPU silently (one DEBUG line). With the CUDA artifact present but CUDA failing, it falls
   * back to the CPU with one WARN line and {@value InferenceEngine#METRIC_FALLBACKS} incremented.
   */
  AUTO,
  /** The CPU execution provider only. */
  CPU,
  /**
   * CUDA (and TensorRT if asked) or a {@link ProviderUnavailableException}: never a silent
   * fallback.
   */
  CUDA;

  /**
   * Parses a policy name as written on a command line.
   *
   * @param name {@code auto}, {@code cpu} or {@code cuda}, any case, surrounding blanks ignored
   * @return the policy
   * @throws InvalidInputException naming the accepted values
   * @throws NullPointerException if {@code name} is null
   */
  public static Device parse(String name) {
    for (Device device : values()) {
      if (device.name().equalsIgnoreCase(Checks.notNull(name, "device").trim())) {
        return device;
      }
    }
    throw new InvalidInputException("unknown device '" + name + "'; expected auto, cpu or cuda");
  }
}
