package io.heimdall.inference;

/**
 * Where an {@link InferenceEngine} runs its model: the device policy asked for, and the one in use.
 */
public enum Device {
  /**
   * Try CUDA (and TensorRT if asked); fall back to the CPU with one WARN line and a counted metric.
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
   * Parses a policy name as written on a command line ({@code auto}, {@code cpu}, {@code cuda}, any
   * case).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Device parse(String name) {
    for (Device device : values()) {
      if (device.name().equalsIgnoreCase(name.trim())) {
        return device;
      }
    }
    throw new IllegalArgumentException("unknown device '" + name + "'; expected auto, cpu or cuda");
  }
}
