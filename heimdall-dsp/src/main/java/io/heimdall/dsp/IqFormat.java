package io.heimdall.dsp;

import java.nio.file.Path;
import java.util.Locale;

/** Raw and NumPy IQ recording formats, each with its file extensions and sample scaling. */
public enum IqFormat {
  /** Interleaved little-endian int16 I/Q, scaled by 1/32768 ({@code .cs16}). */
  CS16(4, "cs16"),
  /** Interleaved unsigned 8-bit I/Q (RTL-SDR), {@code (v − 127.5)/128} ({@code .cu8}). */
  CU8(2, "cu8"),
  /** Interleaved signed 8-bit I/Q, scaled by 1/128 ({@code .cs8}). */
  CS8(2, "cs8"),
  /** Interleaved little-endian float32 I/Q ({@code .cf32}, {@code .c64}, {@code .fc32}). */
  CF32(8, "cf32", "c64", "fc32"),
  /** NumPy {@code .npy}: complex64 {@code [n]} or float32 {@code [n, 2]}. */
  NPY(0, "npy");

  private final int bytesPerSample;
  private final String[] extensions;

  IqFormat(int bytesPerSample, String... extensions) {
    this.bytesPerSample = bytesPerSample;
    this.extensions = extensions;
  }

  /**
   * Bytes per complex sample in a raw file.
   *
   * @return bytes per I/Q pair (0 for {@code .npy}, which has a header)
   */
  public int bytesPerSample() {
    return bytesPerSample;
  }

  /**
   * The usual file extension.
   *
   * @return the extension without the dot
   */
  public String extension() {
    return extensions[0];
  }

  /**
   * The format named by a command-line value ({@code cs16}, {@code cu8}, {@code cs8}, {@code cf32},
   * {@code c64}, {@code npy}; case-insensitive).
   *
   * @param name the format's name or extension
   * @return the format
   * @throws DspException for any other name
   */
  public static IqFormat named(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (IqFormat format : values()) {
      for (String extension : format.extensions) {
        if (extension.equals(lower)) {
          return format;
        }
      }
    }
    throw new DspException(
        "unknown IQ format '" + name + "' (expected cs16, cu8, cs8, cf32, c64 or npy)");
  }

  /**
   * The format given by a file's extension.
   *
   * @param file the file
   * @return the format
   * @throws DspException if the extension is not one of the known formats
   */
  public static IqFormat fromFileName(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    if (dot < 0) {
      throw new DspException(
          "cannot tell the IQ format of "
              + file
              + " without an extension (expected .cs16, .cu8,"
              + " .cs8, .cf32, .c64 or .npy, or name the format)");
    }
    try {
      return named(name.substring(dot + 1));
    } catch (DspException e) {
      throw new DspException(
          "cannot tell the IQ format of "
              + file
              + " from its extension (expected .cs16, .cu8,"
              + " .cs8, .cf32, .c64 or .npy, or name the format)");
    }
  }
}
