package io.heimdall.cache;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Builds Redis keys {@code heimdall:<namespace>:v<version>:<arguments>}.
 *
 * <p>Every argument is written with a type tag and either a length prefix or a terminator that
 * cannot occur inside it, so each encoding is prefix-free and a sequence of arguments decodes
 * uniquely: {@code ("a,b","c")} and {@code ("a","b,c")} give different keys, and so do {@code 1}
 * and {@code 1L}. Encodings longer than {@link #MAX_KEY_LENGTH} characters are replaced by {@code
 * #} and the Base64url SHA-256 of the encoding ({@code #} starts no tag).
 */
final class KeyEncoder {

  /** Longest key written to Redis, in characters. */
  static final int MAX_KEY_LENGTH = 200;

  private static final String SUPPORTED =
      "String, Integer, Long, Short, Byte, Boolean, Character, Double, Float,"
          + " UUID, Instant, LocalDate, enums, records of these, Lists and Sets of these";

  private static final ClassValue<Method[]> RECORD_ACCESSORS =
      new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
          RecordComponent[] components = type.getRecordComponents();
          Method[] accessors = new Method[components.length];
          for (int i = 0; i < components.length; i++) {
            accessors[i] = components[i].getAccessor();
            accessors[i].setAccessible(true);
          }
          return accessors;
        }
      };

  private final String base;
  private final String prefix;

  KeyEncoder(String namespace, int version) {
    this.base = "heimdall:" + namespace + ":v" + version;
    this.prefix = base + ":";
  }

  /**
   * The tombstone of a value key. Tombstones and the generation live outside {@link #pattern()}, so
   * {@code invalidateAll} never deletes them.
   */
  String tombstoneKey(String redisKey) {
    return base + "!tombstone:" + redisKey.substring(prefix.length());
  }

  /** The namespace generation, incremented by every {@code invalidateAll}. */
  String generationKey() {
    return base + "!generation";
  }

  /**
   * The glob that matches every key of this namespace and version (namespaces hold no glob
   * characters).
   */
  String pattern() {
    return prefix + "*";
  }

  /** The channel on which invalidations of this namespace and version are published. */
  String channel() {
    return prefix + "invalidations";
  }

  /** Encodes a local key: one argument, or an {@link ArgumentTuple} of several. */
  String redisKey(Object localKey) {
    StringBuilder key = new StringBuilder(prefix.length() + 32).append(prefix);
    if (localKey instanceof ArgumentTuple tuple) {
      for (int i = 0; i < tuple.size(); i++) {
        append(key, tuple.get(i), "argument " + (i + 1));
      }
    } else if (localKey == null) {
      throw new UnsupportedKeyException(
          "the argument of a one-argument loader is null: a cache key needs a"
              + " value (nulls are allowed inside records, lists and multi-argument calls)");
    } else {
      append(key, localKey, "argument");
    }
    if (key.length() <= MAX_KEY_LENGTH) {
      return key.toString();
    }
    return prefix + "#" + sha256(key.substring(prefix.length()));
  }

  private static void append(StringBuilder key, Object value, String path) {
    if (value == null) {
      key.append('N');
    } else if (value instanceof String s) {
      lengthPrefixed(key.append('s'), s);
    } else if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte
        || value instanceof Double
        || value instanceof Float) {
      key.append(numberTag(value)).append(value).append(';');
    } else if (value instanceof Boolean b) {
      key.append(b ? "b1" : "b0");
    } else if (value instanceof Character c) {
      key.append('c').append((int) c).append(';');
    } else if (value instanceof UUID uuid) {
      key.append('u').append(uuid);
    } else if (value instanceof Instant instant) {
      key.append('t').append(instant).append(';');
    } else if (value instanceof LocalDate date) {
      key.append('D').append(date).append(';');
    } else if (value instanceof Enum<?> constant) {
      lengthPrefixed(key.append('e'), constant.getDeclaringClass().getName());
      lengthPrefixed(key, constant.name());
    } else if (value instanceof Record record) {
      appendRecord(key, record, path);
    } else if (value instanceof List<?> list) {
      key.append('L').append(list.size()).append(':');
      int index = 0;
      for (Object element : list) {
        append(key, element, path + "[" + index++ + "]");
      }
    } else if (value instanceof Set<?> set) {
      // sets have no order: sort the element encodings so equal sets give equal keys
      List<String> elements = new ArrayList<>(set.size());
      for (Object element : set) {
        StringBuilder encoded = new StringBuilder();
        append(encoded, element, path + "{element}");
        elements.add(encoded.toString());
      }
      Collections.sort(elements);
      key.append('S').append(set.size()).append(':');
      elements.forEach(key::append);
    } else {
      throw new UnsupportedKeyException(
          "cannot build a cache key from "
              + path
              + " of type "
              + value.getClass().getName()
              + ": supported types are "
              + SUPPORTED);
    }
  }

  private static char numberTag(Object number) {
    if (number instanceof Integer) {
      return 'i';
    }
    if (number instanceof Long) {
      return 'l';
    }
    if (number instanceof Short) {
      return 'h';
    }
    if (number instanceof Byte) {
      return 'y';
    }
    return number instanceof Double ? 'd' : 'f';
  }

  private static void appendRecord(StringBuilder key, Record record, String path) {
    Class<?> type = record.getClass();
    Method[] accessors;
    try {
      accessors = RECORD_ACCESSORS.get(type);
    } catch (RuntimeException e) {
      throw new UnsupportedKeyException(
          "cannot read the components of record "
              + type.getName()
              + " at "
              + path
              + " ("
              + e.getMessage()
              + "): open its package to io.heimdall.cache or use a public record");
    }
    lengthPrefixed(key.append('r'), type.getName());
    key.append(accessors.length).append(':');
    for (Method accessor : accessors) {
      Object component;
      try {
        component = accessor.invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new UnsupportedKeyException(
            "cannot read component "
                + accessor.getName()
                + " of record "
                + type.getName()
                + " at "
                + path
                + ": "
                + e);
      }
      append(key, component, path + "." + accessor.getName());
    }
  }

  private static void lengthPrefixed(StringBuilder key, String text) {
    key.append(text.length()).append(':').append(text);
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
