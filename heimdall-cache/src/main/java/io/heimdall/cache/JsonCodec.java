package io.heimdall.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heimdall.InvalidInputException;
import java.io.IOException;

/** See {@link ValueCodec#json(Class, ObjectMapper)}. */
final class JsonCodec<V> implements ValueCodec<V> {

  private final Class<V> type;
  private final ObjectMapper mapper;

  JsonCodec(Class<V> type, ObjectMapper mapper) {
    this.type = type;
    this.mapper = mapper;
  }

  @Override
  public byte[] encode(V value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "cannot write " + type.getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public V decode(byte[] bytes) {
    try {
      V value = mapper.readValue(bytes, type);
      Checks.argument(value != null, "stored JSON is null, expected a " + type.getName());
      return value;
    } catch (IOException e) {
      throw new InvalidInputException(
          "stored JSON is not a valid "
              + type.getName()
              + ": "
              + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e),
          e);
    }
  }
}
