package io.heimdall.core.db;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * Entry point of Heimdall's persistence: a migrated PostgreSQL schema behind a connection pool,
 * with its DAOs, paged queries, bulk ingest, the durable task queue and an EXPLAIN helper. Closing
 * it closes the pool (and the embedded server, if it started one).
 *
 * <pre>{@code
 * try (HeimdallDatabase db = HeimdallDatabase.embedded()) {          // or open(DatabasePool...)
 *     Task task = Task.builder().name("scan").frequenciesMhz(145.5).build();
 *     db.tasks().insert(task);
 *     db.ingest().ingest(measurements);
 *     Page<TaskWithDetails> page = db.queries().tasksWithDetails(QueryFilter.NONE, PageRequest.first(50));
 * }
 * }</pre>
 *
 * <p>Thread-safe: DAOs and helpers borrow a pooled connection per call.
 */
public final class HeimdallDatabase implements AutoCloseable {
  private final DatabasePool pool;
  private final EmbeddedDatabase embedded;
  private final Jdbi jdbi;
  private final TaskDao tasks;
  private final MeasurementDao measurements;
  private final ResultDao results;
  private final StationDao stations;
  private final Queries queries;
  private final MeasurementIngest ingest;
  private final Explain explain;

  private HeimdallDatabase(DatabasePool pool, EmbeddedDatabase embedded, MeterRegistry registry) {
    this.pool = pool;
    this.embedded = embedded;
    Migrations.migrate(pool.jdbcUrl(), pool.username(), pool.password());
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
   * Migrates the schema of the pool's database and opens it. The returned object owns the pool.
   *
   * @param pool an open pool
   * @return the database
   * @throws PersistenceException if the migration fails
   */
  public static HeimdallDatabase open(DatabasePool pool) {
    return open(pool, null);
  }

  /**
   * As {@link #open(DatabasePool)}, timing every DAO call as {@code heimdall.db.calls}.
   *
   * @param pool an open pool
   * @param registry where DAO timers go, or null for none
   * @return the database
   */
  public static HeimdallDatabase open(DatabasePool pool, MeterRegistry registry) {
    return start(pool, null, registry);
  }

  /**
   * One call for a working database: starts an embedded PostgreSQL, pools it and migrates it.
   *
   * @return the database; closing it stops the server
   * @throws DatabaseUnavailableException if the server does not start
   */
  public static HeimdallDatabase embedded() {
    return embedded(null);
  }

  /**
   * As {@link #embedded()}, publishing pool metrics and DAO timers to the registry.
   *
   * @param registry meter registry, or null
   * @return the database; closing it stops the server
   */
  public static HeimdallDatabase embedded(MeterRegistry registry) {
    EmbeddedDatabase server = EmbeddedDatabase.start();
    try {
      return start(server.poolBuilder().meterRegistry(registry).build(), server, registry);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private static HeimdallDatabase start(
      DatabasePool pool, EmbeddedDatabase server, MeterRegistry registry) {
    Objects.requireNonNull(pool, "pool");
    try {
      return new HeimdallDatabase(pool, server, registry);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
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

  /** Closes the pool, then stops the embedded server if this object started it. */
  @Override
  public void close() {
    try {
      pool.close();
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }
}
