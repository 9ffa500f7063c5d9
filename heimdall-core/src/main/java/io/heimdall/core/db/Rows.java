package io.heimdall.core.db;

import io.heimdall.core.Priority;
import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Station;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskStatus;
import java.sql.Array;
import java.sql.ResultSet;
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

/** Row mappers and argument bindings between the schema and the domain records. */
final class Rows {
    static final RowMapper<Task> TASK = (rs, ctx) -> new Task(
            rs.getObject("id", UUID.class),
            rs.getString("user_id"),
            TaskStatus.fromDb(rs.getString("status")),
            doubles(rs.getArray("frequencies")),
            integer(rs, "duration_seconds"),
            integer(rs, "bandwidth_hz"),
            rs.getString("name"),
            Priority.fromDb(rs.getString("priority")),
            instant(rs, "created_at"),
            instant(rs, "started_at"),
            instant(rs, "completed_at"),
            rs.getString("error_message"));

    static final RowMapper<SignalMeasurement> MEASUREMENT = (rs, ctx) -> new SignalMeasurement(
            rs.getLong("id"),
            rs.getObject("task_id", UUID.class),
            rs.getString("station_name"),
            rs.getDouble("frequency_mhz"),
            decimal(rs, "signal_strength_dbm"),
            decimal(rs, "bearing_degrees"),
            decimal(rs, "bearing_uncertainty_degrees"),
            decimal(rs, "signal_quality"),
            decimal(rs, "snr_db"),
            rs.getObject("arrival_time_us", Long.class),
            rs.getString("measurement_error_code"),
            instant(rs, "created_at"));

    static final RowMapper<TaskResult> RESULT = (rs, ctx) -> new TaskResult(
            rs.getObject("id", UUID.class),
            rs.getObject("task_id", UUID.class),
            rs.getString("status"),
            decimal(rs, "latitude"),
            decimal(rs, "longitude"),
            decimal(rs, "altitude_m"),
            decimal(rs, "latitude_uncertainty_m"),
            decimal(rs, "longitude_uncertainty_m"),
            decimal(rs, "confidence"),
            rs.getString("algorithm_version"),
            integer(rs, "processing_time_ms"),
            integer(rs, "stations_used"),
            integer(rs, "measurements_used"),
            instant(rs, "created_at"));

    static final RowMapper<Station> STATION = (rs, ctx) -> new Station(
            rs.getString("id"),
            rs.getString("name"),
            rs.getString("url"),
            rs.getDouble("latitude"),
            rs.getDouble("longitude"),
            decimal(rs, "altitude_m"),
            decimal(rs, "frequency_min_mhz"),
            decimal(rs, "frequency_max_mhz"),
            rs.getString("status"),
            rs.getBoolean("is_trusted"),
            instant(rs, "created_at"),
            instant(rs, "updated_at"));

    private Rows() {
    }

    /** Registers the mappers and the bindings of enums (lower-case) and instants (timestamptz in UTC). */
    static void register(Jdbi jdbi) {
        jdbi.registerRowMapper(Task.class, TASK);
        jdbi.registerRowMapper(SignalMeasurement.class, MEASUREMENT);
        jdbi.registerRowMapper(TaskResult.class, RESULT);
        jdbi.registerRowMapper(Station.class, STATION);
        jdbi.registerArgument(new AbstractArgumentFactory<TaskStatus>(Types.VARCHAR) {
            @Override
            protected Argument build(TaskStatus value, ConfigRegistry config) {
                return (position, statement, ctx) -> statement.setString(position, value.dbValue());
            }
        });
        jdbi.registerArgument(new AbstractArgumentFactory<Priority>(Types.VARCHAR) {
            @Override
            protected Argument build(Priority value, ConfigRegistry config) {
                return (position, statement, ctx) -> statement.setString(position, value.dbValue());
            }
        });
        jdbi.registerArgument(new AbstractArgumentFactory<Instant>(Types.TIMESTAMP_WITH_TIMEZONE) {
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
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Double decimal(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    static Integer integer(ResultSet rs, String column) throws SQLException {
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
