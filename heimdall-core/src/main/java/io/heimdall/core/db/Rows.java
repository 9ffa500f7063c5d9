package io.heimdall.core.db;

import io.heimdall.core.DbValue;
import io.heimdall.core.Priority;
import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Station;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskStatus;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.postgresql.PGResultSetMetaData;
import org.postgresql.core.Field;

/** Row mappers and argument bindings between the schema and the domain records. */
final class Rows {
  /** 2000-01-01T00:00:00Z, PostgreSQL's epoch for binary timestamps, in Unix seconds. */
  private static final long POSTGRES_EPOCH_SECOND = 946_684_800L;

  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  static final RowMapper<Task> TASK =
      new ByName<>(
          new String[] {
            "id",
            "user_id",
            "status",
            "frequencies",
            "duration_seconds",
            "bandwidth_hz",
            "name",
            "priority",
            "created_at",
            "started_at",
            "completed_at",
            "error_message"
          },
          (rs, c) ->
              new Task(
                  rs.getObject(c.at(0), UUID.class),
                  rs.getString(c.at(1)),
                  TaskStatus.fromDb(rs.getString(c.at(2))),
                  doubles(rs.getArray(c.at(3))),
                  integer(rs, c.at(4)),
                  integer(rs, c.at(5)),
                  rs.getString(c.at(6)),
                  Priority.fromDb(rs.getString(c.at(7))),
                  c.instant(rs, 8),
                  c.instant(rs, 9),
                  c.instant(rs, 10),
                  rs.getString(c.at(11))));

  static final RowMapper<SignalMeasurement> MEASUREMENT =
      new ByName<>(
          new String[] {
            "id",
            "task_id",
            "station_name",
            "frequency_mhz",
            "signal_strength_dbm",
            "bearing_degrees",
            "bearing_uncertainty_degrees",
            "signal_quality",
            "snr_db",
            "arrival_time_us",
            "measurement_error_code",
            "created_at"
          },
          (rs, c) ->
              new SignalMeasurement(
                  rs.getLong(c.at(0)),
                  rs.getObject(c.at(1), UUID.class),
                  rs.getString(c.at(2)),
                  rs.getDouble(c.at(3)),
                  decimal(rs, c.at(4)),
                  decimal(rs, c.at(5)),
                  decimal(rs, c.at(6)),
                  decimal(rs, c.at(7)),
                  decimal(rs, c.at(8)),
                  rs.getObject(c.at(9), Long.class),
                  rs.getString(c.at(10)),
                  c.instant(rs, 11)));

  static final RowMapper<TaskResult> RESULT =
      new ByName<>(
          new String[] {
            "id",
            "task_id",
            "status",
            "latitude",
            "longitude",
            "altitude_m",
            "latitude_uncertainty_m",
            "longitude_uncertainty_m",
            "confidence",
            "covariance_ee_m2",
            "covariance_en_m2",
            "covariance_nn_m2",
            "region_level",
            "algorithm_version",
            "processing_time_ms",
            "stations_used",
            "measurements_used",
            "created_at"
          },
          (rs, c) ->
              new TaskResult(
                  rs.getObject(c.at(0), UUID.class),
                  rs.getObject(c.at(1), UUID.class),
                  rs.getString(c.at(2)),
                  decimal(rs, c.at(3)),
                  decimal(rs, c.at(4)),
                  decimal(rs, c.at(5)),
                  decimal(rs, c.at(6)),
                  decimal(rs, c.at(7)),
                  decimal(rs, c.at(8)),
                  decimal(rs, c.at(9)),
                  decimal(rs, c.at(10)),
                  decimal(rs, c.at(11)),
                  decimal(rs, c.at(12)),
                  rs.getString(c.at(13)),
                  integer(rs, c.at(14)),
                  integer(rs, c.at(15)),
                  integer(rs, c.at(16)),
                  c.instant(rs, 17)));

  static final RowMapper<Station> STATION =
      new ByName<>(
          new String[] {
            "id",
            "name",
            "url",
            "latitude",
            "longitude",
            "altitude_m",
            "frequency_min_mhz",
            "frequency_max_mhz",
            "status",
            "is_trusted",
            "created_at",
            "updated_at"
          },
          (rs, c) ->
              new Station(
                  rs.getString(c.at(0)),
                  rs.getString(c.at(1)),
                  rs.getString(c.at(2)),
                  rs.getDouble(c.at(3)),
                  rs.getDouble(c.at(4)),
                  decimal(rs, c.at(5)),
                  decimal(rs, c.at(6)),
                  decimal(rs, c.at(7)),
                  rs.getString(c.at(8)),
                  rs.getBoolean(c.at(9)),
                  c.instant(rs, 10),
                  c.instant(rs, 11)));

  /** Reads a row given the positions of the mapper's columns. */
  @FunctionalInterface
  interface PositionalReader<T> {
    T read(ResultSet rs, Columns c) throws SQLException;
  }

  /**
   * The positions of a mapper's columns in one result set, and which of them are timestamps the
   * server sent in binary: those are decoded here from their eight bytes (microseconds since
   * 2000-01-01 UTC) rather than through pgjdbc's {@code OffsetDateTime} parsing, which allocates
   * several objects per value; eager loading reads thousands of timestamps per page.
   */
  static final class Columns {
    private final int[] positions;
    private final boolean[] binaryTimestamp;

    private Columns(int[] positions, boolean[] binaryTimestamp) {
      this.positions = positions;
      this.binaryTimestamp = binaryTimestamp;
    }

    int at(int column) {
      return positions[column];
    }

    Instant instant(ResultSet rs, int column) throws SQLException {
      int position = positions[column];
      if (binaryTimestamp[column]) {
        byte[] raw = rs.getBytes(position);
        if (raw == null) {
          return null;
        }
        long micros =
            raw.length == Long.BYTES ? (long) BIG_ENDIAN_LONG.get(raw, 0) : Long.MAX_VALUE;
        // ±infinity (and anything unexpected) keep pgjdbc's own mapping.
        if (micros != Long.MAX_VALUE && micros != Long.MIN_VALUE) {
          return Instant.ofEpochSecond(
              POSTGRES_EPOCH_SECOND + Math.floorDiv(micros, 1_000_000L),
              Math.floorMod(micros, 1_000_000L) * 1_000L);
        }
      }
      return Rows.instant(rs, position);
    }
  }

  /**
   * Maps by column name, resolving the names to positions once per result set (Jdbi calls {@link
   * #specialize}) rather than once per row and column: eager loading maps thousands of rows.
   */
  static final class ByName<T> implements RowMapper<T> {
    private final String[] columns;
    private final PositionalReader<T> reader;

    ByName(String[] columns, PositionalReader<T> reader) {
      this.columns = columns;
      this.reader = reader;
    }

    @Override
    public T map(ResultSet rs, StatementContext ctx) throws SQLException {
      return reader.read(rs, columns(rs));
    }

    @Override
    public RowMapper<T> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
      Columns resolved = columns(rs);
      return (row, context) -> reader.read(row, resolved);
    }

    private Columns columns(ResultSet rs) throws SQLException {
      int[] positions = new int[columns.length];
      boolean[] binaryTimestamp = new boolean[columns.length];
      ResultSetMetaData meta = rs.getMetaData();
      PGResultSetMetaData pg =
          meta.isWrapperFor(PGResultSetMetaData.class)
              ? meta.unwrap(PGResultSetMetaData.class)
              : null;
      for (int i = 0; i < columns.length; i++) {
        positions[i] = rs.findColumn(columns[i]);
        // Every column of the schema named *_at is a timestamptz (RowsTest checks the schema);
        // not asked of pgjdbc, whose getColumnTypeName may query the catalog.
        binaryTimestamp[i] =
            pg != null
                && columns[i].endsWith("_at")
                && pg.getFormat(positions[i]) == Field.BINARY_FORMAT;
      }
      return new Columns(positions, binaryTimestamp);
    }
  }

  private Rows() {}

  /**
   * Registers the mappers and the bindings of enums (their {@link DbValue#dbValue()}) and instants (timestamptz in UTC).
   */
  static void register(Jdbi jdbi) {
    jdbi.registerRowMapper(Task.class, TASK);
    jdbi.registerRowMapper(SignalMeasurement.class, MEASUREMENT);
    jdbi.registerRowMapper(TaskResult.class, RESULT);
    jdbi.registerRowMapper(Station.class, STATION);
    // TaskStatus, Priority: bound as their dbValue(), the form their columns store.
    jdbi.registerArgument(
        new AbstractArgumentFactory<DbValue>(Types.VARCHAR) {
          @Override
          protected Argument build(DbValue value, ConfigRegistry config) {
            return (position, statement, ctx) -> statement.setString(position, value.dbValue());
          }
        });
    jdbi.registerArgument(
        new AbstractArgumentFactory<Instant>(Types.TIMESTAMP_WITH_TIMEZONE) {
          @Override
          protected Argument build(Instant value, ConfigRegistry config) {
            return (position, statement, ctx) -> statement.setObject(position, utc(value));
          }
        });
  }

  static OffsetDateTime utc(Instant value) {
    return value == null ? null : value.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    return instant(rs, rs.findColumn(column));
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static Double decimal(ResultSet rs, String column) throws SQLException {
    return decimal(rs, rs.findColumn(column));
  }

  static Double decimal(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  static Integer integer(ResultSet rs, String column) throws SQLException {
    return integer(rs, rs.findColumn(column));
  }

  static Integer integer(ResultSet rs, int column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  private static List<Double> doubles(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    try {
      return Arrays.asList((Double[]) array.getArray());
    } finally {
      array.free();
    }
  }
}
