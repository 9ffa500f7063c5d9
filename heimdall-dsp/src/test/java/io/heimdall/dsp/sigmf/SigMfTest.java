package io.heimdall.dsp.sigmf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.heimdall.InvalidInputException;
import io.heimdall.dsp.ComplexSignal;
import io.heimdall.dsp.PartialSampleException;
import io.heimdall.dsp.RecordingFormatException;
import io.heimdall.npy.Npy;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SigMF reading and writing, against files written by NumPy ({@code sigmf/make_sigmf.py}). */
class SigMfTest {

  private static final Instant GENERATED_AT = Instant.parse("2026-03-14T15:09:26.535897932Z");

  @TempDir Path dir;

  static Path resource(String name) {
    try {
      return Path.of(SigMfTest.class.getResource("/sigmf/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest
  @EnumSource(SigMfDatatype.class)
  void readsNumpyWrittenRecordingsOfEveryDatatype(SigMfDatatype type) throws IOException {
    String name = "tone_" + type.sigmfName();
    SigMfRecording recording = SigMf.read(resource(name + ".sigmf-meta"));
    float[] expected = Npy.read(resource(name + ".expected.npy")).toFloatArray();
    assertThat(recording.samples().toInterleavedArray()).containsExactly(expected);

    SigMfMetadata meta = recording.metadata();
    assertThat(meta.datatype()).isEqualTo(type);
    assertThat(meta.sampleRateHz()).isEqualTo(12_500.0);
    assertThat(meta.version()).isEqualTo("1.2.0");
    assertThat(meta.frequencyHz()).hasValue(145_500_000.0);
    assertThat(meta.fullScaleDbm()).hasValue(-17.25);
    assertThat(meta.hardware()).hasValue("numpy generator");
    assertThat(meta.author()).hasValue("make_sigmf.py");
    assertThat(meta.description()).isEmpty();
    assertThat(meta.geolocation())
        .hasValue(new GeoPoint(45.044, 7.672, OptionalDouble.of(310.5)));
    // ci8's capture starts at sample 1250 (0.1 s at 12.5 kHz): sample 0 is 0.1 s earlier
    Instant first = type == SigMfDatatype.CI8 ? GENERATED_AT.minusMillis(100) : GENERATED_AT;
    assertThat(meta.datetime()).hasValue(first);
    assertThat(meta.datetime().orElseThrow().getNano() % 1000).isEqualTo(932);
    // the data file or the bare name work as well as the metadata file
    assertThat(SigMf.read(resource(name + ".sigmf-data")).metadata()).isEqualTo(meta);
  }

  @ParameterizedTest
  @EnumSource(SigMfDatatype.class)
  void roundTripsEveryDatatype(SigMfDatatype type) throws IOException {
    // samples the type can hold exactly come back bit for bit
    ComplexSignal exact = SigMf.read(resource("tone_" + type.sigmfName() + ".sigmf-meta")).samples();
    SigMfMetadata meta =
        SigMfMetadata.builder(type, 2_400_000)
            .frequencyHz(433.92e6)
            .datetime(Instant.parse("2026-12-02T05:00:00.000000001Z"))
            .geolocation(GeoPoint.of(-33.5, 151.25))
            .fullScaleDbm(-3.5)
            .author("heimdall")
            .description("round trip")
            .hardware("rtl-sdr v4")
            .build();
    Path written = SigMf.write(dir.resolve("rec"), meta, exact);
    assertThat(written.getFileName().toString()).isEqualTo("rec.sigmf-meta");
    SigMfRecording back = SigMf.read(dir.resolve("rec.sigmf-data"));
    assertThat(back.metadata()).isEqualTo(meta);
    assertThat(back.samples().toInterleavedArray()).containsExactly(exact.toInterleavedArray());
    assertThat(Files.size(dir.resolve("rec.sigmf-data")))
        .isEqualTo((long) exact.length() * type.bytesPerSample());

    // arbitrary samples come back within half a code (nothing for float32)
    Random random = new Random(type.ordinal());
    float[] iq = new float[2_000];
    for (int i = 0; i < iq.length; i++) {
      iq[i] = (float) (0.99 * (2 * random.nextDouble() - 1));
    }
    SigMf.write(dir.resolve("noise"), meta, ComplexSignal.wrapInterleaved(iq));
    float[] read = SigMf.read(dir.resolve("noise")).samples().toInterleavedArray();
    double halfCode =
        switch (type) {
          case CF32_LE -> 0;
          case CI16_LE -> 0.5 / 32768;
          case CI8, CU8 -> 0.5 / 128;
        };
    for (int i = 0; i < iq.length; i++) {
      assertThat((double) read[i]).as("value %d", i).isCloseTo(iq[i], within(halfCode + 1e-9));
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary file left behind")
          .containsExactlyInAnyOrder(
              "rec.sigmf-meta", "rec.sigmf-data", "noise.sigmf-meta", "noise.sigmf-data");
    }
  }

  @Test
  void integerScalingIsExactAtTheEndsOfEveryRange() throws IOException {
    ByteBuffer ci16 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    ci16.putShort((short) -32768).putShort((short) 32767).putShort((short) 1).putShort((short) 0);
    assertThat(samplesOf("ci16_le", ci16.array()))
        .containsExactly(-1f, 32767f / 32768f, 1f / 32768f, 0f);
    assertThat(samplesOf("ci8", new byte[] {-128, 127, 1, 0}))
        .containsExactly(-1f, 127f / 128f, 1f / 128f, 0f);
    assertThat(samplesOf("cu8", new byte[] {0, (byte) 255, (byte) 127, (byte) 128}))
        .containsExactly(-127.5f / 128f, 127.5f / 128f, -0.5f / 128f, 0.5f / 128f);
    // and writing clips beyond full scale to the largest codes
    SigMfMetadata meta = SigMfMetadata.builder(SigMfDatatype.CI16_LE, 1_000).build();
    SigMf.write(dir.resolve("clip"), meta, ComplexSignal.wrapInterleaved(new float[] {2f, -2f}));
    assertThat(SigMf.read(dir.resolve("clip")).samples().toInterleavedArray())
        .containsExactly(32767f / 32768f, -1f);
  }

  private float[] samplesOf(String datatype, byte[] data) throws IOException {
    Path base = dir.resolve(datatype);
    Files.write(dir.resolve(datatype + ".sigmf-data"), data);
    Files.writeString(
        dir.resolve(datatype + ".sigmf-meta"),
        "{\"global\":{\"core:datatype\":\""
            + datatype
            + "\",\"core:sample_rate\":1000,\"core:version\":\"1.0.0\"},"
            + "\"captures\":[],\"annotations\":[]}");
    return SigMf.read(base).samples().toInterleavedArray();
  }

  @Test
  void keepsEveryNanosecondOfTheCaptureTime() throws IOException {
    for (String text :
        new String[] {
          "2026-01-02T03:04:05Z",
          "2026-01-02T03:04:05.1Z",
          "2026-01-02T03:04:05.123456789Z",
          "1999-12-31T23:59:59.999999999Z"
        }) {
      Instant time = Instant.parse(text);
      SigMfMetadata meta =
          SigMfMetadata.builder(SigMfDatatype.CF32_LE, 12_500).datetime(time).build();
      SigMf.write(dir.resolve("t"), meta, ComplexSignal.wrapInterleaved(new float[] {0, 0}));
      assertThat(Files.readString(dir.resolve("t.sigmf-meta")))
          .contains("\"" + time + "\"")
          .contains(text.substring(0, 19));
      assertThat(SigMf.readMetadata(dir.resolve("t")).datetime()).hasValue(time);
    }
    // an offset other than Z is the same instant
    writeMeta("offset", "\"core:datatype\":\"cf32_le\",\"core:sample_rate\":1,\"core:version\":\"1\"",
        "{\"core:datetime\":\"2026-01-02T04:04:05.000000007+01:00\"}");
    assertThat(SigMf.readMetadata(dir.resolve("offset")).datetime())
        .hasValue(Instant.parse("2026-01-02T03:04:05.000000007Z"));
  }

  private Path writeMeta(String name, String global, String capture) throws IOException {
    Files.write(dir.resolve(name + ".sigmf-data"), new byte[8]);
    return Files.writeString(
        dir.resolve(name + ".sigmf-meta"),
        "{\"global\":{" + global + "},\"captures\":[" + capture + "],\"annotations\":[]}");
  }

  private static final String GOOD =
      "\"core:datatype\":\"cf32_le\",\"core:sample_rate\":12500,\"core:version\":\"1.0.0\"";

  @Test
  void unknownDatatypeNamesTheFieldTheValueAndTheSupportedTypes() throws IOException {
    Path meta = writeMeta("be", GOOD.replace("cf32_le", "cf32_be"), "");
    assertThatThrownBy(() -> SigMf.read(meta))
        .isInstanceOf(SigMfMetadataException.class)
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            meta
                + ": global.core:datatype is 'cf32_be' (expected cf32_le, ci16_le, ci8 or cu8)")
        .satisfies(e -> assertThat(((SigMfMetadataException) e).field())
            .isEqualTo("global.core:datatype"))
        .satisfies(e -> assertThat(((SigMfMetadataException) e).file()).isEqualTo(meta));
  }

  @Test
  void missingOrBadSampleRateIsNamed() throws IOException {
    Path missing = writeMeta("norate", GOOD.replace("\"core:sample_rate\":12500,", ""), "");
    assertThatThrownBy(() -> SigMf.read(missing))
        .isInstanceOf(SigMfMetadataException.class)
        .hasMessage(missing + ": global.core:sample_rate is missing (expected a number)");
    Path negative = writeMeta("negative", GOOD.replace("12500", "-5"), "");
    assertThatThrownBy(() -> SigMf.read(negative))
        .hasMessage(
            negative + ": global.core:sample_rate is -5.0 (expected a finite number > 0 of Hz)");
    Path text = writeMeta("text", GOOD.replace("12500", "\"fast\""), "");
    assertThatThrownBy(() -> SigMf.read(text))
        .hasMessage(text + ": global.core:sample_rate is \"fast\" (expected a finite number)");
  }

  @Test
  void dataWithAPartialSampleOrNoSamplesIsRejected() throws IOException {
    writeMeta("partial", GOOD.replace("cf32_le", "ci16_le"), "");
    Path data = Files.write(dir.resolve("partial.sigmf-data"), new byte[10]);
    assertThatThrownBy(() -> SigMf.read(dir.resolve("partial.sigmf-meta")))
        .isInstanceOf(PartialSampleException.class)
        .hasMessage(
            data
                + " has 10 bytes, not a multiple of 4 (one SigMF ci16_le I/Q sample): truncated"
                + " or not SigMF ci16_le")
        .satisfies(e -> assertThat(((PartialSampleException) e).bytes()).isEqualTo(10));
    writeMeta("empty", GOOD, "");
    Path empty = Files.write(dir.resolve("empty.sigmf-data"), new byte[0]);
    assertThatThrownBy(() -> SigMf.read(dir.resolve("empty")))
        .isInstanceOf(RecordingFormatException.class)
        .hasMessage(
            empty + " is empty (expected SigMF cf32_le I/Q samples, as global.core:datatype says)");
  }

  @Test
  void malformedJsonSaysWhere() throws IOException {
    Files.write(dir.resolve("bad.sigmf-data"), new byte[8]);
    Path meta = Files.writeString(dir.resolve("bad.sigmf-meta"), "{\"global\": {\n  \"core:datatype\" 1}");
    assertThatThrownBy(() -> SigMf.read(meta))
        .isInstanceOf(SigMfMetadataException.class)
        .hasMessageStartingWith(meta + ": is not valid JSON at line 2, column ")
        .hasMessageEndingWith("(expected a SigMF metadata object)")
        .satisfies(e -> assertThat(((SigMfMetadataException) e).field()).isEmpty());
    Path array = Files.writeString(dir.resolve("array.sigmf-meta"), "[1, 2]");
    assertThatThrownBy(() -> SigMf.readMetadata(array))
        .hasMessage(
            array
                + ": holds [1,2] (expected a SigMF metadata object with global, captures and"
                + " annotations)");
  }

  @Test
  void geolocationMustBeAGeoJsonPoint() throws IOException {
    Path line =
        writeMeta(
            "line",
            GOOD + ",\"core:geolocation\":{\"type\":\"LineString\",\"coordinates\":[[7,45],[8,46]]}",
            "");
    assertThatThrownBy(() -> SigMf.read(line))
        .isInstanceOf(SigMfMetadataException.class)
        .hasMessageContaining(line + ": global.core:geolocation is {\"type\":\"LineString\"")
        .hasMessageEndingWith(
            "(expected a GeoJSON Point: {\"type\":\"Point\",\"coordinates\":[lon, lat, alt]})");
    Path swapped =
        writeMeta(
            "swapped",
            GOOD + ",\"core:geolocation\":{\"type\":\"Point\",\"coordinates\":[7.6, 145.0]}",
            "");
    assertThatThrownBy(() -> SigMf.read(swapped))
        .hasMessageStartingWith(swapped + ": global.core:geolocation.coordinates is [7.6,145.0]")
        .satisfies(e -> assertThat(((SigMfMetadataException) e).field())
            .isEqualTo("global.core:geolocation.coordinates"));
  }

  @Test
  void calibrationNeedsItsExtensionDeclared() throws IOException {
    Path undeclared = writeMeta("undeclared", GOOD + ",\"heimdall:full_scale_dbm\":-10", "");
    assertThatThrownBy(() -> SigMf.read(undeclared))
        .isInstanceOf(SigMfMetadataException.class)
        .hasMessageStartingWith(
            undeclared
                + ": global.heimdall:full_scale_dbm is used but global.core:extensions is absent");
    Path declared =
        writeMeta(
            "declared",
            GOOD
                + ",\"core:extensions\":[{\"name\":\"heimdall\",\"version\":\"1.0.0\","
                + "\"optional\":true}],\"heimdall:full_scale_dbm\":-10",
            "");
    assertThat(SigMf.read(declared).metadata().fullScaleDbm()).hasValue(-10.0);
    Path badTime = writeMeta("time", GOOD, "{\"core:datetime\":\"2026-01-02 03:04:05\"}");
    assertThatThrownBy(() -> SigMf.read(badTime))
        .hasMessageStartingWith(
            badTime + ": captures[0].core:datetime is \"2026-01-02 03:04:05\" (expected ISO 8601");
  }
}
