package io.heimdall.cache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** See {@link ValueCodec#floatArray()}. */
enum FloatArrayCodec implements ValueCodec<float[]> {
  INSTANCE;

  @Override
  public byte[] encode(float[] value) {
    ByteBuffer bytes =
        ByteBuffer.allocate(value.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(value);
    return bytes.array();
  }

  @Override
  public float[] decode(byte[] bytes) {
    Checks.argument(
        bytes.length % Float.BYTES == 0,
        "stored float[] of " + bytes.length + " bytes: expected a multiple of " + Float.BYTES);
    float[] values = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }
}
