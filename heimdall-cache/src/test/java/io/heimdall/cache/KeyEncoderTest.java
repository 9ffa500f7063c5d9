package io.heimdall.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyEncoderTest {

  enum Band {
    TWO_METRE,
    SEVENTY_CM
  }

  record Query(String station, double frequencyMhz, Band band) {}

  record Window(Query query, List<Integer> hours) {}

  private final KeyEncoder keys = new KeyEncoder("tasks", 3);

  @Test
  void separatorsInsideStringsDoNotCollide() {
    assertThat(keys.redisKey(new ArgumentTuple("a,b", "c")))
        .isNotEqualTo(keys.redisKey(new ArgumentTuple("a", "b,c")));
    assertThat(keys.redisKey(new ArgumentTuple("a:", "b")))
        .isNotEqualTo(keys.redisKey(new ArgumentTuple("a", ":b")));
    assertThat(keys.redisKey(new ArgumentTuple("1:a", "")))
        .isNotEqualTo(keys.redisKey(new ArgumentTuple("", "1:a")));
  }

  @Test
  void typesAreTagged() {
    List<Object> values =
        List.of(
            1,
            1L,
            (short) 1,
            (byte) 1,
            1.0,
            1.0f,
            "1",
            '1',
            true,
            "true",
            List.of(1),
            Set.of(1),
            new ArgumentTuple(1, 1),
            List.of(1, 1));
    Set<String> encoded = new java.util.HashSet<>();
    values.forEach(v -> encoded.add(keys.redisKey(v)));
    assertThat(encoded).hasSameSizeAs(values);
  }

  @Test
  void keysStartWithNamespaceAndVersionAndAreStable() {
    UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    assertThat(keys.redisKey(id))
        .isEqualTo("heimdall:tasks:v3:u123e4567-e89b-12d3-a456-426614174000");
    assertThat(keys.redisKey(new ArgumentTuple("ab", 42))).isEqualTo("heimdall:tasks:v3:s2:abi42;");
    assertThat(new KeyEncoder("tasks", 4).redisKey(id)).isNotEqualTo(keys.redisKey(id));
  }

  @Test
  void recordsEnumsAndTimesAreEncodedByValue() {
    Query q = new Query("Torino", 145.5, Band.TWO_METRE);
    assertThat(keys.redisKey(q))
        .isEqualTo(keys.redisKey(new Query("Torino", 145.5, Band.TWO_METRE)))
        .contains("Torino")
        .contains("TWO_METRE");
    assertThat(keys.redisKey(q))
        .isNotEqualTo(keys.redisKey(new Query("Torino", 145.5, Band.SEVENTY_CM)));
    assertThat(keys.redisKey(new Window(q, List.of(1, 2))))
        .isNotEqualTo(keys.redisKey(new Window(q, List.of(12))));
    assertThat(keys.redisKey(new Query(null, 1, Band.TWO_METRE))).contains("N");
    assertThat(keys.redisKey(Instant.ofEpochSecond(0)))
        .isNotEqualTo(keys.redisKey(LocalDate.of(1970, 1, 1)));
  }

  @Test
  void setsAreOrderInsensitive() {
    Set<String> ordered = new TreeSet<>(List.of("Genova", "Torino", "Milano Baggio"));
    Set<String> inserted = new LinkedHashSet<>(List.of("Torino", "Milano Baggio", "Genova"));
    assertThat(keys.redisKey(ordered)).isEqualTo(keys.redisKey(inserted));
    assertThat(keys.redisKey(ordered)).isNotEqualTo(keys.redisKey(List.copyOf(ordered)));
  }

  @Test
  void randomArgumentListsNeverCollide() {
    Random random = new Random(42);
    String alphabet = "ab,:;s1L#N\\ ";
    Map<String, List<Object>> seen = new HashMap<>();
    for (int n = 0; n < 20_000; n++) {
      List<Object> arguments = new ArrayList<>();
      int count = 1 + random.nextInt(3);
      for (int i = 0; i < count; i++) {
        arguments.add(
            random.nextBoolean() ? randomString(random, alphabet) : (Object) random.nextInt(12));
      }
      String key =
          keys.redisKey(
              arguments.size() == 1 ? arguments.get(0) : new ArgumentTuple(arguments.toArray()));
      List<Object> previous = seen.putIfAbsent(key, arguments);
      assertThat(previous == null || previous.equals(arguments))
          .as("%s and %s share key %s", previous, arguments, key)
          .isTrue();
    }
    assertThat(seen.size()).isGreaterThan(5_000);
  }

  private static String randomString(Random random, String alphabet) {
    char[] chars = new char[random.nextInt(4)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = alphabet.charAt(random.nextInt(alphabet.length()));
    }
    return new String(chars);
  }

  @Test
  void longKeysAreHashedToABoundedLength() {
    String longA = "x".repeat(500) + "a";
    String longB = "x".repeat(500) + "b";
    String keyA = keys.redisKey(longA);
    assertThat(keyA)
        .startsWith("heimdall:tasks:v3:#")
        .hasSizeLessThanOrEqualTo(KeyEncoder.MAX_KEY_LENGTH);
    assertThat(keyA)
        .isEqualTo(keys.redisKey("x".repeat(500) + "a"))
        .isNotEqualTo(keys.redisKey(longB));
    char[] nearLimit = new char[KeyEncoder.MAX_KEY_LENGTH - "heimdall:tasks:v3:s180:".length()];
    Arrays.fill(nearLimit, 'y');
    assertThat(keys.redisKey(new String(nearLimit)))
        .hasSize(KeyEncoder.MAX_KEY_LENGTH)
        .doesNotContain("#");
    assertThat(keys.redisKey(new String(nearLimit) + "y")).contains("#");
  }

  @Test
  void unsupportedTypesFailWithTheirNameAndPath() {
    assertThatThrownBy(() -> keys.redisKey(new Object()))
        .isInstanceOf(UnsupportedKeyException.class)
        .hasMessageContaining("java.lang.Object")
        .hasMessageContaining("supported types are");
    assertThatThrownBy(() -> keys.redisKey(new ArgumentTuple("ok", new int[] {1})))
        .isInstanceOf(UnsupportedKeyException.class)
        .hasMessageContaining("argument 2")
        .hasMessageContaining("[I");
    record Holder(StringBuilder text) {}
    assertThatThrownBy(() -> keys.redisKey(new Holder(new StringBuilder("x"))))
        .isInstanceOf(UnsupportedKeyException.class)
        .hasMessageContaining("argument.text")
        .hasMessageContaining("java.lang.StringBuilder");
    assertThatThrownBy(() -> keys.redisKey(null))
        .isInstanceOf(UnsupportedKeyException.class)
        .hasMessageContaining("null");
  }
}
