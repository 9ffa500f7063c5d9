package io.heimdall.inference;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The top-level fields of an ONNX {@code ModelProto} that ONNX Runtime's Java API does not expose
 * (IR version, opset imports, producer), read with a minimal protobuf wire-format walk so that the
 * library needs no protobuf dependency. The walk also rejects files that are not a well-formed
 * ModelProto with a message that says where they break, before ONNX Runtime sees them.
 */
record ModelHeader(
    long irVersion, Map<String, Long> opsets, String producerName, String producerVersion) {

  private static final int IR_VERSION = 1;
  private static final int PRODUCER_NAME = 2;
  private static final int PRODUCER_VERSION = 3;
  private static final int GRAPH = 7;
  private static final int OPSET_IMPORT = 8;
  private static final int OPSET_DOMAIN = 1;
  private static final int OPSET_VERSION = 2;

  /**
   * Reads the header of a serialized model.
   *
   * @param source names the model in messages (a path or "model bytes")
   * @throws ModelLoadException if the bytes are not a complete ModelProto with a graph
   */
  static ModelHeader read(byte[] model, String source) {
    if (model.length == 0) {
      throw new ModelLoadException("model " + source + " is empty; expected an ONNX ModelProto");
    }
    Reader reader = new Reader(model, 0, model.length, source);
    long irVersion = 0;
    String producerName = "";
    String producerVersion = "";
    boolean hasGraph = false;
    Map<String, Long> opsets = new LinkedHashMap<>();
    while (reader.hasMore()) {
      long tag = reader.varint();
      int field = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      if (field == IR_VERSION && wireType == 0) {
        irVersion = reader.varint();
      } else if (field == PRODUCER_NAME && wireType == 2) {
        producerName = reader.string();
      } else if (field == PRODUCER_VERSION && wireType == 2) {
        producerVersion = reader.string();
      } else if (field == GRAPH && wireType == 2) {
        reader.skip(wireType);
        hasGraph = true;
      } else if (field == OPSET_IMPORT && wireType == 2) {
        readOpset(reader.message(), opsets);
      } else {
        reader.skip(wireType);
      }
    }
    if (irVersion <= 0 || !hasGraph) {
      throw new ModelLoadException(
          "model "
              + source
              + " is not an ONNX model: "
              + (irVersion <= 0 ? "no IR version" : "no graph")
              + " in "
              + model.length
              + " bytes");
    }
    return new ModelHeader(irVersion, opsets, producerName, producerVersion);
  }

  private static void readOpset(Reader reader, Map<String, Long> opsets) {
    String domain = "";
    long version = 0;
    while (reader.hasMore()) {
      long tag = reader.varint();
      int field = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      if (field == OPSET_DOMAIN && wireType == 2) {
        domain = reader.string();
      } else if (field == OPSET_VERSION && wireType == 0) {
        version = reader.varint();
      } else {
        reader.skip(wireType);
      }
    }
    opsets.put(domain, version);
  }

  /** Protobuf wire-format cursor over {@code [position, end)} of a byte array. */
  private static final class Reader {
    private final byte[] bytes;
    private final int end;
    private final String source;
    private int position;

    Reader(byte[] bytes, int position, int end, String source) {
      this.bytes = bytes;
      this.position = position;
      this.end = end;
      this.source = source;
    }

    boolean hasMore() {
      return position < end;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= end) {
          throw broken("truncated inside a varint");
        }
        byte b = bytes[position++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw broken("varint longer than 10 bytes");
    }

    Reader message() {
      int length = length();
      Reader inner = new Reader(bytes, position, position + length, source);
      position += length;
      return inner;
    }

    String string() {
      int length = length();
      String text = new String(bytes, position, length, StandardCharsets.UTF_8);
      position += length;
      return text;
    }

    void skip(int wireType) {
      switch (wireType) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> advance(length());
        case 5 -> advance(4);
        default -> throw broken("invalid protobuf wire type " + wireType);
      }
    }

    private int length() {
      long length = varint();
      if (length < 0 || length > end - position) {
        throw broken("a field of " + length + " bytes runs past the end (truncated file?)");
      }
      return (int) length;
    }

    private void advance(int count) {
      if (count > end - position) {
        throw broken("truncated: a field runs past the end");
      }
      position += count;
    }

    private ModelLoadException broken(String what) {
      return new ModelLoadException(
          "model "
              + source
              + " is not a valid ONNX file: "
              + what
              + " at byte "
              + position
              + " of "
              + bytes.length);
    }
  }
}
