package io.heimdall.dsp;

/**
 * The argument checks of heimdall-dsp, shared by its packages ({@code io.heimdall.dsp} and {@code
 * io.heimdall.dsp.sigmf}) so that every message has the same shape: the argument's name, the
 * value received and what was expected. Each check throws {@link DspException} (bad input). Public
 * only because Java has no module-private visibility without JPMS; not meant for callers.
 */
public final class Checks {

  private Checks() {}

  /**
   * Requires {@code value > 0}.
   *
   * @param name the argument's name, as the message shows it
   * @param value the value received
   * @return {@code value}
   * @throws DspException if {@code value <= 0}
   */
  public static int positive(String name, int value) {
    if (value <= 0) {
      throw new DspException(name + " must be > 0, got " + value);
    }
    return value;
  }

  /**
   * Requires a finite {@code value > 0}.
   *
   * @param name the argument's name, as the message shows it
   * @param value the value received
   * @return {@code value}
   * @throws DspException if {@code value} is not finite or not positive
   */
  public static double positive(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new DspException(name + " must be a finite number > 0, got " + value);
    }
    return value;
  }

  /**
   * Requires a finite value (not NaN, not an infinity).
   *
   * @param name the argument's name, as the message shows it
   * @param value the value received
   * @return {@code value}
   * @throws DspException if {@code value} is NaN or infinite
   */
  public static double finite(String name, double value) {
    if (!Double.isFinite(value)) {
      throw new DspException(name + " must be a finite number, got " + value);
    }
    return value;
  }

  /**
   * Requires {@code min <= value <= max}.
   *
   * @param name the argument's name, as the message shows it
   * @param value the value received
   * @param min the least value allowed
   * @param max the greatest value allowed
   * @return {@code value}
   * @throws DspException if {@code value} is NaN or outside {@code [min, max]}
   */
  public static double between(String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new DspException(name + " must be in [" + min + ", " + max + "], got " + value);
    }
    return value;
  }

  /**
   * Requires a non-empty signal.
   *
   * @param what names the signal
   * @param length its number of samples
   * @throws DspException if {@code length == 0}
   */
  public static void nonEmpty(String what, int length) {
    if (length == 0) {
      throw new DspException(what + " is empty (expected at least one sample)");
    }
  }

  /**
   * Throws for the first NaN or infinity in {@code data[offset, offset+length)}.
   *
   * @param what names the signal
   * @param data the samples
   * @param offset index of the first sample to check
   * @param length number of samples to check
   * @throws NonFiniteSampleException naming the first non-finite sample (relative to {@code
   *     offset})
   */
  public static void finite(String what, float[] data, int offset, int length) {
    for (int i = 0; i < length; i++) {
      float v = data[offset + i];
      if (!Float.isFinite(v)) {
        throw new NonFiniteSampleException(what, i, v);
      }
    }
  }

  /**
   * Requires {@code [offset, offset+length)} inside an array of {@code arrayLength}.
   *
   * @param what names the array or view
   * @param arrayLength length of the array
   * @param offset first index of the range
   * @param length number of elements in the range
   * @throws DspException if the range is negative or reaches outside the array
   */
  public static void range(String what, int arrayLength, int offset, int length) {
    if (offset < 0 || length < 0 || offset > arrayLength - length) {
      throw new DspException(
          what
              + ": range ["
              + offset
              + ", "
              + ((long) offset + length)
              + ") outside an array of "
              + arrayLength);
    }
  }
}
