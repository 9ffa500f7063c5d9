package io.heimdall.core.db;

import io.heimdall.core.SignalMeasurement;
import java.io.DataOutputStream;
import java.io.IOException;
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
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Bulk ingest of measurements: PostgreSQL {@code COPY ... FROM STDIN} through pgjdbc's {@code
 * CopyManager}, or batched {@code INSERT}s where COPY is unavailable. Each call is one transaction:
 * when any row is rejected (e.g. its task does not exist), nothing of the call is stored and a
 * {@link ConstraintViolationException} names the constraint. Measurements without {@code createdAt}
 * are stamped with the call's start time. Obtain from {@link HeimdallDatabase#ingest()}.
 */
public final class MeasurementIngest {
  private static final String COPY =
      "COPY signal_measurements (task_id, station_name, frequency_mhz, signal_strength_dbm,"
          + " bearing_degrees, bearing_uncertainty_degrees, signal_quality, snr_db,"
          + " arrival_time_us, measurement_error_code, created_at) FROM STDIN (FORMAT binary)";
  private static final short COLUMNS = 11;
  private static final byte[] BINARY_SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0
  };

  /** timestamptz travels as microseconds since 2000-01-01 UTC. */
  private static final Instant POSTGRES_EPOCH = Instant.parse("2000-01-01T00:00:00Z");

  private static final int BUFFER_BYTES = 1 << 16;
  private static final int BATCH_ROWS = 1000;

  /** How rows reach the database. */
  public enum Method {
    /**
     * {@code COPY FROM STDIN} in PostgreSQL's binary format: one stream, no text parsing on the
     * server.
     */
    COPY,
    /** Batched prepared {@code INSERT}s, 1,000 rows per round trip. */
    BATCH_INSERT
  }

  private final Jdbi jdbi;

  MeasurementIngest(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Stores the measurements with COPY when the connection is PostgreSQL's, batched inserts
   * otherwise.
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
   * @param method COPY or BATCH_INSERT; null chooses as {@link #ingest(Collection)}
   * @return how many rows were stored
   * @throws ConstraintViolationException if a row breaks a constraint; nothing was stored
   */
  public int ingest(Collection<SignalMeasurement> measurements, Method method) {
    if (measurements.isEmpty()) {
      return 0;
    }
    return SqlErrors.call(() -> jdbi.inTransaction(h -> ingest(h, measurements, method)));
  }

  /**
   * Stores the rows inside the caller's transaction on {@code h}; shared with {@link
   * TaskQueue#complete}.
   */
  static int ingest(Handle h, Collection<SignalMeasurement> measurements, Method method) {
    if (measurements.isEmpty()) {
      return 0;
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    try {
      Method chosen =
          method != null
              ? method
              : h.getConnection().isWrapperFor(PGConnection.class)
                  ? Method.COPY
                  : Method.BATCH_INSERT;
      return chosen == Method.COPY
          ? copy(h.getConnection(), measurements, now)
          : batchInsert(h, measurements, now);
    } catch (SQLException e) {
      throw SqlErrors.translate(e, e);
    }
  }

  private static int copy(Connection connection, Collection<SignalMeasurement> rows, Instant now)
      throws SQLException {
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
    try {
      DataOutputStream out = new DataOutputStream(new PGCopyOutputStream(copy, BUFFER_BYTES));
      out.write(BINARY_SIGNATURE);
      out.writeInt(0); // flags
      out.writeInt(0); // header extension length
      for (SignalMeasurement m : rows) {
        writeRow(out, m, now);
      }
      out.writeShort(-1); // end of data
      out.flush();
      return Math.toIntExact(copy.endCopy());
    } catch (IOException e) {
      // PGCopyOutputStream reports the server's rejection as an IOException around the
      // SQLException.
      if (e.getCause() instanceof SQLException) {
        throw (SQLException) e.getCause();
      }
      throw new PersistenceException("COPY of measurements failed: " + e.getMessage(), e);
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  /**
   * One tuple of PostgreSQL's binary COPY format: field count, then each field as length + bytes
   * (-1 = NULL).
   */
  private static void writeRow(DataOutputStream out, SignalMeasurement m, Instant now)
      throws IOException {
    out.writeShort(COLUMNS);
    out.writeInt(16);
    out.writeLong(m.taskId().getMostSignificantBits());
    out.writeLong(m.taskId().getLeastSignificantBits());
    text(out, m.stationName());
    float8(out, m.frequencyMhz());
    float8(out, m.signalStrengthDbm());
    float8(out, m.bearingDegrees());
    float8(out, m.bearingUncertaintyDegrees());
    float8(out, m.signalQuality());
    float8(out, m.snrDb());
    if (m.arrivalTimeUs() == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(8);
      out.writeLong(m.arrivalTimeUs());
    }
    text(out, m.measurementErrorCode());
    Instant createdAt = m.createdAt() == null ? now : m.createdAt();
    out.writeInt(8);
    out.writeLong(ChronoUnit.MICROS.between(POSTGRES_EPOCH, createdAt));
  }

  private static void text(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static void float8(DataOutputStream out, Double v) throws IOException {
    if (v == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(8);
    out.writeDouble(v);
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
