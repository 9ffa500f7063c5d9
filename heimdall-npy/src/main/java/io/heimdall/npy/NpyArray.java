package io.heimdall.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional float32 or complex64 array: a shape plus a view of its data in C (row-major)
 * order. Complex elements are interleaved (real, imaginary). The array never changes its own view;
 * {@link #data()} hands out read-only duplicates.
 */
public final class NpyArray {

  private final NpyDType dtype;
  private final long[] shape;
  private final long elementCount;
  private final FloatBuffer data;

  private NpyArray(NpyDType dtype, long[] shape, long elementCount, FloatBuffer data) {
    this.dtype = dtype;
    this.shape = shape;
    this.elementCount = elementCount;
    this.data = data;
  }

  /**
   * Wraps {@code data} (from its position to its limit, not copied) as an array of this type and
   * shape.
   *
   * @throws IllegalArgumentException if the shape is empty or has a negative dimension, or the
   *     remaining floats are not {@code elementCount * dtype.floatsPerElement()}
   */
  public static NpyArray of(NpyDType dtype, long[] shape, FloatBuffer data) {
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(data, "data");
    long[] copy = shape.clone();
    long count = elementCount(copy);
    long expected = count * dtype.floatsPerElement();
    if (data.remaining() != expected) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(copy)
              + " of "
              + dtype.descr()
              + " needs "
              + expected
              + " floats, but the buffer has "
              + data.remaining());
    }
    return new NpyArray(dtype, copy, count, data.slice());
  }

  /** A float32 array holding a copy of {@code data} in a direct native-order buffer. */
  public static NpyArray ofFloats(float[] data, long... shape) {
    return of(NpyDType.FLOAT32, shape, copyToDirect(data));
  }

  /** A complex64 array holding a copy of {@code interleaved} (re, im, re, im, ...). */
  public static NpyArray ofComplex(float[] interleaved, long... shape) {
    return of(NpyDType.COMPLEX64, shape, copyToDirect(interleaved));
  }

  /**
   * The number of elements of {@code shape}, validated.
   *
   * @throws IllegalArgumentException on rank 0, a negative dimension, or overflow
   */
  public static long elementCount(long[] shape) {
    if (shape.length == 0) {
      throw new IllegalArgumentException("shape must have rank >= 1, got []");
    }
    long count = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      count = Math.multiplyExact(count, dim);
    }
    return count;
  }

  private static FloatBuffer copyToDirect(float[] values) {
    FloatBuffer buffer =
        ByteBuffer.allocateDirect(values.length * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    buffer.put(values).flip();
    return buffer;
  }

  /** The element type. */
  public NpyDType dtype() {
    return dtype;
  }

  /** A copy of the shape. */
  public long[] shape() {
    return shape.clone();
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** The size of dimension {@code axis}. */
  public long dim(int axis) {
    return shape[axis];
  }

  /** The number of elements (complex elements count once). */
  public long elementCount() {
    return elementCount;
  }

  /** A read-only view of the data, positioned at 0, limit at the end of the array. */
  public FloatBuffer data() {
    return data.asReadOnlyBuffer();
  }

  /** A copy of the data as a Java array (interleaved for complex). */
  public float[] toFloatArray() {
    float[] out = new float[data.capacity()];
    data.duplicate().get(out);
    return out;
  }

  @Override
  public String toString() {
    return "NpyArray[" + dtype.descr() + " " + Arrays.toString(shape) + "]";
  }
}
