package io.heimdall.cache;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns cached values into the bytes stored in Redis and back.
 *
 * <p>{@link #decode} must throw (any {@link RuntimeException}) on bytes it cannot read; the cache
 * then treats the entry as a miss and evicts it. Codecs must be thread-safe.
 *
 * @param <V> the value type
 */
public interface ValueCodec<V> {

  /**
   * Encodes a value.
   *
   * @param value a non-null value
   * @return its bytes
   */
  byte[] encode(V value);

  /**
   * Decodes bytes written by {@link #encode}.
   *
   * @param bytes the stored bytes
   * @return the value, never {@code null}
   * @throws RuntimeException if the bytes are not a valid encoding (the built-in codecs throw
   *     {@link io.heimdall.InvalidInputException})
   */
  V decode(byte[] bytes);

  /**
   * Returns the codec for strings (strict UTF-8: malformed input is rejected).
   *
   * @return the UTF-8 codec
   */
  static ValueCodec<String> utf8() {
    return Utf8Codec.INSTANCE;
  }

  /**
   * Returns the codec for {@code float[]}: 4 bytes per element, little-endian IEEE 754.
   *
   * @return the float array codec
   */
  static ValueCodec<float[]> floatArray() {
    return FloatArrayCodec.INSTANCE;
  }

  /**
   * Returns a JSON codec (Jackson) for records and other JSON-mappable types.
   *
   * @param type the value class
   * @param <V> the value type
   * @return a JSON codec using a default {@link ObjectMapper}
   */
  static <V> ValueCodec<V> json(Class<V> type) {
    return json(type, new ObjectMapper());
  }

  /**
   * Returns a JSON codec with a caller-configured mapper.
   *
   * @param type the value class
   * @param mapper the mapper; it must not be reconfigured afterwards
   * @param <V> the value type
   * @return a JSON codec
   */
  static <V> ValueCodec<V> json(Class<V> type, ObjectMapper mapper) {
    return new JsonCodec<>(Checks.notNull(type, "type"), Checks.notNull(mapper, "mapper"));
  }

  /**
   * Returns the natural codec of a type: {@link #utf8()} for {@code String}, {@link #floatArray()}
   * for {@code float[]}, otherwise {@link #json(Class)}.
   *
   * @param type the value class
   * @param <V> the value type
   * @return a codec for {@code type}
   */
  @SuppressWarnings("unchecked")
  static <V> ValueCodec<V> forType(Class<V> type) {
    Checks.notNull(type, "type");
    if (type == String.class) {
      return (ValueCodec<V>) utf8();
    }
    if (type == float[].class) {
      return (ValueCodec<V>) floatArray();
    }
    return json(type);
  }
}
