package io.heimdall.npy;

import io.heimdall.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

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
   * @param dtype the element type
   * @param shape the dimensions, rank 1 or more (copied)
   * @param data the values in C order, complex ones interleaved; the caller must not change them
   *     while the array is in use
   * @return the array
   * @throws InvalidInputException if the shape is empty or has a negative dimension, or the
   *     remaining floats are not {@code elementCount * dtype.floatsPerElement()}
   * @throws NullPointerException if an argument is null
   */
  public static NpyArray of(NpyDType dtype, long[] shape, FloatBuffer data) {
    Checks.notNull(dtype, "dtype");
    Checks.notNull(data, "data");
    long[] copy = Checks.notNull(shape, "shape").clone();
    long count = elementCount(copy);
    long expected = count * dtype.floatsPerElement();
    Checks.argument(
        data.remaining() == expected,
        "data",
        data.remaining() + " floats",
        expected + " floats for shape " + Arrays.toString(copy) + " of " + dtype.descr());
    return new NpyArray(dtype, copy, count, data.slice());
  }

  /**
   * A float32 array holding a copy of {@code data} in a direct native-order buffer.
   *
   * @param data the values in C order
   * @param shape the dimensions, rank 1 or more
   * @return the array
   * @throws InvalidInputException if the shape does not hold exactly {@code data.length} values
   */
  public static NpyArray ofFloats(float[] data, long... shape) {
    return of(NpyDType.FLOAT32, shape, copyToDirect(data));
  }

  /**
   * A complex64 array holding a copy of {@code interleaved}.
   *
   * @param interleaved the values in C order as (re, im, re, im, ...)
   * @param shape the dimensions, rank 1 or more
   * @return the array
   * @throws InvalidInputException if the shape does not hold exactly {@code interleaved.length / 2}
   *     elements
   */
  public static NpyArray ofComplex(float[] interleaved, long... shape) {
    return of(NpyDType.COMPLEX64, shape, copyToDirect(interleaved));
  }

  /**
   * The number of elements of {@code shape}, validated.
   *
   * @param shape the dimensions
   * @return their product
   * @throws InvalidInputException on rank 0, a negative dimension, or more elements than a long
   *     holds
   */
  public static long elementCount(long[] shape) {
    Checks.argument(shape.length > 0, "shape", "[]", "of rank >= 1");
    long count = 1;
    for (long dim : shape) {
      Checks.argument(dim >= 0, "shape", Arrays.toString(shape), "free of negative dimensions");
      Checks.argument(
          dim == 0 || count <= Long.MAX_VALUE / dim,
          "shape",
          Arrays.toString(shape),
          "at most " + Long.MAX_VALUE + " elements");
      count *= dim;
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

  /**
   * The element type.
   *
   * @return float32 or complex64
   */
  public NpyDType dtype() {
    return dtype;
  }

  /**
   * A copy of the shape.
   *
   * @return the dimensions
   */
  public long[] shape() {
    return shape.clone();
  }

  /**
   * The number of dimensions.
   *
   * @return the rank, 1 or more
   */
  public int rank() {
    return shape.length;
  }

  /**
   * The size of dimension {@code axis}.
   *
   * @param axis 0 to {@code rank() - 1}
   * @return the size
   * @throws ArrayIndexOutOfBoundsException if there is no such axis
   */
  public long dim(int axis) {
    return shape[axis];
  }

  /**
   * The number of elements (complex elements count once).
   *
   * @return the product of the dimensions
   */
  public long elementCount() {
    return elementCount;
  }

  /**
   * A read-only view of the data, positioned at 0, limit at the end of the array.
   *
   * @return a new read-only view
   */
  public FloatBuffer data() {
    return data.asReadOnlyBuffer();
  }

  /**
   * A copy of the data as a Java array (interleaved for complex).
   *
   * @return a new array
   */
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
