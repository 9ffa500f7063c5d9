package io.heimdall.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one JSON writer, checked against Jackson's parser as the reference reader. */
class JsonWriterTest {

  static final ObjectMapper JACKSON = new ObjectMapper();

  @Test
  void stringsSurviveAParserWithEveryCharacterThatNeedsEscaping() throws Exception {
    String nasty = "quote \" backslash \\ newline \n tab \t cr \r nul \0 bell \u0007 é ✓ 𝄞";
    String json = JsonWriter.object().field(nasty, nasty).toString();
    assertThat(json).doesNotContain("\n");
    JsonNode node = JACKSON.readTree(json);
    assertThat(node.get(nasty).textValue()).isEqualTo(nasty);
  }

  @Test
  void numbersAreIntegralWhenTheyCanBeAndNonFiniteIsNull() throws Exception {
    String json =
        JsonWriter.object()
            .field("int", 48_000)
            .field("long", Long.MAX_VALUE)
            .field("integral_double", 48_000.0)
            .field("negative_zero", -0.0)
            .field("fraction", -6.02)
            .field("tiny", 1e-5)
            .field("huge", 3e300)
            .field("nan", Double.NaN)
            .field("inf", Double.NEGATIVE_INFINITY)
            .toString();
    assertThat(json)
        .startsWith("{\"int\":48000,\"long\":9223372036854775807,\"integral_double\":48000,")
        .contains("\"fraction\":-6.02")
        .contains("\"nan\":null,\"inf\":null}");
    JsonNode node = JACKSON.readTree(json);
    assertThat(node.get("long").longValue()).isEqualTo(Long.MAX_VALUE);
    assertThat(node.get("tiny").doubleValue()).isEqualTo(1e-5);
    assertThat(node.get("huge").doubleValue()).isEqualTo(3e300);
    assertThat(node.get("negative_zero").doubleValue()).isZero();
  }

  @Test
  void nestedObjectsArraysBooleansAndNullsKeepTheirOrder() throws Exception {
    String json =
        JsonWriter.object()
            .field("signals", 5)
            .field("cache", JsonWriter.object().field("hits", 5).field("misses", 0))
            .field("empty", JsonWriter.object())
            .field("ids", List.of("a1", "b\"2"))
            .field("mixed", Arrays.asList(1, 2.5, true, null, JsonWriter.object().field("x", 1)))
            .field("ok", false)
            .field("device", (String) null)
            .toString();
    assertThat(json)
        .isEqualTo(
            "{\"signals\":5,\"cache\":{\"hits\":5,\"misses\":0},\"empty\":{},"
                + "\"ids\":[\"a1\",\"b\\\"2\"],\"mixed\":[1,2.5,true,null,{\"x\":1}],"
                + "\"ok\":false,\"device\":null}");
    JsonNode node = JACKSON.readTree(json);
    assertThat(node.get("cache").get("hits").intValue()).isEqualTo(5);
    assertThat(node.get("ids").get(1).textValue()).isEqualTo("b\"2");
    assertThat(node.get("device").isNull()).isTrue();
  }
}
