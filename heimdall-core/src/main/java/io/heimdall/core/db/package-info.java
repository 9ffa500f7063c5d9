/**
 * PostgreSQL persistence of Heimdall.
 *
 * <p>Start with {@link io.heimdall.core.db.HeimdallDatabase}: {@code open(DatabasePool)} migrates
 * the {@code public} schema and opens it; {@code builder(DatabasePool)} chooses the schema, turns
 * automatic migration off or adds a meter registry. The Flyway migrations live at {@value
 * io.heimdall.core.db.Migrations#LOCATION} with their own history table, {@value
 * io.heimdall.core.db.Migrations#HISTORY_TABLE}, so they run next to an application's own
 * migrations without clashing (safe from several JVMs at once: Flyway serialises them with an
 * advisory lock):
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
 * <p>Failures are typed and unchecked. Failures of the environment extend {@link
 * io.heimdall.core.db.PersistenceException} (a {@link io.heimdall.HeimdallException}): {@link
 * io.heimdall.core.db.DatabaseUnavailableException}, {@link
 * io.heimdall.core.db.PoolExhaustedException}, {@link io.heimdall.core.db.LeaseLostException},
 * {@link io.heimdall.core.db.SchemaNotMigratedException}. Bad input extends {@link
 * io.heimdall.InvalidInputException}: {@link io.heimdall.core.db.ConstraintViolationException},
 * {@link io.heimdall.core.db.InvalidPageRequestException}, {@link
 * io.heimdall.core.db.InvalidCursorException}, {@link io.heimdall.core.db.UnknownFieldException}.
 * Using a closed database or pool throws {@link IllegalStateException}.
 */
package io.heimdall.core.db;
