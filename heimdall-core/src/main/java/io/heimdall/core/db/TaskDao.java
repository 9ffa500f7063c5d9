package io.heimdall.core.db;

import io.heimdall.core.Task;
import io.heimdall.core.TaskStatus;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Create, read, update status and delete of {@link Task}s. Obtain from {@link
 * HeimdallDatabase#tasks()}; constraint violations surface as {@link ConstraintViolationException}.
 */
public interface TaskDao {
  /** The insert statement shared by {@link #insert} and {@link #insertAll}. */
  String INSERT =
      "INSERT INTO tasks (id, user_id, status, frequencies, duration_seconds, bandwidth_hz, name,"
          + " priority, created_at, started_at, completed_at, error_message) VALUES (:id, :userId,"
          + " :status, :frequenciesMhz, :durationSeconds, :bandwidthHz, :name, :priority,"
          + " :createdAt, :startedAt, :completedAt, :errorMessage)";

  /**
   * @param task the task to store
   */
  @SqlUpdate(INSERT)
  void insert(@BindMethods Task task);

  /**
   * @param tasks tasks to store in one batch
   */
  @SqlBatch(INSERT)
  void insertAll(@BindMethods Collection<Task> tasks);

  /**
   * @param id task id
   * @return the task, or empty
   */
  @SqlQuery("SELECT * FROM tasks WHERE id = :id")
  Optional<Task> findById(@Bind("id") UUID id);

  /**
   * Sets the status; {@code started_at} is stamped on processing, {@code completed_at} on
   * completed, failed and cancelled.
   *
   * @param id task id
   * @param status the new status
   * @return whether the task exists
   */
  @SqlUpdate(
      "UPDATE tasks SET status = :status, started_at = CASE WHEN :status = 'processing' THEN now()"
          + " ELSE started_at END, completed_at = CASE WHEN :status IN ('completed', 'failed',"
          + " 'cancelled') THEN now() ELSE completed_at END WHERE id = :id")
  boolean updateStatus(@Bind("id") UUID id, @Bind("status") TaskStatus status);

  /**
   * Deletes the task with its result and measurements (ON DELETE CASCADE).
   *
   * @param id task id
   * @return whether it existed
   */
  @SqlUpdate("DELETE FROM tasks WHERE id = :id")
  boolean delete(@Bind("id") UUID id);

  /**
   * @param status a status
   * @return how many tasks have it
   */
  @SqlQuery("SELECT count(*) FROM tasks WHERE status = :status")
  long countByStatus(@Bind("status") TaskStatus status);
}
