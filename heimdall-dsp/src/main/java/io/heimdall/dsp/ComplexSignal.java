package io.heimdall.dsp;

import io.heimdall.npy.NpyArray;
import io.heimdall.npy.NpyDType;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A complex64 signal: a view of {@code length} complex samples stored interleaved (re, im) in a
 * {@code float[]}, starting at complex sample {@code offset}. {@link #wrapInterleaved} and {@link
 * #slice} share the array; the conversions from integer IQ formats copy.
 */
public final class ComplexSignal {

  /**
   * Full scale of signed 16-bit IQ: {@code v / 32768}, as SigMF readers (and GNU Radio) scale, so
   * that -32768 maps to exactly -1 and every code to an exact float.
   */
  static final float INT16_SCALE = 32768f;

  /** Full scale of signed 8-bit IQ: {@code v / 128}, the same convention as 16-bit. */
  static final float INT8_SCALE = 128f;

  /** Centre of RTL-SDR unsigned 8-bit IQ: {@code (v - 127.5) / 128}. */
  static final float UINT8_CENTRE = 127.5f;

  private static final int RESYNC_INTERVAL = 1024;

  private final float[] data;
  private final int offset;
  private final int length;

  private ComplexSignal(float[] data, int offset, int length) {
    this.data = data;
    this.offset = offset;
    this.length = length;
  }

  /**
   * A view of interleaved samples {@code (re0, im0, re1, im1, ...)} (not copied).
   *
   * @param interleaved the samples; an even number of floats
   * @return the view
   * @throws DspException for an odd number of floats
   */
  public static ComplexSignal wrapInterleaved(float[] interleaved) {
    if (interleaved.length % 2 != 0) {
      throw new DspException(
          "interleaved IQ needs an even number of floats, got " + interleaved.length);
    }
    return new ComplexSignal(interleaved, 0, interleaved.length / 2);
  }

  /**
   * A view of {@code length} complex samples from complex index {@code offset} (not copied).
   *
   * @param interleaved the samples, re and im alternating
   * @param offset first complex sample
   * @param length number of complex samples
   * @return the view
   * @throws DspException if the range lies outside the array
   */
  public static ComplexSignal wrapInterleaved(float[] interleaved, int offset, int length) {
    Checks.range("complex view", interleaved.length / 2, offset, length);
    return new ComplexSignal(interleaved, offset, length);
  }

  /**
   * Builds a signal from separate real and imaginary parts (copied).
   *
   * @param re real parts
   * @param im imaginary parts, as many
   * @return a new signal
   * @throws DspException if the lengths differ
   */
  public static ComplexSignal of(float[] re, float[] im) {
    if (re.length != im.length) {
      throw new DspException(
          "real and imaginary parts differ in length: " + re.length + " vs " + im.length);
    }
    float[] out = new float[2 * re.length];
    for (int i = 0; i < re.length; i++) {
      out[2 * i] = re[i];
      out[2 * i + 1] = im[i];
    }
    return new ComplexSignal(out, 0, re.length);
  }

  /**
   * Converts interleaved float64 IQ (complex128) to complex64, rounding to nearest.
   *
   * @param interleaved re and im alternating
   * @return a new signal
   * @throws DspException for an odd number of values
   */
  public static ComplexSignal fromDoubles(double[] interleaved) {
    if (interleaved.length % 2 != 0) {
      throw new DspException(
          "interleaved IQ needs an even number of values, got " + interleaved.length);
    }
    float[] out = new float[interleaved.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) interleaved[i];
    }
    return new ComplexSignal(out, 0, out.length / 2);
  }

  /**
   * Converts interleaved signed 16-bit IQ ({@code .cs16}, SigMF {@code ci16_le}), scaled by {@code
   * 1/32768}.
   *
   * @param interleaved I and Q codes, alternating
   * @return a new signal
   * @throws DspException for an odd number of values
   */
  public static ComplexSignal fromInt16(short[] interleaved) {
    requireEven(interleaved.length);
    float[] out = new float[interleaved.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = interleaved[i] / INT16_SCALE;
    }
    return new ComplexSignal(out, 0, out.length / 2);
  }

  /**
   * Converts interleaved signed 8-bit IQ ({@code .cs8}, SigMF {@code ci8}), scaled by {@code 1/128}.
   *
   * @param interleaved I and Q codes, alternating
   * @return a new signal
   * @throws DspException for an odd number of values
   */
  public static ComplexSignal fromInt8(byte[] interleaved) {
    requireEven(interleaved.length);
    float[] out = new float[interleaved.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = interleaved[i] / INT8_SCALE;
    }
    return new ComplexSignal(out, 0, out.length / 2);
  }

  /**
   * Converts interleaved unsigned 8-bit IQ (RTL-SDR {@code .cu8}, SigMF {@code cu8}) as {@code
   * (v - 127.5) / 128}.
   *
   * @param interleaved I and Q codes (unsigned bytes), alternating
   * @return a new signal
   * @throws DspException for an odd number of values
   */
  public static ComplexSignal fromUint8(byte[] interleaved) {
    requireEven(interleaved.length);
    float[] out = new float[interleaved.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((interleaved[i] & 0xFF) - UINT8_CENTRE) / INT8_SCALE;
    }
    return new ComplexSignal(out, 0, out.length / 2);
  }

  /**
   * Copies the remaining floats of {@code interleaved} (its position is not changed).
   *
   * @param interleaved re and im alternating
   * @return a new signal
   * @throws DspException for an odd number of floats
   */
  public static ComplexSignal copyOf(FloatBuffer interleaved) {
    requireEven(interleaved.remaining());
    float[] out = new float[interleaved.remaining()];
    interleaved.duplicate().get(out);
    return new ComplexSignal(out, 0, out.length / 2);
  }

  /**
   * Converts an {@code .npy} array: complex64 of shape {@code [n]}, or float32 of shape {@code [n,
   * 2]} holding (re, im) rows.
   *
   * @param array the array
   * @return a new signal
   * @throws DspException for any other dtype or shape
   */
  public static ComplexSignal fromNpy(NpyArray array) {
    long[] shape = array.shape();
    boolean complexVector = array.dtype() == NpyDType.COMPLEX64 && shape.length == 1;
    boolean floatPairs = array.dtype() == NpyDType.FLOAT32 && shape.length == 2 && shape[1] == 2;
    if (!complexVector && !floatPairs) {
      throw new DspException(
          "IQ array must be complex64 [n] or float32 [n, 2], got "
              + array.dtype().descr()
              + " "
              + Arrays.toString(shape));
    }
    return copyOf(array.data());
  }

  private static void requireEven(int values) {
    if (values % 2 != 0) {
      throw new DspException("interleaved IQ needs an even number of values, got " + values);
    }
  }

  /**
   * Number of complex samples.
   *
   * @return the length
   */
  public int length() {
    return length;
  }

  /**
   * Real part of sample {@code i}.
   *
   * @param i the sample, {@code 0 <= i < length()}
   * @return its real part
   */
  public float re(int i) {
    return data[2 * (offset + checkIndex(i))];
  }

  /**
   * Imaginary part of sample {@code i}.
   *
   * @param i the sample, {@code 0 <= i < length()}
   * @return its imaginary part
   */
  public float im(int i) {
    return data[2 * (offset + checkIndex(i)) + 1];
  }

  private int checkIndex(int i) {
    if (i < 0 || i >= length) {
      throw new IndexOutOfBoundsException("sample " + i + " of a signal of length " + length);
    }
    return i;
  }

  /**
   * Samples {@code [from, to)} as a view of the same array.
   *
   * @param from first sample
   * @param to end, exclusive
   * @return the view
   * @throws DspException for a range outside the signal
   */
  public ComplexSignal slice(int from, int to) {
    if (from < 0 || to < from || to > length) {
      throw new DspException("slice [" + from + ", " + to + ") of a signal of length " + length);
    }
    return new ComplexSignal(data, offset + from, to - from);
  }

  /**
   * A copy of the samples, interleaved.
   *
   * @return re and im alternating
   */
  public float[] toInterleavedArray() {
    return Arrays.copyOfRange(data, 2 * offset, 2 * (offset + length));
  }

  /**
   * The real parts.
   *
   * @return a copy
   */
  public float[] real() {
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = data[2 * (offset + i)];
    }
    return out;
  }

  /**
   * The imaginary parts.
   *
   * @return a copy
   */
  public float[] imaginary() {
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = data[2 * (offset + i) + 1];
    }
    return out;
  }

  /**
   * A copy moved up in frequency by {@code shiftHz}: {@code y[n] = x[n]·e^{j2π·shift·n/fs}}. A
   * signal at +f Hz is brought to baseband with {@code shifted(-f, fs)}.
   *
   * @param shiftHz the shift in Hz
   * @param sampleRate the sample rate in Hz
   * @return a new signal
   * @throws DspException for a non-finite shift or a non-positive sample rate
   */
  public ComplexSignal shifted(double shiftHz, double sampleRate) {
    Checks.positive("sample rate", sampleRate);
    if (!Double.isFinite(shiftHz)) {
      throw new DspException("frequency shift must be finite, got " + shiftHz);
    }
    double cyclesPerSample = shiftHz / sampleRate;
    double stepRe = Math.cos(2 * Math.PI * cyclesPerSample);
    double stepIm = Math.sin(2 * Math.PI * cyclesPerSample);
    float[] out = new float[2 * length];
    double rotRe = 1;
    double rotIm = 0;
    for (int i = 0; i < length; i++) {
      if (i % RESYNC_INTERVAL == 0) {
        // exact phase from time to time so rounding in the recurrence cannot accumulate
        double cycles = cyclesPerSample * i;
        double phase = 2 * Math.PI * (cycles - Math.floor(cycles));
        rotRe = Math.cos(phase);
        rotIm = Math.sin(phase);
      }
      double re = data[2 * (offset + i)];
      double im = data[2 * (offset + i) + 1];
      out[2 * i] = (float) (re * rotRe - im * rotIm);
      out[2 * i + 1] = (float) (re * rotIm + im * rotRe);
      double nextRe = rotRe * stepRe - rotIm * stepIm;
      rotIm = rotRe * stepIm + rotIm * stepRe;
      rotRe = nextRe;
    }
    return new ComplexSignal(out, 0, length);
  }

  /**
   * Returns this signal if every component is finite.
   *
   * @return this signal
   * @throws NonFiniteSampleException naming the first sample with NaN or an infinity
   */
  public ComplexSignal requireFinite() {
    for (int i = 0; i < length; i++) {
      float re = data[2 * (offset + i)];
      float im = data[2 * (offset + i) + 1];
      if (!Float.isFinite(re) || !Float.isFinite(im)) {
        throw new NonFiniteSampleException("IQ signal", i, Float.isFinite(re) ? im : re);
      }
    }
    return this;
  }

  float[] array() {
    return data;
  }

  /** Offset of the first sample in complex samples (the float index is twice this). */
  int offset() {
    return offset;
  }

  @Override
  public String toString() {
    return "ComplexSignal[length=" + length + "]";
  }
}
