package io.heimdall.core.db;

import io.heimdall.core.SignalMeasurement;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Bulk ingest of measurements: PostgreSQL {@code COPY ... FROM STDIN} through pgjdbc's
 * {@code CopyManager}, or batched {@code INSERT}s where COPY is unavailable. Each call is one
 * transaction: when any row is rejected (e.g. its task does not exist), nothing of the call is
 * stored and a {@link ConstraintViolationException} names the constraint. Measurements without
 * {@code createdAt} are stamped with the call's start time. Obtain from {@link HeimdallDatabase#ingest()}.
 */
public final class MeasurementIngest {
    private static final String COPY = "COPY signal_measurements (task_id, station_name, frequency_mhz,"
            + " signal_strength_dbm, bearing_degrees, bearing_uncertainty_degrees, signal_quality, snr_db,"
            + " arrival_time_us, measurement_error_code, created_at) FROM STDIN (FORMAT csv)";
    private static final int CHUNK_CHARS = 1 << 16;
    private static final int BATCH_ROWS = 1000;

    /** How rows reach the database. */
    public enum Method {
        /** {@code COPY FROM STDIN} in CSV: one round trip stream. */
        COPY,
        /** Batched prepared {@code INSERT}s, 1,000 rows per round trip. */
        BATCH_INSERT
    }

    private final Jdbi jdbi;

    MeasurementIngest(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Stores the measurements with COPY when the connection is PostgreSQL's, batched inserts otherwise.
     *
     * @param measurements rows to store (ids ignored)
     * @return how many rows were stored
     * @throws ConstraintViolationException if a row breaks a constraint; nothing was stored
     */
    public int ingest(Collection<SignalMeasurement> measurements) {
        return ingest(measurements, null);
    }

    /**
     * Stores the measurements with the given method.
     *
     * @param measurements rows to store (ids ignored)
     * @param method       COPY or BATCH_INSERT; null chooses as {@link #ingest(Collection)}
     * @return how many rows were stored
     * @throws ConstraintViolationException if a row breaks a constraint; nothing was stored
     */
    public int ingest(Collection<SignalMeasurement> measurements, Method method) {
        if (measurements.isEmpty()) {
            return 0;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return SqlErrors.call(() -> jdbi.inTransaction(h -> {
            try {
                Method chosen = method != null ? method
                        : h.getConnection().isWrapperFor(PGConnection.class) ? Method.COPY : Method.BATCH_INSERT;
                return chosen == Method.COPY ? copy(h.getConnection(), measurements, now)
                        : batchInsert(h, measurements, now);
            } catch (SQLException e) {
                throw SqlErrors.translate(e, e);
            }
        }));
    }

    private static int copy(Connection connection, Collection<SignalMeasurement> rows, Instant now)
            throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
        try {
            StringBuilder csv = new StringBuilder(CHUNK_CHARS + 1024);
            for (SignalMeasurement m : rows) {
                appendCsv(csv, m, now);
                if (csv.length() >= CHUNK_CHARS) {
                    write(copy, csv);
                }
            }
            write(copy, csv);
            return Math.toIntExact(copy.endCopy());
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static void write(CopyIn copy, StringBuilder csv) throws SQLException {
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        csv.setLength(0);
    }

    private static void appendCsv(StringBuilder out, SignalMeasurement m, Instant now) {
        out.append(m.taskId()).append(',');
        quoted(out, m.stationName()).append(',');
        out.append(m.frequencyMhz()).append(',');
        value(out, m.signalStrengthDbm()).append(',');
        value(out, m.bearingDegrees()).append(',');
        value(out, m.bearingUncertaintyDegrees()).append(',');
        value(out, m.signalQuality()).append(',');
        value(out, m.snrDb()).append(',');
        value(out, m.arrivalTimeUs()).append(',');
        if (m.measurementErrorCode() != null) {
            quoted(out, m.measurementErrorCode());
        }
        out.append(',').append(m.createdAt() == null ? now : m.createdAt()).append('\n');
    }

    /** In CSV COPY an unquoted empty field is NULL; strings are always quoted so "" stays an empty string. */
    private static StringBuilder quoted(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        return out.append('"');
    }

    private static StringBuilder value(StringBuilder out, Object v) {
        return v == null ? out : out.append(v);
    }

    private static int batchInsert(Handle h, Collection<SignalMeasurement> rows, Instant now) {
        int stored = 0;
        PreparedBatch batch = h.prepareBatch(MeasurementDao.INSERT);
        for (SignalMeasurement m : rows) {
            batch.bindMethods(m.createdAt() == null ? m.withCreatedAt(now) : m).add();
            if (batch.size() == BATCH_ROWS) {
                stored += sum(batch.execute());
                batch = h.prepareBatch(MeasurementDao.INSERT);
            }
        }
        if (batch.size() > 0) {
            stored += sum(batch.execute());
        }
        return stored;
    }

    private static int sum(int[] counts) {
        int total = 0;
        for (int c : counts) {
            // With reWriteBatchedInserts the driver reports SUCCESS_NO_INFO (-2) per row.
            total += c < 0 ? 1 : c;
        }
        return total;
    }
}
