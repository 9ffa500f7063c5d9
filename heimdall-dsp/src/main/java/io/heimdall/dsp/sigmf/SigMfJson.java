package io.heimdall.dsp.sigmf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heimdall.dsp.DspException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Translates between {@code .sigmf-meta} JSON and {@link SigMfMetadata}. Every problem becomes a
 * {@link SigMfMetadataException} naming the file, the field, the value and what was expected.
 */
final class SigMfJson {

  static final String FULL_SCALE_DBM = SigMfMetadata.EXTENSION + ":full_scale_dbm";
  private static final String EXTENSION_VERSION = "1.0.0";
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;

  private SigMfJson(Path file) {
    this.file = file;
  }

  /** Parses the metadata {@code json} read from {@code file}. */
  static SigMfMetadata parse(Path file, byte[] json) {
    return new SigMfJson(file).parse(json);
  }

  private SigMfMetadata parse(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new SigMfMetadataException(
          file,
          "is not valid JSON"
              + where
              + ": "
              + e.getOriginalMessage().lines().findFirst().orElse("")
              + " (expected a SigMF metadata object)",
          e);
    } catch (java.io.IOException e) {
      throw new SigMfMetadataException(file, "cannot be parsed: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new SigMfMetadataException(
          file,
          "",
          "holds "
              + describe(root)
              + " (expected a SigMF metadata object with global, captures and annotations)");
    }
    JsonNode global = object(root, "global", "global", true);
    String datatypeName = string(global, "core:datatype", "global.core:datatype", true);
    SigMfDatatype datatype = SigMfDatatype.byName(datatypeName);
    if (datatype == null) {
      throw fieldError(
          "global.core:datatype",
          "is '" + datatypeName + "' (expected " + SigMfDatatype.supported() + ")");
    }
    double sampleRate = number(global, "core:sample_rate", "global.core:sample_rate");
    if (!(sampleRate > 0) || Double.isInfinite(sampleRate)) {
      throw fieldError(
          "global.core:sample_rate", "is " + sampleRate + " (expected a finite number > 0 of Hz)");
    }
    String version = string(global, "core:version", "global.core:version", true);
    SigMfMetadata.Builder b = SigMfMetadata.builder(datatype, sampleRate).version(version);
    optionalString(global, "core:hw").ifPresent(b::hardware);
    optionalString(global, "core:author").ifPresent(b::author);
    optionalString(global, "core:description").ifPresent(b::description);
    if (global.has("core:geolocation")) {
      b.geolocation(geolocation(global.get("core:geolocation")));
    }
    if (global.has(FULL_SCALE_DBM)) {
      requireExtensionDeclared(global);
      b.fullScaleDbm(number(global, FULL_SCALE_DBM, "global." + FULL_SCALE_DBM));
    }
    JsonNode captures = root.get("captures");
    if (captures != null && !captures.isArray()) {
      throw fieldError("captures", "is " + describe(captures) + " (expected an array)");
    }
    if (captures != null && captures.size() > 0) {
      JsonNode first = captures.get(0);
      if (!first.isObject()) {
        throw fieldError("captures[0]", "is " + describe(first) + " (expected an object)");
      }
      if (first.has("core:frequency")) {
        b.frequencyHz(number(first, "core:frequency", "captures[0].core:frequency"));
      }
      if (first.has("core:datetime")) {
        long sampleStart = sampleStart(first);
        Instant start = datetime(first.get("core:datetime"));
        b.datetime(start.minusNanos(Math.round(sampleStart * NANOS_PER_SECOND / sampleRate)));
      }
    }
    try {
      return b.build();
    } catch (DspException e) {
      throw new SigMfMetadataException(file, e.getMessage(), e);
    }
  }

  private GeoPoint geolocation(JsonNode node) {
    String field = "global.core:geolocation";
    if (!node.isObject() || !"Point".equals(node.path("type").asText(null))) {
      throw fieldError(
          field,
          "is "
              + describe(node)
              + " (expected a GeoJSON Point: {\"type\":\"Point\",\"coordinates\":[lon, lat, alt]})");
    }
    JsonNode coordinates = node.get("coordinates");
    boolean valid = coordinates != null && coordinates.isArray();
    valid = valid && (coordinates.size() == 2 || coordinates.size() == 3);
    for (int i = 0; valid && i < coordinates.size(); i++) {
      valid = coordinates.get(i).isNumber() && Double.isFinite(coordinates.get(i).asDouble());
    }
    double lon = valid ? coordinates.get(0).asDouble() : Double.NaN;
    double lat = valid ? coordinates.get(1).asDouble() : Double.NaN;
    if (!valid || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      throw fieldError(
          field + ".coordinates",
          "is "
              + describe(coordinates)
              + " (expected [longitude, latitude] or [longitude, latitude, altitude] in degrees,"
              + " |lat| <= 90, |lon| <= 180)");
    }
    OptionalDouble altitude =
        coordinates.size() == 3
            ? OptionalDouble.of(coordinates.get(2).asDouble())
            : OptionalDouble.empty();
    return new GeoPoint(lat, lon, altitude);
  }

  private void requireExtensionDeclared(JsonNode global) {
    JsonNode extensions = global.get("core:extensions");
    if (extensions != null && extensions.isArray()) {
      for (JsonNode extension : extensions) {
        if (SigMfMetadata.EXTENSION.equals(extension.path("name").asText(null))) {
          return;
        }
      }
    }
    throw fieldError(
        "global." + FULL_SCALE_DBM,
        "is used but global.core:extensions is "
            + describe(extensions)
            + " (expected it to declare {\"name\":\"heimdall\",\"version\":\"1.0.0\","
            + "\"optional\":true})");
  }

  private long sampleStart(JsonNode capture) {
    JsonNode node = capture.get("core:sample_start");
    if (node == null) {
      return 0;
    }
    if (!node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 0) {
      throw fieldError(
          "captures[0].core:sample_start",
          "is " + describe(node) + " (expected a whole number >= 0)");
    }
    return node.asLong();
  }

  private Instant datetime(JsonNode node) {
    String field = "captures[0].core:datetime";
    if (!node.isTextual()) {
      throw fieldError(field, "is " + describe(node) + " (expected an ISO 8601 UTC string)");
    }
    try {
      // ISO_OFFSET_DATE_TIME reads up to nine fractional digits into the nanosecond field, exactly
      return OffsetDateTime.parse(node.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw fieldError(
          field,
          "is "
              + describe(node)
              + " (expected ISO 8601 UTC with up to nine fractional digits,"
              + " e.g. 2026-01-02T03:04:05.123456789Z)");
    }
  }

  private JsonNode object(JsonNode parent, String name, String field, boolean required) {
    JsonNode node = parent.get(name);
    if (node == null && required) {
      throw fieldError(field, "is missing (expected an object)");
    }
    if (node != null && !node.isObject()) {
      throw fieldError(field, "is " + describe(node) + " (expected an object)");
    }
    return node;
  }

  private String string(JsonNode parent, String name, String field, boolean required) {
    JsonNode node = parent.get(name);
    if (node == null) {
      if (required) {
        throw fieldError(field, "is missing (expected a string)");
      }
      return null;
    }
    if (!node.isTextual()) {
      throw fieldError(field, "is " + describe(node) + " (expected a string)");
    }
    return node.asText();
  }

  private Optional<String> optionalString(JsonNode parent, String name) {
    return Optional.ofNullable(string(parent, name, "global." + name, false));
  }

  private double number(JsonNode parent, String name, String field) {
    JsonNode node = parent.get(name);
    if (node == null) {
      throw fieldError(field, "is missing (expected a number)");
    }
    if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
      throw fieldError(field, "is " + describe(node) + " (expected a finite number)");
    }
    return node.asDouble();
  }

  private SigMfMetadataException fieldError(String field, String problem) {
    return new SigMfMetadataException(file, field, problem);
  }

  /** A short rendering of a JSON value for messages (one line, at most 80 characters). */
  private static String describe(JsonNode node) {
    if (node == null) {
      return "absent";
    }
    String text = node.toString();
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }

  /** The {@code .sigmf-meta} document for {@code metadata}. */
  static byte[] render(SigMfMetadata metadata) {
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode global = root.putObject("global");
    global.put("core:datatype", metadata.datatype().sigmfName());
    global.put("core:sample_rate", metadata.sampleRateHz());
    global.put("core:version", metadata.version());
    metadata.hardware().ifPresent(v -> global.put("core:hw", v));
    metadata.author().ifPresent(v -> global.put("core:author", v));
    metadata.description().ifPresent(v -> global.put("core:description", v));
    metadata
        .geolocation()
        .ifPresent(
            p -> {
              ObjectNode point = global.putObject("core:geolocation");
              point.put("type", "Point");
              ArrayNode coordinates = point.putArray("coordinates");
              coordinates.add(p.longitude()).add(p.latitude());
              p.altitudeMeters().ifPresent(coordinates::add);
            });
    if (metadata.fullScaleDbm().isPresent()) {
      ObjectNode extension = global.putArray("core:extensions").addObject();
      extension.put("name", SigMfMetadata.EXTENSION);
      extension.put("version", EXTENSION_VERSION);
      extension.put("optional", true);
      global.put(FULL_SCALE_DBM, metadata.fullScaleDbm().getAsDouble());
    }
    ObjectNode capture = root.putArray("captures").addObject();
    capture.put("core:sample_start", 0);
    metadata.frequencyHz().ifPresent(v -> capture.put("core:frequency", v));
    // Instant.toString writes every nanosecond digit that is not a trailing zero, in UTC ("Z")
    metadata.datetime().ifPresent(t -> capture.put("core:datetime", t.toString()));
    root.putArray("annotations");
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render SigMF metadata", e);
    }
  }
}
