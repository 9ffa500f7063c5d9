package io.heimdall.core.db;

import io.heimdall.core.SignalMeasurement;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Single-row access to {@link SignalMeasurement}s; for many rows use {@link
 * HeimdallDatabase#ingest()}. Obtain from {@link HeimdallDatabase#measurements()}.
 */
public interface MeasurementDao {
  /** The insert statement, shared with the batched ingest; a null {@code createdAt} becomes now. */
  String INSERT =
      "INSERT INTO signal_measurements (task_id, station_name, frequency_mhz, signal_strength_dbm,"
          + " bearing_degrees, bearing_uncertainty_degrees, signal_quality, snr_db,"
          + " arrival_time_us, measurement_error_code, created_at) VALUES (:taskId, :stationName,"
          + " :frequencyMhz, :signalStrengthDbm, :bearingDegrees, :bearingUncertaintyDegrees,"
          + " :signalQuality, :snrDb, :arrivalTimeUs, :measurementErrorCode, COALESCE(:createdAt,"
          + " now()))";

  /**
   * @param m the measurement (its id is ignored; a null {@code createdAt} becomes now)
   * @return the generated id
   */
  @SqlUpdate(INSERT)
  @GetGeneratedKeys("id")
  long insert(@BindMethods SignalMeasurement m);

  /**
   * @param taskId a task
   * @return its measurements in insertion order
   */
  @SqlQuery("SELECT * FROM signal_measurements WHERE task_id = :taskId ORDER BY id")
  List<SignalMeasurement> findByTask(@Bind("taskId") UUID taskId);

  /**
   * The original's lookup, served by {@code idx_measurements_station_freq}.
   *
   * @param stationName receiver
   * @param frequencyMhz exact frequency
   * @return matching measurements, newest first
   */
  @SqlQuery(
      "SELECT * FROM signal_measurements WHERE station_name = :station AND frequency_mhz ="
          + " :frequency ORDER BY created_at DESC, id DESC")
  List<SignalMeasurement> findByStationAndFrequency(
      @Bind("station") String stationName, @Bind("frequency") double frequencyMhz);

  /**
   * @param id measurement id
   * @return whether it existed
   */
  @SqlUpdate("DELETE FROM signal_measurements WHERE id = :id")
  boolean delete(@Bind("id") long id);

  /**
   * @param taskId a task
   * @return how many measurements it has
   */
  @SqlQuery("SELECT count(*) FROM signal_measurements WHERE task_id = :taskId")
  long countByTask(@Bind("taskId") UUID taskId);
}
