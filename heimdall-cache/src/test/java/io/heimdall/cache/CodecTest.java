package io.heimdall.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heimdall.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecTest {

  record Location(double latitude, double longitude, List<String> stations) {}

  @Test
  void jsonRoundTripsRecords() {
    ValueCodec<Location> codec = ValueCodec.forType(Location.class);
    Location where = new Location(45.044, 7.672, List.of("Torino", "Coazze"));
    assertThat(codec.decode(codec.encode(where))).isEqualTo(where);
    assertThat(new String(codec.encode(where), StandardCharsets.UTF_8))
        .contains("\"latitude\":45.044");
    assertThatThrownBy(() -> codec.decode("{\"latitude\":".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Location");
    assertThatThrownBy(() -> codec.decode("null".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("null");
  }

  @Test
  void floatArraysRoundTripBitExactly() {
    ValueCodec<float[]> codec = ValueCodec.forType(float[].class);
    float[] values = {0f, -0f, 1.5f, Float.NaN, Float.MIN_VALUE, Float.NEGATIVE_INFINITY};
    byte[] bytes = codec.encode(values);
    assertThat(bytes).hasSize(values.length * 4);
    assertThat(bytes[8]).isEqualTo((byte) 0); // 1.5f = 0x3FC00000, little-endian: low byte first
    assertThat(bytes[11]).isEqualTo((byte) 0x3F);
    float[] decoded = codec.decode(bytes);
    for (int i = 0; i < values.length; i++) {
      assertThat(Float.floatToRawIntBits(decoded[i])).isEqualTo(Float.floatToRawIntBits(values[i]));
    }
    assertThatThrownBy(() -> codec.decode(new byte[5]))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("5 bytes")
        .hasMessageContaining("multiple of 4");
  }

  @Test
  void utf8RejectsMalformedBytes() {
    ValueCodec<String> codec = ValueCodec.forType(String.class);
    assertThat(codec.decode(codec.encode("Passo del Giovi ✓"))).isEqualTo("Passo del Giovi ✓");
    assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xC3, (byte) 0x28}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not valid UTF-8");
  }

  @Test
  void envelopeCarriesExpiryAndComputeTimeAndRejectsGarbage() {
    ValueCodec<String> codec = ValueCodec.utf8();
    Entry<String> entry = new Entry<>("k", "value", 123_456_789L, 42L);
    assertThat(Envelope.decode("k", Envelope.encode(entry, codec), codec)).isEqualTo(entry);
    Entry<String> absent = new Entry<>("k", null, 5L, 0L);
    assertThat(Envelope.decode("k", Envelope.encode(absent, codec), codec)).isEqualTo(absent);
    assertThatThrownBy(
            () -> Envelope.decode("k", "garbage".getBytes(StandardCharsets.UTF_8), codec))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not a heimdall cache entry");
    byte[] truncatedFlag = Envelope.encode(entry, codec);
    truncatedFlag[2] = 7;
    assertThatThrownBy(() -> Envelope.decode("k", truncatedFlag, codec))
        .hasMessageContaining("corrupt header");
  }
}
