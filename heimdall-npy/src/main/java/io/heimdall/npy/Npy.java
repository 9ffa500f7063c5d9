package io.heimdall.npy;

import io.heimdall.InvalidInputException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes NumPy {@code .npy} files of float32 ({@code '<f4'}) and complex64 ({@code
 * '<c8'}) arrays in C order, following the NPY format specification (versions 1.0, 2.0 and 3.0 are
 * read; 1.0 is written whenever the header fits, with the data 64-byte aligned).
 *
 * <p>Two kinds of failure, kept apart on purpose: a file whose content is not a supported array
 * (truncated, malformed, another dtype) throws the unchecked {@link NpyFormatException}, a kind of
 * {@link InvalidInputException}, whose message says what the file holds and what was expected; a
 * failure to read or write at all (a missing file, a permission, a full disk) stays a checked
 * {@link IOException}, because retrying or fixing the environment may cure it.
 */
public final class Npy {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGNMENT = 64;
  private static final int COPY_CHUNK_FLOATS = 1 << 16;
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;
  private static final int MAX_HEADER_BYTES = 1 << 20;

  private Npy() {}

  /** Largest array {@link #read} holds: one direct buffer, indexed by int, less the JVM's margin. */
  static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  /**
   * Reads a whole {@code .npy} file into a direct, native-order buffer.
   *
   * @param file the file to read
   * @return the array, its data in a direct buffer in native byte order
   * @throws NpyFormatException if the file is not a supported {@code .npy} array: bad magic or
   *     version, a malformed header, an unsupported dtype, Fortran order, rank 0, truncated data or
   *     trailing bytes
   * @throws IOException if the file cannot be read at all (missing, unreadable)
   * @throws NullPointerException if {@code file} is null
   */
  public static NpyArray read(Path file) throws IOException {
    Checks.notNull(file, "file");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Header header = readHeader(channel, file);
      long available = channel.size() - channel.position();
      long expectedBytes;
      try {
        expectedBytes = Math.multiplyExact(header.elementCount, header.dtype.bytesPerElement());
      } catch (ArithmeticException e) {
        expectedBytes = Long.MAX_VALUE;
      }
      // The size limit first: a shape too large to read says so, whatever the file holds.
      Checks.format(
          expectedBytes <= MAX_ARRAY_BYTES,
          file,
          "shape "
              + header.shapeText()
              + " of "
              + header.dtype.descr()
              + (expectedBytes == Long.MAX_VALUE
                  ? " overflows a 64-bit byte count"
                  : " needs " + expectedBytes + " bytes")
              + "; the largest array this reader supports is "
              + MAX_ARRAY_BYTES
              + " bytes");
      Checks.format(
          available >= expectedBytes,
          file,
          "truncated: shape "
              + header.shapeText()
              + " of "
              + header.dtype.descr()
              + " needs "
              + expectedBytes
              + " data bytes, the file has "
              + available);
      Checks.format(
          available <= expectedBytes,
          file,
          "shape "
              + header.shapeText()
              + " of "
              + header.dtype.descr()
              + " needs "
              + expectedBytes
              + " data bytes, but the file has "
              + available
              + " (trailing data)");
      ByteBuffer bytes =
          ByteBuffer.allocateDirect((int) expectedBytes).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, bytes, file);
      bytes.flip();
      return NpyArray.of(header.dtype, header.shape, toNativeOrder(bytes));
    }
  }

  /**
   * Writes {@code array} as a version 1.0 {@code .npy} file (2.0 if the header is too long for
   * 1.0), replacing {@code file}.
   *
   * @param file the file to create or replace
   * @param array the array to write
   * @throws IOException if the file cannot be written
   * @throws NullPointerException if an argument is null
   */
  public static void write(Path file, NpyArray array) throws IOException {
    Checks.notNull(file, "file");
    Checks.notNull(array, "array");
    byte[] header = encodeHeader(array.dtype(), array.shape());
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.WRITE,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(channel, ByteBuffer.wrap(header));
      FloatBuffer source = array.data();
      ByteBuffer chunk =
          ByteBuffer.allocateDirect(Math.min(source.remaining(), COPY_CHUNK_FLOATS) * Float.BYTES)
              .order(ByteOrder.LITTLE_ENDIAN);
      FloatBuffer chunkFloats = chunk.asFloatBuffer();
      while (source.hasRemaining()) {
        int n = Math.min(source.remaining(), chunkFloats.capacity());
        FloatBuffer part = source.slice();
        part.limit(n);
        chunkFloats.clear();
        chunkFloats.put(part);
        source.position(source.position() + n);
        chunk.clear().limit(n * Float.BYTES);
        writeFully(channel, chunk);
      }
    }
  }

  /**
   * The exact header bytes (magic through the padding newline) for this dtype and shape, laid out
   * as NumPy's own writer does: the dictionary, room for the first dimension to grow to 21 digits,
   * then spaces up to a 64-byte boundary and a newline.
   */
  static byte[] encodeHeader(NpyDType dtype, long[] shape) {
    StringBuilder dict = new StringBuilder();
    dict.append("{'descr': '")
        .append(dtype.descr())
        .append("', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      dict.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    dict.append(shape.length == 1 ? ",), }" : "), }");
    dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length())));
    byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
    int prefixV1 = MAGIC.length + 2 + 2;
    int totalV1 = paddedToAlignment(prefixV1 + text.length + 1);
    boolean v1 = totalV1 - prefixV1 <= 0xFFFF;
    int prefix = v1 ? prefixV1 : MAGIC.length + 2 + 4;
    int total = v1 ? totalV1 : paddedToAlignment(prefix + text.length + 1);
    int headerLength = total - prefix;
    ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) (v1 ? 1 : 2)).put((byte) 0);
    if (v1) {
      out.putShort((short) headerLength);
    } else {
      out.putInt(headerLength);
    }
    out.put(text);
    while (out.position() < total - 1) {
      out.put((byte) ' ');
    }
    out.put((byte) '\n');
    return out.array();
  }

  /** NumPy always pads with at least one space, so an already aligned length grows by 64. */
  private static int paddedToAlignment(int lengthWithNewline) {
    return lengthWithNewline + ALIGNMENT - lengthWithNewline % ALIGNMENT;
  }

  private record Header(NpyDType dtype, long[] shape, long elementCount) {
    String shapeText() {
      return java.util.Arrays.toString(shape);
    }
  }

  private static Header readHeader(FileChannel channel, Path file) throws IOException {
    ByteBuffer preamble = ByteBuffer.allocate(MAGIC.length + 2).order(ByteOrder.LITTLE_ENDIAN);
    readFullyOr(channel, preamble, file, "not a .npy file: shorter than the 8-byte preamble");
    preamble.flip();
    for (byte expected : MAGIC) {
      Checks.format(
          preamble.get() == expected, file, "not a .npy file: bad magic (expected \\x93NUMPY)");
    }
    int major = preamble.get() & 0xFF;
    int minor = preamble.get() & 0xFF;
    Checks.format(
        major >= 1 && major <= 3 && minor == 0,
        file,
        "unsupported .npy version " + major + "." + minor + " (expected 1.0, 2.0 or 3.0)");
    int lengthBytes = major == 1 ? 2 : 4;
    ByteBuffer lengthField = ByteBuffer.allocate(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
    readFullyOr(
        channel,
        lengthField,
        file,
        "truncated: expected a " + lengthBytes + "-byte header length after the 8-byte preamble");
    lengthField.flip();
    long headerLength =
        major == 1 ? lengthField.getShort() & 0xFFFF : lengthField.getInt() & 0xFFFFFFFFL;
    Checks.format(
        headerLength <= MAX_HEADER_BYTES,
        file,
        "header length " + headerLength + " exceeds " + MAX_HEADER_BYTES + " bytes");
    long left = channel.size() - channel.position();
    Checks.format(
        headerLength <= left,
        file,
        "truncated: header of " + headerLength + " bytes announced, " + left + " bytes left");
    ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
    readFully(channel, headerBytes, file);
    Charset charset = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
    String text = new String(headerBytes.array(), charset);
    return parseHeader(text, file);
  }

  private static Header parseHeader(String text, Path file) {
    Map<String, Object> dict = new HeaderParser(text, file).parseDict();
    Object descr = dict.get("descr");
    Object fortran = dict.get("fortran_order");
    Object shapeValue = dict.get("shape");
    Checks.format(
        descr instanceof String && fortran instanceof Boolean && shapeValue instanceof List,
        file,
        "header must hold 'descr' (str), 'fortran_order' (bool) and 'shape' (tuple): "
            + text.strip());
    NpyDType dtype =
        NpyDType.fromDescr((String) descr)
            .orElseThrow(
                () ->
                    new NpyFormatException(
                        file
                            + ": unsupported dtype '"
                            + descr
                            + "' (expected '<f4' float32 or"
                            + " '<c8' complex64)"));
    Checks.format(
        !(Boolean) fortran,
        file,
        "Fortran-order arrays are not supported (expected fortran_order False; save with"
            + " np.ascontiguousarray)");
    List<?> dims = (List<?>) shapeValue;
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = (Long) dims.get(i);
    }
    try {
      return new Header(dtype, shape, NpyArray.elementCount(shape));
    } catch (InvalidInputException e) {
      throw new NpyFormatException(file + ": unsupported shape " + dims + ": " + e.getMessage(), e);
    }
  }

  private static FloatBuffer toNativeOrder(ByteBuffer littleEndian) {
    if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      return littleEndian.order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
    FloatBuffer nativeBuffer =
        ByteBuffer.allocateDirect(littleEndian.remaining())
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    nativeBuffer.put(littleEndian.asFloatBuffer()).flip();
    return nativeBuffer;
  }

  private static void readFully(FileChannel channel, ByteBuffer target, Path file)
      throws IOException {
    readFullyOr(channel, target, file, "truncated: expected " + target.remaining() + " more bytes");
  }

  private static void readFullyOr(FileChannel channel, ByteBuffer target, Path file, String problem)
      throws IOException {
    while (target.hasRemaining()) {
      Checks.format(channel.read(target) >= 0, file, problem);
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer source) throws IOException {
    while (source.hasRemaining()) {
      if (channel.write(source) < 0) {
        throw new EOFException("channel closed while writing");
      }
    }
  }

  /** Parses the Python-literal dictionary of an NPY header: strings, booleans, int tuples. */
  private static final class HeaderParser {
    private final String text;
    private final Path file;
    private int pos;

    HeaderParser(String text, Path file) {
      this.text = text;
      this.file = file;
    }

    private NpyFormatException malformed(String what) {
      return new NpyFormatException(file + ": malformed header " + text.strip() + ": " + what);
    }

    Map<String, Object> parseDict() {
      Map<String, Object> result = new HashMap<>();
      expect('{');
      while (true) {
        skipSpace();
        if (peek() == '}') {
          pos++;
          break;
        }
        String key = parseString();
        expect(':');
        result.put(key, parseValue());
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else {
          expect('}');
          break;
        }
      }
      skipSpace();
      if (pos != text.length()) {
        throw malformed("unexpected text after the dictionary at offset " + pos);
      }
      return result;
    }

    private Object parseValue() {
      skipSpace();
      char c = peek();
      if (c == '\'' || c == '"') {
        return parseString();
      }
      if (c == '(') {
        return parseTuple();
      }
      if (text.startsWith("True", pos)) {
        pos += 4;
        return Boolean.TRUE;
      }
      if (text.startsWith("False", pos)) {
        pos += 5;
        return Boolean.FALSE;
      }
      throw malformed("unsupported value at offset " + pos);
    }

    private List<Long> parseTuple() {
      expect('(');
      List<Long> values = new ArrayList<>();
      while (true) {
        skipSpace();
        if (peek() == ')') {
          pos++;
          return values;
        }
        values.add(parseInteger());
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else {
          expect(')');
          return values;
        }
      }
    }

    private long parseInteger() {
      int start = pos;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      if (start == pos) {
        throw malformed("expected a non-negative integer at offset " + start);
      }
      long value;
      try {
        value = Long.parseLong(text.substring(start, pos));
      } catch (NumberFormatException e) {
        throw malformed(
            "dimension out of range (at most " + Long.MAX_VALUE + ") at offset " + start);
      }
      if (pos < text.length() && text.charAt(pos) == 'L') {
        pos++; // Python 2 long literal
      }
      return value;
    }

    private String parseString() {
      skipSpace();
      char quote = peek();
      if (quote != '\'' && quote != '"') {
        throw malformed("expected a quoted string at offset " + pos);
      }
      int end = text.indexOf(quote, pos + 1);
      if (end < 0) {
        throw malformed("unterminated string at offset " + pos);
      }
      String value = text.substring(pos + 1, end);
      pos = end + 1;
      return value;
    }

    private void expect(char c) {
      skipSpace();
      if (peek() != c) {
        throw malformed("expected '" + c + "' at offset " + pos);
      }
      pos++;
    }

    private char peek() {
      if (pos >= text.length()) {
        throw malformed("header ends early");
      }
      return text.charAt(pos);
    }

    private void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }
  }
}
