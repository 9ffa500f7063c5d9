package io.heimdall.cache;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of an {@link Entry} in Redis: a magic byte, a format version, a presence flag, the
 * expiry and compute time (so every JVM applies the same XFetch schedule), then the codec's bytes.
 */
final class Envelope {

  private static final byte MAGIC = (byte) 0xC4;
  private static final byte FORMAT = 1;
  private static final byte ABSENT = 0;
  private static final byte PRESENT = 1;
  private static final int HEADER_BYTES = 3 + 2 * Long.BYTES;

  private Envelope() {}

  static <V> byte[] encode(Entry<V> entry, ValueCodec<V> codec) {
    byte[] payload = entry.value() == null ? new byte[0] : codec.encode(entry.value());
    return ByteBuffer.allocate(HEADER_BYTES + payload.length)
        .put(MAGIC)
        .put(FORMAT)
        .put(entry.value() == null ? ABSENT : PRESENT)
        .putLong(entry.expiresAtNanos())
        .putLong(entry.computeNanos())
        .put(payload)
        .array();
  }

  /**
   * Decodes stored bytes; throws {@link io.heimdall.InvalidInputException} (or the codec's
   * exception) if corrupt.
   */
  static <V> Entry<V> decode(String redisKey, byte[] bytes, ValueCodec<V> codec) {
    Checks.argument(
        bytes.length >= HEADER_BYTES && bytes[0] == MAGIC && bytes[1] == FORMAT,
        "value of "
            + bytes.length
            + " bytes at '"
            + redisKey
            + "' is not a heimdall cache entry (format "
            + FORMAT
            + ")");
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    byte presence = buffer.get(2);
    long expiresAt = buffer.getLong(3);
    long computeNanos = buffer.getLong(3 + Long.BYTES);
    byte[] payload = Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length);
    if (presence == ABSENT && payload.length == 0) {
      return new Entry<>(redisKey, null, expiresAt, computeNanos);
    }
    Checks.argument(
        presence == PRESENT && computeNanos >= 0,
        "value at '"
            + redisKey
            + "' has a corrupt header: expected presence 0 or 1, got "
            + presence);
    V value = codec.decode(payload);
    Checks.argument(
        value != null, "codec decoded the value at '" + redisKey + "' as null, expected a value");
    return new Entry<>(redisKey, value, expiresAt, computeNanos);
  }
}
