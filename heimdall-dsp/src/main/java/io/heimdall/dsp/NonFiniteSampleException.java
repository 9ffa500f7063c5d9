package io.heimdall.dsp;

/** A signal holds NaN or an infinity; {@link #index()} tells where. */
public final class NonFiniteSampleException extends DspException {
  private static final long serialVersionUID = 1L;

  /** Index of the first non-finite value. */
  private final long index;

  /**
   * Creates the exception for the first non-finite value found at {@code index}.
   *
   * @param what names the signal, e.g. {@code "IQ signal"}
   * @param index index of the first non-finite value
   * @param value the value found there
   */
  public NonFiniteSampleException(String what, long index, float value) {
    super(what + " holds " + value + " at index " + index + " (expected finite samples)");
    this.index = index;
  }

  /**
   * Index of the first non-finite value.
   *
   * @return the index in floats; for complex signals, of the complex sample
   */
  public long index() {
    return index;
  }
}
