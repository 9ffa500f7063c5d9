package io.heimdall.inference;

import io.heimdall.npy.NpyArray;
import io.heimdall.npy.NpyDType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A float32 tensor: a shape and its values in C (row-major) order.
 *
 * <p>Tensors made with {@link #of(FloatBuffer, long...)} or {@link #of(float[], long...)} are
 * <em>views</em> of the caller's memory: nothing is copied, the engine only reads them, and the
 * caller must not change the values while a call that uses them runs. A direct buffer in native
 * byte order is handed to ONNX Runtime without any copy; a heap buffer is copied once by ONNX
 * Runtime. Tensors returned by the engine own their values (plain heap arrays that nothing else
 * references) and expose them read-only: they are immutable.
 */
public final class FloatTensor {
  private final FloatBuffer data;
  private final long[] shape;

  private FloatTensor(FloatBuffer data, long[] shape) {
    this.data = data;
    this.shape = shape;
  }

  /**
   * Wraps the remaining values of {@code data} (position to limit) as a tensor of the given shape,
   * without copying.
   *
   * @param data the values in C order; the caller keeps it and must not change it while in use
   * @param shape the dimensions, e.g. {@code [N,128,431]}
   * @return a view of {@code data}
   * @throws InputShapeException if the shape has a negative dimension or its element count differs
   *     from {@code data.remaining()}
   */
  public static FloatTensor of(FloatBuffer data, long... shape) {
    long[] dims = shape.clone();
    long count = elementCount(dims);
    if (count != data.remaining()) {
      throw new InputShapeException(
          "shape "
              + TensorSpec.shapeText(dims)
              + " holds "
              + count
              + " values but the buffer has "
              + data.remaining());
    }
    return new FloatTensor(data.slice(), dims);
  }

  /**
   * Wraps {@code data} as a tensor of the given shape, without copying.
   *
   * @param data the values in C order; the caller keeps it and must not change it while in use
   * @param shape the dimensions
   * @return a view of {@code data}
   * @throws InputShapeException if the shape has a negative dimension or its element count differs
   *     from {@code data.length}
   */
  public static FloatTensor of(float[] data, long... shape) {
    return of(FloatBuffer.wrap(data), shape);
  }

  /**
   * Allocates a zeroed direct tensor in native byte order: the layout ONNX Runtime reads without a
   * copy.
   *
   * @param shape the dimensions
   * @return a writable tensor of zeros
   * @throws InputShapeException if a dimension is negative or the tensor exceeds 2 GiB
   */
  public static FloatTensor allocateDirect(long... shape) {
    long[] dims = shape.clone();
    long count = elementCount(dims);
    if (count > Integer.MAX_VALUE / Float.BYTES) {
      throw new InputShapeException(
          "shape " + TensorSpec.shapeText(dims) + " is too large for one buffer");
    }
    FloatBuffer buffer =
        ByteBuffer.allocateDirect((int) count * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    return new FloatTensor(buffer, dims);
  }

  /**
   * Views a float32 {@code .npy} array as a tensor, without copying (arrays read by {@code
   * Npy.read} live in direct native-order buffers, which ONNX Runtime then reads in place).
   *
   * @param array a float32 array, e.g. from {@code Npy.read}
   * @return a view of the array's values
   * @throws InputTypeException if the array is not float32
   */
  public static FloatTensor of(NpyArray array) {
    if (array.dtype() != NpyDType.FLOAT32) {
      throw new InputTypeException(
          "array "
              + TensorSpec.shapeText(array.shape())
              + " has dtype "
              + array.dtype().descr()
              + "; expected float32 (<f4)");
    }
    return of(array.data(), array.shape());
  }

  /**
   * This tensor as a float32 {@code .npy} array sharing its values (for {@code Npy.write}).
   *
   * @return a view of this tensor's values
   */
  public NpyArray toNpy() {
    return NpyArray.of(NpyDType.FLOAT32, shape, buffer());
  }

  /** Takes ownership of {@code data}: used for results, whose arrays nothing else references. */
  static FloatTensor owning(float[] data, long[] shape) {
    return new FloatTensor(FloatBuffer.wrap(data).asReadOnlyBuffer(), shape);
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
   * Size of dimension {@code axis}.
   *
   * @param axis 0 to {@code rank() - 1}
   * @return the size
   * @throws ArrayIndexOutOfBoundsException if there is no such axis
   */
  public long dim(int axis) {
    return shape[axis];
  }

  /**
   * Number of dimensions.
   *
   * @return the rank
   */
  public int rank() {
    return shape.length;
  }

  /**
   * Number of values: the product of the dimensions.
   *
   * @return the element count
   */
  public long elementCount() {
    return data.limit();
  }

  /**
   * Whether the values live in a direct (off-heap) buffer.
   *
   * @return true for direct memory
   */
  public boolean isDirect() {
    return data.isDirect();
  }

  /**
   * A read-only view of the values, positioned at the first one. For a tensor made from a direct
   * buffer the view is direct as well.
   *
   * @return a new read-only view
   */
  public FloatBuffer buffer() {
    return data.asReadOnlyBuffer();
  }

  /**
   * A view for filling a tensor made with {@link #allocateDirect(long...)} or wrapping the caller's
   * own writable memory. Tensors returned by the engine (and views of read-only buffers) are
   * read-only: writing through this view then throws {@link java.nio.ReadOnlyBufferException}.
   *
   * @return a new view positioned at the first value
   */
  public FloatBuffer writableBuffer() {
    return data.duplicate();
  }

  /**
   * The value at flat (row-major) index {@code index}.
   *
   * @param index 0 to {@code elementCount() - 1}
   * @return the value
   * @throws IndexOutOfBoundsException if {@code index} is outside the tensor
   */
  public float get(int index) {
    return data.get(index);
  }

  /**
   * A copy of all values.
   *
   * @return a new array in C order
   */
  public float[] toArray() {
    float[] copy = new float[data.limit()];
    data.get(0, copy);
    return copy;
  }

  /**
   * A copy of the values of sample {@code index} along the first dimension.
   *
   * @param index 0 to {@code dim(0) - 1}
   * @return a new array of {@link #rowSize()} values
   * @throws IndexOutOfBoundsException if {@code index} is outside the first dimension
   */
  public float[] row(int index) {
    int size = rowSize();
    if (index < 0 || index >= shape[0]) {
      throw new IndexOutOfBoundsException(
          "row " + index + " of a tensor with " + shape[0] + " rows");
    }
    float[] row = new float[size];
    data.get(index * size, row);
    return row;
  }

  /**
   * Number of values in one sample along the first dimension.
   *
   * @return the values per row, 0 for an empty tensor
   */
  public int rowSize() {
    return shape.length == 0 || shape[0] == 0 ? 0 : (int) (data.limit() / shape[0]);
  }

  /** The values of samples {@code [from, to)} as a view sharing this tensor's memory. */
  FloatTensor rows(int from, int to) {
    int size = rowSize();
    long[] dims = shape.clone();
    dims[0] = to - from;
    return new FloatTensor(data.slice(from * size, (to - from) * size), dims);
  }

  @Override
  public String toString() {
    return "FloatTensor" + TensorSpec.shapeText(shape) + (isDirect() ? " direct" : "");
  }

  /**
   * Equal when shape and every value are equal ({@link Float#compare} semantics).
   *
   * @param other any object
   * @return whether {@code other} is an equal tensor
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof FloatTensor that
        && Arrays.equals(shape, that.shape)
        && data.duplicate().rewind().equals(that.data.duplicate().rewind());
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + data.duplicate().rewind().hashCode();
  }

  static long elementCount(long[] dims) {
    long count = 1;
    for (long dim : dims) {
      if (dim < 0) {
        throw new InputShapeException(
            "shape " + TensorSpec.shapeText(dims) + " has a negative dimension");
      }
      count = Math.multiplyExact(count, dim);
    }
    return count;
  }
}
