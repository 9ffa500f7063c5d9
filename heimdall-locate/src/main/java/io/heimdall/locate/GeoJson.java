package io.heimdall.locate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes located transmissions as one GeoJSON (RFC 7946) FeatureCollection: per transmission a
 * Point at the estimate ({@code "kind": "estimate"}) and a Polygon of its region at the region's
 * level ({@code "kind": "region"}), both carrying the transmission's label and the estimate's
 * figures as properties. Coordinates are {@code [longitude, latitude]} in WGS84 degrees.
 */
public final class GeoJson {

  /** Distinct vertices of each region polygon. */
  public static final int REGION_VERTICES = 72;

  private static final JsonFactory JSON = new JsonFactory();

  private GeoJson() {}

  /**
   * Writes the collection.
   *
   * @param located the transmissions, in the order their features appear
   * @param out where to write (not closed)
   * @throws IOException if writing fails
   */
  public static void write(List<Located> located, Writer out) throws IOException {
    JsonGenerator json = JSON.createGenerator(out);
    json.writeStartObject();
    json.writeStringField("type", "FeatureCollection");
    json.writeArrayFieldStart("features");
    for (Located one : located) {
      LocationEstimate e = one.estimate();
      json.writeStartObject();
      json.writeStringField("type", "Feature");
      json.writeObjectFieldStart("geometry");
      json.writeStringField("type", "Point");
      json.writeArrayFieldStart("coordinates");
      json.writeNumber(e.longitude());
      json.writeNumber(e.latitude());
      json.writeEndArray();
      json.writeEndObject();
      json.writeObjectFieldStart("properties");
      json.writeStringField("transmission", one.transmission());
      json.writeStringField("kind", "estimate");
      json.writeStringField("method", e.method().id());
      json.writeArrayFieldStart("covariance_m2");
      for (double[] row : e.covariance().toArray()) {
        json.writeArray(row, 0, 2);
      }
      json.writeEndArray();
      json.writeNumberField("bound_m", e.boundM());
      json.writeNumberField("receivers", e.receivers());
      json.writeEndObject();
      json.writeEndObject();

      json.writeStartObject();
      json.writeStringField("type", "Feature");
      json.writeObjectFieldStart("geometry");
      json.writeStringField("type", "Polygon");
      json.writeArrayFieldStart("coordinates");
      json.writeStartArray();
      for (double[] point : one.regionOutline(REGION_VERTICES)) {
        json.writeStartArray();
        json.writeNumber(point[1]);
        json.writeNumber(point[0]);
        json.writeEndArray();
      }
      json.writeEndArray();
      json.writeEndArray();
      json.writeEndObject();
      json.writeObjectFieldStart("properties");
      json.writeStringField("transmission", one.transmission());
      json.writeStringField("kind", "region");
      json.writeStringField("method", e.method().id());
      Region region = e.region();
      json.writeNumberField("level", region.level());
      json.writeNumberField("semi_major_m", region.semiMajorM());
      json.writeNumberField("semi_minor_m", region.semiMinorM());
      json.writeNumberField("orientation_deg", region.orientationDeg());
      if (e.calibrated()) {
        json.writeNumberField("confidence", e.confidence());
      } else {
        json.writeNullField("confidence");
      }
      json.writeEndObject();
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
    json.flush();
  }
}
