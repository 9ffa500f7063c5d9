package io.heimdall.dsp;

/** A signal holds NaN or an infinity; {@link #index()} tells where. */
public final class NonFiniteSampleException extends DspException {

  private final long index;

  /** Creates the exception for the first non-finite value found at {@code index}. */
  public NonFiniteSampleException(String what, long index, float value) {
    super(what + " holds " + value + " at index " + index + " (expected finite samples)");
    this.index = index;
  }

  /** Index of the first non-finite value (in floats; for complex signals, of the sample). */
  public long index() {
    return index;
  }
}
