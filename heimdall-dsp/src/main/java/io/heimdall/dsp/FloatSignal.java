package io.heimdall.dsp;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A float32 real signal: a view of {@code length} samples of a {@code float[]} starting at {@code
 * offset}. {@link #wrap} and {@link #slice} share the array (no copy); the view itself never
 * changes, but whoever owns the array can.
 */
public final class FloatSignal {

  private final float[] data;
  private final int offset;
  private final int length;

  private FloatSignal(float[] data, int offset, int length) {
    this.data = data;
    this.offset = offset;
    this.length = length;
  }

  /**
   * A view of the whole array (not copied).
   *
   * @param samples the samples
   * @return the view
   */
  public static FloatSignal wrap(float[] samples) {
    return new FloatSignal(samples, 0, samples.length);
  }

  /**
   * A view of {@code samples[offset, offset+length)} (not copied).
   *
   * @param samples the samples
   * @param offset first sample
   * @param length number of samples
   * @return the view
   * @throws DspException if the range lies outside the array
   */
  public static FloatSignal wrap(float[] samples, int offset, int length) {
    Checks.range("signal view", samples.length, offset, length);
    return new FloatSignal(samples, offset, length);
  }

  /**
   * A float32 copy of float64 samples (rounded to nearest).
   *
   * @param samples the samples
   * @return a new signal
   */
  public static FloatSignal fromDoubles(double[] samples) {
    float[] out = new float[samples.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) samples[i];
    }
    return wrap(out);
  }

  /**
   * A copy of the remaining floats of {@code buffer} (its position is not changed).
   *
   * @param buffer the samples
   * @return a new signal
   */
  public static FloatSignal copyOf(FloatBuffer buffer) {
    float[] out = new float[buffer.remaining()];
    buffer.duplicate().get(out);
    return wrap(out);
  }

  /**
   * Number of samples.
   *
   * @return the length
   */
  public int length() {
    return length;
  }

  /**
   * Sample {@code i}.
   *
   * @param i the index, {@code 0 <= i < length()}
   * @return its value
   */
  public float get(int i) {
    if (i < 0 || i >= length) {
      throw new IndexOutOfBoundsException("sample " + i + " of a signal of length " + length);
    }
    return data[offset + i];
  }

  /**
   * The samples {@code [from, to)} as a view of the same array.
   *
   * @param from first sample
   * @param to end, exclusive
   * @return the view
   * @throws DspException for a range outside the signal
   */
  public FloatSignal slice(int from, int to) {
    if (from < 0 || to < from || to > length) {
      throw new DspException("slice [" + from + ", " + to + ") of a signal of length " + length);
    }
    return new FloatSignal(data, offset + from, to - from);
  }

  /**
   * A copy of the samples.
   *
   * @return a new array
   */
  public float[] toArray() {
    return Arrays.copyOfRange(data, offset, offset + length);
  }

  /**
   * Copies the samples into {@code target} from {@code targetOffset}.
   *
   * @param target the destination
   * @param targetOffset index of the first copy
   */
  public void copyTo(float[] target, int targetOffset) {
    System.arraycopy(data, offset, target, targetOffset, length);
  }

  /**
   * Returns this signal if every sample is finite.
   *
   * @return this signal
   * @throws NonFiniteSampleException naming the first NaN or infinity
   */
  public FloatSignal requireFinite() {
    Checks.finite("signal", data, offset, length);
    return this;
  }

  float[] array() {
    return data;
  }

  int offset() {
    return offset;
  }

  @Override
  public String toString() {
    return "FloatSignal[length=" + length + "]";
  }
}
