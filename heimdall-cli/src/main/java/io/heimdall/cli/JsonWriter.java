package io.heimdall.cli;

import java.util.Locale;

/**
 * The tool's one JSON writer: builds one JSON object, fields in the order they are added, printed
 * on one line with {@link #toString()}. Every command that prints JSON uses it, so escaping and
 * number formatting are the same everywhere.
 *
 * <pre>{@code
 * out.println(JsonWriter.object()
 *     .field("samples", 48_000)
 *     .field("snr_db", 31.5)
 *     .field("device", "cpu")
 *     .field("cache", JsonWriter.object().field("hits", 5).field("misses", 5))
 *     .field("task_ids", List.of("a1", "b2")));
 * }</pre>
 *
 * <p>Numbers: integral values print without a fraction ({@code 48000}, also for a {@code double}
 * such as 48000.0), others in Java's shortest round-trip form ({@code 31.5}, {@code 1.0E-5}), and
 * NaN or infinities as {@code null}, since JSON has no such numbers. Strings are escaped as RFC
 * 8259 requires. Not thread-safe.
 */
public final class JsonWriter {

  private final StringBuilder json = new StringBuilder("{");
  private boolean empty = true;

  private JsonWriter() {}

  /**
   * Starts an empty object.
   *
   * @return a writer holding {@code {}}
   */
  public static JsonWriter object() {
    return new JsonWriter();
  }

  /**
   * Adds a field. The value may be a number (any {@link Number}; NaN and infinities become {@code
   * null}), a {@link Boolean}, a {@link String}, a nested {@link JsonWriter} object, an {@link
   * Iterable} of any of these (a JSON array), or null; anything else is written as the string of
   * its {@code toString()} (a UUID, a path, an enum constant).
   *
   * @param name the field name
   * @param value its value
   * @return this writer
   */
  public JsonWriter field(String name, Object value) {
    if (!empty) {
      json.append(',');
    }
    empty = false;
    appendString(json, name);
    appendValue(json.append(':'), value);
    return this;
  }

  /**
   * The object as one line of JSON.
   *
   * @return the JSON text, e.g. {@code {"samples":48000}}
   */
  @Override
  public String toString() {
    return json + "}";
  }

  private static void appendValue(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Double || value instanceof Float) {
      appendNumber(out, ((Number) value).doubleValue());
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof JsonWriter object) {
      out.append(object);
    } else if (value instanceof Iterable<?> values) {
      out.append('[');
      boolean first = true;
      for (Object element : values) {
        if (!first) {
          out.append(',');
        }
        first = false;
        appendValue(out, element);
      }
      out.append(']');
    } else {
      appendString(out, value.toString());
    }
  }

  private static void appendNumber(StringBuilder out, double value) {
    if (!Double.isFinite(value)) {
      out.append("null");
    } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      out.append((long) value);
    } else {
      out.append(value);
    }
  }

  private static void appendString(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
