package io.heimdall.npy;

import java.util.Arrays;
import java.util.Optional;

/** The element types of {@code .npy} files this library reads and writes (little-endian only). */
public enum NpyDType {
  /** IEEE 754 single precision, NumPy {@code '<f4'}. */
  FLOAT32("<f4", 1),
  /** Two single-precision floats (real, imaginary), NumPy {@code '<c8'}. */
  COMPLEX64("<c8", 2);

  private final String descr;
  private final int floatsPerElement;

  NpyDType(String descr, int floatsPerElement) {
    this.descr = descr;
    this.floatsPerElement = floatsPerElement;
  }

  /**
   * The NumPy type string written in the header.
   *
   * @return e.g. {@code <f4}
   */
  public String descr() {
    return descr;
  }

  /**
   * How many floats one element occupies in the data buffer.
   *
   * @return 1 for real, 2 for complex
   */
  public int floatsPerElement() {
    return floatsPerElement;
  }

  /**
   * Bytes per element in the file.
   *
   * @return 4 or 8
   */
  public int bytesPerElement() {
    return floatsPerElement * Float.BYTES;
  }

  /**
   * The type with this NumPy type string, if supported.
   *
   * @param descr a NumPy type string such as {@code <f4}
   * @return the type, or empty if this library does not support it
   */
  public static Optional<NpyDType> fromDescr(String descr) {
    return Arrays.stream(values()).filter(t -> t.descr.equals(descr)).findFirst();
  }
}
