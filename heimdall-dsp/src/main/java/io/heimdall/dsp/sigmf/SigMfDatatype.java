package io.heimdall.dsp.sigmf;

import io.heimdall.dsp.IqFormat;

/**
 * The SigMF sample types Heimdall reads and writes: complex, little-endian where it matters.
 * Integers are scaled to ±1 full scale as SigMF readers do: int16 / 32768, int8 / 128, unsigned
 * 8-bit (v − 127.5) / 128.
 */
public enum SigMfDatatype {
  /** Interleaved float32 I/Q, little-endian. */
  CF32_LE("cf32_le", IqFormat.CF32),
  /** Interleaved int16 I/Q, little-endian, scaled by 1/32768. */
  CI16_LE("ci16_le", IqFormat.CS16),
  /** Interleaved int8 I/Q, scaled by 1/128. */
  CI8("ci8", IqFormat.CS8),
  /** Interleaved unsigned 8-bit I/Q (RTL-SDR), {@code (v − 127.5)/128}. */
  CU8("cu8", IqFormat.CU8);

  private final String sigmfName;
  private final IqFormat format;

  SigMfDatatype(String sigmfName, IqFormat format) {
    this.sigmfName = sigmfName;
    this.format = format;
  }

  /**
   * The name in {@code core:datatype}.
   *
   * @return e.g. {@code "ci16_le"}
   */
  public String sigmfName() {
    return sigmfName;
  }

  /**
   * Size of one complex sample in the data file.
   *
   * @return bytes per I/Q pair
   */
  public int bytesPerSample() {
    return format.bytesPerSample();
  }

  /** The raw IQ format with the same layout and scaling. */
  IqFormat format() {
    return format;
  }

  /**
   * The datatype named {@code name} in {@code core:datatype}.
   *
   * @param name the value of {@code core:datatype}
   * @return the datatype, or {@code null} if Heimdall does not read it
   */
  static SigMfDatatype byName(String name) {
    for (SigMfDatatype type : values()) {
      if (type.sigmfName.equals(name)) {
        return type;
      }
    }
    return null;
  }

  /** The supported names, for messages. */
  static String supported() {
    return "cf32_le, ci16_le, ci8 or cu8";
  }
}
