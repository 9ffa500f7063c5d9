package io.heimdall.core.db;

import io.heimdall.core.DbValue;
import io.heimdall.core.internal.Checks;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The allow-list of result fields a caller may select. {@link #fieldName()} is both the API name
 * and the column: only these identifiers ever reach SQL.
 */
public enum ResultField implements DbValue {
  /** Result id (UUID). */
  ID(Kind.UUID),
  /** Task id (UUID). */
  TASK_ID(Kind.UUID),
  /** Outcome label (String). */
  STATUS(Kind.TEXT),
  /** Degrees (Double). */
  LATITUDE(Kind.DOUBLE),
  /** Degrees (Double). */
  LONGITUDE(Kind.DOUBLE),
  /** Metres (Double). */
  ALTITUDE_M(Kind.DOUBLE),
  /** Metres (Double). */
  LATITUDE_UNCERTAINTY_M(Kind.DOUBLE),
  /** Metres (Double). */
  LONGITUDE_UNCERTAINTY_M(Kind.DOUBLE),
  /** In [0, 1] (Double). */
  CONFIDENCE(Kind.DOUBLE),
  /** East/east covariance term, metres² (Double). */
  COVARIANCE_EE_M2(Kind.DOUBLE),
  /** East/north covariance term, metres² (Double). */
  COVARIANCE_EN_M2(Kind.DOUBLE),
  /** North/north covariance term, metres² (Double). */
  COVARIANCE_NN_M2(Kind.DOUBLE),
  /** Level of the region the confidence refers to (Double). */
  REGION_LEVEL(Kind.DOUBLE),
  /** Localiser version (String). */
  ALGORITHM_VERSION(Kind.TEXT),
  /** Milliseconds (Integer). */
  PROCESSING_TIME_MS(Kind.INT),
  /** Count (Integer). */
  STATIONS_USED(Kind.INT),
  /** Count (Integer). */
  MEASUREMENTS_USED(Kind.INT),
  /** Creation time (Instant). */
  CREATED_AT(Kind.INSTANT);

  private enum Kind {
    UUID,
    TEXT,
    DOUBLE,
    INT,
    INSTANT
  }

  private final Kind kind;

  ResultField(Kind kind) {
    this.kind = kind;
  }

  /**
   * @return the field's API name, which is also its column name, e.g. {@code
   *     latitude_uncertainty_m}
   */
  public String fieldName() {
    return dbValue();
  }

  /**
   * Resolves field names from a request (e.g. {@code ?fields=latitude,longitude}).
   *
   * @param names field names, case-insensitive, surrounding blanks ignored
   * @return the fields, in declaration order
   * @throws UnknownFieldException naming the first unknown name and listing the allowed ones
   */
  public static Set<ResultField> parse(Collection<String> names) {
    Checks.argument(
        !names.isEmpty(),
        UnknownFieldException::new,
        "no result fields requested; allowed: %s",
        allowedNames());
    EnumSet<ResultField> fields = EnumSet.noneOf(ResultField.class);
    for (String raw : names) {
      String name = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
      fields.add(
          Arrays.stream(values())
              .filter(f -> f.fieldName().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new UnknownFieldException(
                          "unknown result field '" + raw + "'; allowed: " + allowedNames())));
    }
    return fields;
  }

  /**
   * @param commaSeparated e.g. {@code "latitude,longitude,confidence"}
   * @return the fields
   * @throws UnknownFieldException naming the first unknown name and listing the allowed ones
   */
  public static Set<ResultField> parse(String commaSeparated) {
    return parse(Arrays.asList(commaSeparated.split(",", -1)));
  }

  /**
   * @return the allowed names, comma-separated
   */
  public static String allowedNames() {
    return Arrays.stream(values()).map(ResultField::fieldName).collect(Collectors.joining(", "));
  }

  Object read(ResultSet rs) throws SQLException {
    String column = fieldName();
    switch (kind) {
      case UUID:
        return rs.getObject(column, UUID.class);
      case TEXT:
        return rs.getString(column);
      case DOUBLE:
        return Rows.decimal(rs, column);
      case INT:
        return Rows.integer(rs, column);
      default:
        return Rows.instant(rs, column);
    }
  }
}
