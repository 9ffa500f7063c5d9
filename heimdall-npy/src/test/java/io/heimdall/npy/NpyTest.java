package io.heimdall.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heimdall.InvalidInputException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyTest {

  @TempDir Path dir;

  /** Fixtures written by real NumPy 1.24.2 (see numpy/make_fixtures.py). */
  static Path fixture(String name) {
    try {
      return Path.of(NpyTest.class.getResource("/numpy/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test fixture numpy/" + name, e);
    }
  }

  static float[] expectedFloats(int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (i * 0.25 - 3);
    }
    return values;
  }

  static float[] expectedComplex(int n) {
    float[] values = new float[2 * n];
    for (int i = 0; i < n; i++) {
      values[2 * i] = (float) (i * 0.5);
      values[2 * i + 1] = -i;
    }
    return values;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "f32_1d:7",
        "f32_2d:3,5",
        "f32_3d:2,3,4",
        "f32_4d:2,1,2,3",
        "f32_empty:0",
        "f32_2d_v2:3,5",
        "f32_2d_v3:3,5"
      })
  void readsFloat32WrittenByNumpy(String spec) throws IOException {
    String[] parts = spec.split(":");
    long[] shape = Arrays.stream(parts[1].split(",")).mapToLong(Long::parseLong).toArray();
    NpyArray array = Npy.read(fixture(parts[0] + ".npy"));
    assertThat(array.dtype()).isEqualTo(NpyDType.FLOAT32);
    assertThat(array.shape()).containsExactly(shape);
    assertThat(array.rank()).isEqualTo(shape.length);
    assertThat(array.toFloatArray()).containsExactly(expectedFloats((int) array.elementCount()));
  }

  @Test
  void readsComplex64WrittenByNumpy() throws IOException {
    NpyArray array = Npy.read(fixture("c64_2d.npy"));
    assertThat(array.dtype()).isEqualTo(NpyDType.COMPLEX64);
    assertThat(array.shape()).containsExactly(2, 3);
    assertThat(array.elementCount()).isEqualTo(6);
    assertThat(array.toFloatArray()).containsExactly(expectedComplex(6));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"f32_1d:7", "f32_2d:3,5", "f32_3d:2,3,4", "f32_4d:2,1,2,3", "f32_empty:0"})
  void writesTheSameBytesAsNumpy(String spec) throws IOException {
    String[] parts = spec.split(":");
    long[] shape = Arrays.stream(parts[1].split(",")).mapToLong(Long::parseLong).toArray();
    int n = (int) NpyArray.elementCount(shape);
    Path out = dir.resolve("out.npy");
    Npy.write(out, NpyArray.ofFloats(expectedFloats(n), shape));
    assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(fixture(parts[0] + ".npy")));
  }

  @Test
  void writesComplexLikeNumpy() throws IOException {
    Path out = dir.resolve("c.npy");
    Npy.write(out, NpyArray.ofComplex(expectedComplex(6), 6));
    assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(fixture("c64_1d.npy")));
  }

  @Test
  void headersAreSixtyFourByteAlignedVersionOne() {
    for (long[] shape : new long[][] {{1}, {123456789, 2}, {3, 4, 5, 6, 7, 8}, {1L << 40}}) {
      byte[] header = Npy.encodeHeader(NpyDType.FLOAT32, shape);
      assertThat(header.length % 64).isZero();
      assertThat(header[6]).isEqualTo((byte) 1);
      assertThat(header[header.length - 1]).isEqualTo((byte) '\n');
      int declared = (header[8] & 0xFF) | (header[9] & 0xFF) << 8;
      assertThat(declared).isEqualTo(header.length - 10);
    }
  }

  @Test
  void roundTripsLargeArraysThroughTheChunkedWriter() throws IOException {
    int n = 17 * 11567; // three full writer chunks and a partial one
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) Math.sin(i * 0.001) * i;
    }
    Path out = dir.resolve("big.npy");
    Npy.write(out, NpyArray.ofFloats(values, 17, n / 17));
    NpyArray back = Npy.read(out);
    assertThat(back.shape()).containsExactly(17, n / 17);
    assertThat(back.toFloatArray()).containsExactly(values);
  }

  @Test
  void writesFromAPositionedHeapBufferSlice() throws IOException {
    FloatBuffer heap = FloatBuffer.wrap(new float[] {9, 1, 2, 3, 4, 9});
    heap.position(1).limit(5);
    NpyArray array = NpyArray.of(NpyDType.COMPLEX64, new long[] {2}, heap);
    Path out = dir.resolve("slice.npy");
    Npy.write(out, array);
    assertThat(Npy.read(out).toFloatArray()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void readBufferIsDirectNativeAndReadOnly() throws IOException {
    NpyArray array = Npy.read(fixture("f32_2d.npy"));
    FloatBuffer data = array.data();
    assertThat(data.isDirect()).isTrue();
    assertThat(data.order()).isEqualTo(ByteOrder.nativeOrder());
    assertThat(data.position()).isZero();
    assertThat(data.remaining()).isEqualTo(15);
    assertThatThrownBy(() -> data.put(0, 1f)).isInstanceOf(ReadOnlyBufferException.class);
    long[] shape = array.shape();
    shape[0] = 99;
    assertThat(array.shape()).containsExactly(3, 5);
  }

  @Test
  void readsAHandBuiltVersionTwoHeaderWithSixteenByteAlignment() throws IOException {
    String dict = "{\"shape\": (2L, 1L), \"fortran_order\": False, \"descr\": \"<c8\"}";
    int prefix = 12;
    int total = (prefix + dict.length() + 1 + 15) / 16 * 16;
    ByteBuffer file = ByteBuffer.allocate(total + 16).order(ByteOrder.LITTLE_ENDIAN);
    file.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(total - prefix);
    file.put(dict.getBytes(StandardCharsets.ISO_8859_1));
    while (file.position() < total - 1) {
      file.put((byte) ' ');
    }
    file.put((byte) '\n').putFloat(1f).putFloat(-2f).putFloat(3.5f).putFloat(0f);
    Path path = dir.resolve("v2.npy");
    Files.write(path, file.array());
    NpyArray array = Npy.read(path);
    assertThat(array.dtype()).isEqualTo(NpyDType.COMPLEX64);
    assertThat(array.shape()).containsExactly(2, 1);
    assertThat(array.toFloatArray()).containsExactly(1f, -2f, 3.5f, 0f);
  }

  @Test
  void rejectsUnsupportedDtypeNamingIt() {
    assertThatThrownBy(() -> Npy.read(fixture("f64_1d.npy")))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("'<f8'")
        .hasMessageContaining("'<f4'");
    assertThatThrownBy(() -> Npy.read(fixture("f32_bigendian.npy")))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("'>f4'");
  }

  @Test
  void rejectsFortranOrder() {
    assertThatThrownBy(() -> Npy.read(fixture("f32_fortran.npy")))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("Fortran");
  }

  @Test
  void rejectsRankZero() {
    assertThatThrownBy(() -> Npy.read(fixture("f32_scalar.npy")))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("rank >= 1");
  }

  @Test
  void rejectsTruncatedData() throws IOException {
    byte[] whole = Files.readAllBytes(fixture("f32_2d.npy"));
    Path cut = dir.resolve("cut.npy");
    Files.write(cut, Arrays.copyOf(whole, whole.length - 3));
    assertThatThrownBy(() -> Npy.read(cut))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("truncated")
        .hasMessageContaining("60 data bytes")
        .hasMessageContaining("57");
  }

  @Test
  void rejectsTruncatedHeader() throws IOException {
    byte[] whole = Files.readAllBytes(fixture("f32_2d.npy"));
    Path cut = dir.resolve("cut.npy");
    Files.write(cut, Arrays.copyOf(whole, 40));
    assertThatThrownBy(() -> Npy.read(cut))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("truncated");
    Files.write(cut, Arrays.copyOf(whole, 5));
    assertThatThrownBy(() -> Npy.read(cut))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("preamble");
  }

  @Test
  void rejectsTrailingBytes() throws IOException {
    byte[] whole = Files.readAllBytes(fixture("f32_2d.npy"));
    Path longer = dir.resolve("long.npy");
    Files.write(longer, Arrays.copyOf(whole, whole.length + 4));
    assertThatThrownBy(() -> Npy.read(longer))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void rejectsBadMagicAndVersion() throws IOException {
    Path notNpy = dir.resolve("x.npy");
    Files.writeString(notNpy, "this is a text file, not an array");
    assertThatThrownBy(() -> Npy.read(notNpy))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("bad magic");
    byte[] whole = Files.readAllBytes(fixture("f32_1d.npy"));
    whole[6] = 4;
    Files.write(notNpy, whole);
    assertThatThrownBy(() -> Npy.read(notNpy))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("version 4.0");
  }

  @Test
  void rejectsMalformedHeader() throws IOException {
    byte[] whole = Files.readAllBytes(fixture("f32_1d.npy"));
    String text = new String(whole, StandardCharsets.ISO_8859_1).replace("(7,)", "(7?)");
    Path bad = dir.resolve("bad.npy");
    Files.write(bad, text.getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> Npy.read(bad))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("malformed header");
  }

  @Test
  void arrayFactoryValidatesShapeAgainstData() {
    assertThatThrownBy(
            () -> NpyArray.of(NpyDType.COMPLEX64, new long[] {3}, FloatBuffer.allocate(3)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("data must be 6 floats for shape [3] of <c8, got 3 floats");
    assertThatThrownBy(() -> NpyArray.ofFloats(new float[4], 2, -2))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("shape must be free of negative dimensions, got [2, -2]");
    assertThatThrownBy(() -> NpyArray.ofFloats(new float[1]))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("shape must be of rank >= 1, got []");
    assertThatThrownBy(() -> NpyArray.elementCount(new long[] {1L << 40, 1L << 40}))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("at most 9223372036854775807 elements");
  }

  @Test
  void formatErrorsAreUncheckedBadInputThatSayWhatWasExpected() throws IOException {
    assertThat(RuntimeException.class).isAssignableFrom(NpyFormatException.class);
    assertThat(InvalidInputException.class).isAssignableFrom(NpyFormatException.class);
    byte[] whole = Files.readAllBytes(fixture("f32_2d.npy"));
    Path cut = dir.resolve("cut.npy");
    Files.write(cut, Arrays.copyOf(whole, 9));
    assertThatThrownBy(() -> Npy.read(cut))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(cut + ": truncated: expected a 2-byte header length after the 8-byte preamble");
    Files.write(cut, Arrays.copyOf(whole, whole.length - 3));
    assertThatThrownBy(() -> Npy.read(cut))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(cut + ": truncated: shape [3, 5] of <f4 needs 60 data bytes, the file has 57");
    String text = new String(whole, StandardCharsets.ISO_8859_1).replace("(3, 5)", "(3, x)");
    Files.write(cut, text.getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> Npy.read(cut))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith(cut + ": malformed header {'descr': '<f4'")
        .hasMessageEndingWith(": expected a non-negative integer at offset 54");
  }

  @Test
  void missingFileIsAnIoException() {
    assertThatThrownBy(() -> Npy.read(dir.resolve("absent.npy")))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(NpyFormatException.class);
  }
}
