package io.heimdall.core.db;

import io.heimdall.core.TaskResult;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Access to {@link TaskResult}s (at most one per task). Obtain from {@link
 * HeimdallDatabase#results()}; to store a result and complete its task together use {@link
 * TaskQueue#complete}.
 */
public interface ResultDao {
  /** The insert statement, shared with the task queue. */
  String INSERT =
      "INSERT INTO task_results (id, task_id, status, latitude, longitude, altitude_m,"
          + " latitude_uncertainty_m, longitude_uncertainty_m, confidence, covariance_ee_m2,"
          + " covariance_en_m2, covariance_nn_m2, region_level, algorithm_version,"
          + " processing_time_ms, stations_used, measurements_used, created_at) VALUES (:id,"
          + " :taskId, :status, :latitude, :longitude, :altitudeM, :latitudeUncertaintyM,"
          + " :longitudeUncertaintyM, :confidence, :covarianceEeM2, :covarianceEnM2,"
          + " :covarianceNnM2, :regionLevel, :algorithmVersion, :processingTimeMs,"
          + " :stationsUsed, :measurementsUsed, :createdAt)";

  /**
   * @param result the result; a second result for the same task violates {@code
   *     task_results_task_id_key}
   */
  @SqlUpdate(INSERT)
  void insert(@BindMethods TaskResult result);

  /**
   * @param taskId a task
   * @return its result, or empty
   */
  @SqlQuery("SELECT * FROM task_results WHERE task_id = :taskId")
  Optional<TaskResult> findByTask(@Bind("taskId") UUID taskId);

  /**
   * @param id result id
   * @return the result, or empty
   */
  @SqlQuery("SELECT * FROM task_results WHERE id = :id")
  Optional<TaskResult> findById(@Bind("id") UUID id);

  /**
   * @param id result id
   * @return whether it existed
   */
  @SqlUpdate("DELETE FROM task_results WHERE id = :id")
  boolean delete(@Bind("id") UUID id);
}
