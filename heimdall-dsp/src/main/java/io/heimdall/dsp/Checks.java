package io.heimdall.dsp;

/** Argument checks shared by the builders and operations of this package. */
final class Checks {

  private Checks() {}

  static int positive(String name, int value) {
    if (value <= 0) {
      throw new DspException(name + " must be > 0, got " + value);
    }
    return value;
  }

  static double positive(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new DspException(name + " must be a finite number > 0, got " + value);
    }
    return value;
  }

  static void nonEmpty(String what, int length) {
    if (length == 0) {
      throw new DspException(what + " is empty (expected at least one sample)");
    }
  }

  /** Throws for the first NaN or infinity in {@code data[offset, offset+length)}. */
  static void finite(String what, float[] data, int offset, int length) {
    for (int i = 0; i < length; i++) {
      float v = data[offset + i];
      if (!Float.isFinite(v)) {
        throw new NonFiniteSampleException(what, i, v);
      }
    }
  }

  static void range(String what, int arrayLength, int offset, int length) {
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
