package io.heimdall.core.db;

import io.heimdall.core.internal.Checks;
import io.micrometer.core.instrument.MeterRegistry;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * Entry point of Heimdall's persistence: a migrated PostgreSQL schema behind a connection pool,
 * with its DAOs, paged queries, bulk ingest, the durable task queue and an EXPLAIN helper. Closing
 * it closes the pool.
 *
 * <pre>{@code
 * try (HeimdallDatabase db = HeimdallDatabase.open(DatabasePool.builder().jdbcUrl(url).build())) {
 *   Task task = Task.builder().name("scan").frequenciesMhz(145.5).build();
 *   db.tasks().insert(task);
 *   db.ingest().ingest(measurements);
 *   Page<TaskWithDetails> page =
 *       db.queries().tasksWithDetails(QueryFilter.NONE, PageRequest.first(50));
 * }
 * }</pre>
 *
 * <p>{@link #open(DatabasePool)} uses the {@code public} schema and migrates it; {@link
 * #builder(DatabasePool)} chooses another schema, turns automatic migration off (the schema must
 * then be at {@link Migrations#LATEST_VERSION}) or adds a meter registry.
 *
 * <p>Thread-safe: DAOs and helpers borrow a pooled connection per call.
 */
public final class HeimdallDatabase implements AutoCloseable {
  private final DatabasePool pool;
  private final String schema;
  private final Jdbi jdbi;
  private final TaskDao tasks;
  private final MeasurementDao measurements;
  private final ResultDao results;
  private final StationDao stations;
  private final Queries queries;
  private final MeasurementIngest ingest;
  private final Explain explain;

  private HeimdallDatabase(Builder config) {
    this.pool = config.pool;
    this.schema = config.schema;
    if (config.automaticMigration) {
      Migrations.migrate(pool, schema);
    } else {
      Migrations.verify(pool, schema);
    }
    pool.useSchema(schema);
    MeterRegistry registry = config.meterRegistry;
    this.jdbi =
        Jdbi.create(pool::getConnection)
            .installPlugin(new SqlObjectPlugin())
            .installPlugin(new PostgresPlugin());
    Rows.register(jdbi);
    this.tasks = Instrumented.wrap(TaskDao.class, jdbi.onDemand(TaskDao.class), registry);
    this.measurements =
        Instrumented.wrap(MeasurementDao.class, jdbi.onDemand(MeasurementDao.class), registry);
    this.results = Instrumented.wrap(ResultDao.class, jdbi.onDemand(ResultDao.class), registry);
    this.stations = Instrumented.wrap(StationDao.class, jdbi.onDemand(StationDao.class), registry);
    byte[] secret =
        SqlErrors.call(
            () ->
                jdbi.withHandle(
                    h ->
                        h.createQuery(
                                "SELECT value FROM heimdall_settings WHERE name = 'cursor_secret'")
                            .mapTo(byte[].class)
                            .one()));
    this.queries = new Queries(jdbi, new Cursors(secret));
    this.ingest = new MeasurementIngest(jdbi);
    this.explain = new Explain(jdbi);
  }

  /**
   * Migrates the {@code public} schema of the pool's database and opens it. The returned object
   * owns the pool.
   *
   * @param pool an open pool; closed if opening fails
   * @return the database
   * @throws io.heimdall.InvalidInputException if the pool is null
   * @throws PersistenceException if the migration fails
   */
  public static HeimdallDatabase open(DatabasePool pool) {
    return builder(pool).build();
  }

  /**
   * Configures how to open the pool's database: schema, automatic migration, meter registry.
   *
   * @param pool an open pool; the database owns it once opened, and closes it if opening fails
   * @return a builder with the defaults of {@link #open(DatabasePool)}
   * @throws io.heimdall.InvalidInputException if the pool is null
   */
  public static Builder builder(DatabasePool pool) {
    return new Builder(Checks.required("pool", pool));
  }

  /**
   * @return task create/read/update-status/delete
   */
  public TaskDao tasks() {
    return tasks;
  }

  /**
   * @return single-measurement access
   */
  public MeasurementDao measurements() {
    return measurements;
  }

  /**
   * @return result access
   */
  public ResultDao results() {
    return results;
  }

  /**
   * @return station access
   */
  public StationDao stations() {
    return stations;
  }

  /**
   * @return paged, filtered and eager reads
   */
  public Queries queries() {
    return queries;
  }

  /**
   * @return bulk measurement ingest (COPY)
   */
  public MeasurementIngest ingest() {
    return ingest;
  }

  /**
   * @return the task queue with {@link QueueOptions#defaults()}
   */
  public TaskQueue queue() {
    return queue(QueueOptions.defaults());
  }

  /**
   * @param options lease and retry settings
   * @return a task queue over this database
   */
  public TaskQueue queue(QueueOptions options) {
    return new TaskQueue(jdbi, options);
  }

  /**
   * @return the EXPLAIN helper
   */
  public Explain explain() {
    return explain;
  }

  /**
   * @return the configured Jdbi, for queries of your own (its exceptions are Jdbi's)
   */
  public Jdbi jdbi() {
    return jdbi;
  }

  /**
   * @return the connection pool
   */
  public DatabasePool pool() {
    return pool;
  }

  /**
   * The schema that holds Heimdall's tables; every connection of the pool resolves table names
   * there.
   *
   * @return the schema's name
   */
  public String schema() {
    return schema;
  }

  /** Closes the pool; later calls do nothing. */
  @Override
  public void close() {
    pool.close();
  }

  /**
   * How to open a {@link HeimdallDatabase}; every setting is optional. Obtain from {@link
   * HeimdallDatabase#builder(DatabasePool)}.
   */
  public static final class Builder {
    private final DatabasePool pool;
    private String schema = Migrations.DEFAULT_SCHEMA;
    private boolean automaticMigration = true;
    private MeterRegistry meterRegistry;

    private Builder(DatabasePool pool) {
      this.pool = pool;
    }

    /**
     * The schema that holds Heimdall's tables and its migration history ({@value
     * Migrations#HISTORY_TABLE}); created by the migration if it does not exist. Every connection
     * of the pool then resolves unqualified table names in this schema only (its {@code
     * search_path}), so the pool is best kept for Heimdall. Default {@value
     * Migrations#DEFAULT_SCHEMA}.
     *
     * @param schema a lower-case identifier: letters, digits, underscores
     * @return this
     * @throws io.heimdall.InvalidInputException if it is not such an identifier
     */
    public Builder schema(String schema) {
      this.schema = Migrations.checkSchema(schema);
      return this;
    }

    /**
     * Whether opening applies pending migrations (default true). When false, opening only checks
     * that the schema is at {@link Migrations#LATEST_VERSION} and fails with {@link
     * SchemaNotMigratedException} otherwise; use it when migrations run in a deployment step of
     * their own ({@link Migrations#migrate(javax.sql.DataSource, String)}) or when the database
     * user may not change the schema.
     *
     * @param enabled true to migrate on open, false to verify only
     * @return this
     */
    public Builder automaticMigration(boolean enabled) {
      this.automaticMigration = enabled;
      return this;
    }

    /**
     * Where each DAO call is timed, as {@code heimdall.db.calls} tagged with the DAO and method.
     * Default: none. The pool's own metrics are set on {@link DatabasePool.Builder#meterRegistry}.
     *
     * @param registry the registry, or null for none
     * @return this
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * Migrates (or verifies) the schema and opens the database. On failure the pool is closed.
     *
     * @return the open database, which owns the pool
     * @throws SchemaNotMigratedException if automatic migration is off and the schema is not at
     *     {@link Migrations#LATEST_VERSION}
     * @throws PersistenceException if the migration fails or the database cannot be read
     * @throws IllegalStateException if the pool is closed
     */
    public HeimdallDatabase build() {
      Checks.state(!pool.isClosed(), "connection pool '%s' is closed", pool.poolName());
      try {
        return new HeimdallDatabase(this);
      } catch (RuntimeException e) {
        pool.close();
        throw e;
      }
    }
  }
}
