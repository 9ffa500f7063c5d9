package io.heimdall.dsp;

import java.util.Arrays;

/**
 * A float array that one thread reuses from call to call, grown when a call needs more: the hot
 * paths allocate nothing once warm. Not thread-safe; hold one per thread.
 */
final class FloatScratch {

  private float[] values = new float[0];

  /**
   * The array, at least {@code size} floats long; its contents are whatever the last user left.
   */
  float[] atLeast(int size) {
    if (values.length < size) {
      values = new float[size];
    }
    return values;
  }

  /**
   * The first {@code size} floats hold {@code front} zeros, then {@code x[offset, offset + length)}
   * (cut where it would run past {@code size}), then zeros.
   */
  float[] zeroPadded(float[] x, int offset, int length, int front, int size) {
    float[] padded = atLeast(size);
    int copied = Math.min(length, size - front);
    Arrays.fill(padded, 0, front, 0f);
    System.arraycopy(x, offset, padded, front, copied);
    Arrays.fill(padded, front + copied, size, 0f);
    return padded;
  }
}
