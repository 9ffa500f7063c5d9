package io.heimdall.core.db;

import io.heimdall.core.Station;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Access to the WebSDR receivers. Obtain from {@link HeimdallDatabase#stations()}. */
public interface StationDao {
  /**
   * Inserts the station, or updates every field of an existing one with the same id (keeping its
   * {@code created_at}, stamping {@code updated_at}).
   *
   * @param station the station
   */
  @SqlUpdate(
      "INSERT INTO websdr_stations (id, name, url, latitude, longitude, altitude_m,"
          + " frequency_min_mhz, frequency_max_mhz, status, is_trusted, created_at, updated_at)"
          + " VALUES (:id, :name, :url, :latitude, :longitude, :altitudeM, :frequencyMinMhz,"
          + " :frequencyMaxMhz, :status, :trusted, :createdAt, :updatedAt) ON CONFLICT (id) DO"
          + " UPDATE SET name = excluded.name, url = excluded.url, latitude = excluded.latitude,"
          + " longitude = excluded.longitude, altitude_m = excluded.altitude_m, frequency_min_mhz ="
          + " excluded.frequency_min_mhz, frequency_max_mhz = excluded.frequency_max_mhz, status ="
          + " excluded.status, is_trusted = excluded.is_trusted, updated_at = now()")
  void upsert(@BindMethods Station station);

  /**
   * @param id station id
   * @return the station, or empty
   */
  @SqlQuery("SELECT * FROM websdr_stations WHERE id = :id")
  Optional<Station> findById(@Bind("id") String id);

  /**
   * @return every station, by id
   */
  @SqlQuery("SELECT * FROM websdr_stations ORDER BY id")
  List<Station> findAll();

  /**
   * @param id station id
   * @return whether it existed
   */
  @SqlUpdate("DELETE FROM websdr_stations WHERE id = :id")
  boolean delete(@Bind("id") String id);
}
