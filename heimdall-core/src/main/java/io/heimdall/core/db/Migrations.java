package io.heimdall.core.db;

import io.heimdall.core.internal.Checks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Heimdall's versioned schema migrations (Flyway), kept apart from an application's own: the
 * scripts live at {@value #LOCATION} (not Flyway's default {@code db/migration}) and their history
 * at {@value #HISTORY_TABLE} (not {@code flyway_schema_history}), so an application's {@code
 * V1__*.sql} never collides with Heimdall's, even in the same schema.
 *
 * <p>Flyway serialises concurrent runs with a PostgreSQL advisory lock, so several JVMs may migrate
 * at start; each version is applied once. When the schema already holds other tables (an
 * application's) but no Heimdall history, the history starts at a version-0 baseline and every
 * Heimdall migration is applied after it. A schema migrated by earlier releases, which recorded
 * Heimdall's versions in {@code flyway_schema_history}, is adopted at the version it reached.
 *
 * <p>{@link HeimdallDatabase#open(DatabasePool)} runs this for you; call it yourself when
 * migrations run in a separate deployment step and the database is opened with automatic
 * migration off.
 */
public final class Migrations {
  /** Class-path location of Heimdall's migration scripts. */
  public static final String LOCATION = "classpath:io/heimdall/core/db/migration";

  /** Table in the target schema that records which Heimdall migrations were applied. */
  public static final String HISTORY_TABLE = "heimdall_schema_history";

  /** The schema used unless another is configured. */
  public static final String DEFAULT_SCHEMA = "public";

  /** The newest schema version this library ships and needs. */
  public static final String LATEST_VERSION = "4";

  /**
   * The scripts, in order, that releases before the move to {@value #LOCATION} recorded in {@code
   * flyway_schema_history}.
   */
  private static final List<String> LEGACY_SCRIPTS =
      List.of("V1__schema.sql", "V2__task_queue.sql", "V3__cursor_secret.sql");

  /**
   * Lower-case unquoted PostgreSQL identifiers only: they mean the same quoted or not, in Flyway,
   * in {@code search_path} and in the catalog.
   */
  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** Longest wait for another process's concurrent first migration of the same schema. */
  private static final Duration CONCURRENT_START_WAIT = Duration.ofMinutes(2);

  /** Pause between looks at another process's migration in progress. */
  private static final Duration CONCURRENT_START_RETRY = Duration.ofMillis(200);

  private Migrations() {}

  /**
   * Brings the {@value #DEFAULT_SCHEMA} schema up to date; a no-op when it already is.
   *
   * @param dataSource the database; Flyway borrows two connections from it at once
   * @return how many migrations this call applied
   * @throws PersistenceException if a migration fails or the schema history does not match
   */
  public static int migrate(DataSource dataSource) {
    return migrate(dataSource, DEFAULT_SCHEMA);
  }

  /**
   * Brings a schema up to date, creating it if it does not exist; a no-op when it already is.
   *
   * @param dataSource the database; Flyway borrows two connections from it at once
   * @param schema the schema that holds Heimdall's tables and {@value #HISTORY_TABLE}
   * @return how many migrations this call applied
   * @throws io.heimdall.InvalidInputException if the schema is not a lower-case identifier
   * @throws PersistenceException if a migration fails or the schema history does not match
   */
  public static int migrate(DataSource dataSource, String schema) {
    Checks.required("dataSource", dataSource);
    return migrate(Flyway.configure().dataSource(dataSource), schema);
  }

  /**
   * As {@link #migrate(DataSource, String)}, over connections of its own outside any pool (Flyway
   * holds two connections at once, more than a small pool may spare).
   */
  static int migrate(DatabasePool pool, String schema) {
    return migrate(configure(pool), schema);
  }

  /**
   * Checks that a schema is at {@value #LATEST_VERSION} without changing it.
   *
   * @throws SchemaNotMigratedException if migrations are pending or the schema has no Heimdall
   *     history
   */
  static void verify(DatabasePool pool, String schema) {
    MigrationInfoService info =
        run(configure(pool), schema, "0", "reading the Heimdall schema history", Flyway::info);
    MigrationInfo current = info.current();
    int pending = info.pending().length;
    if (current == null || pending > 0) {
      throw new SchemaNotMigratedException(
          "schema '"
              + schema
              + "' is at Heimdall schema version "
              + (current == null ? "none" : current.getVersion().getVersion())
              + " with "
              + pending
              + " migration(s) pending, expected version "
              + LATEST_VERSION
              + "; run Migrations.migrate(dataSource, \""
              + schema
              + "\") first or open with automaticMigration(true)");
    }
  }

  /**
   * Checks a schema name.
   *
   * @param schema the name
   * @return the name
   * @throws io.heimdall.InvalidInputException if it is not a lower-case identifier
   */
  static String checkSchema(String schema) {
    Checks.argument(
        schema != null && SCHEMA_NAME.matcher(schema).matches(),
        "schema must be a lower-case identifier matching %s, got %s",
        SCHEMA_NAME,
        schema == null ? "null" : "'" + schema + "'");
    return schema;
  }

  private static FluentConfiguration configure(DatabasePool pool) {
    return Flyway.configure().dataSource(pool.jdbcUrl(), pool.username(), pool.password());
  }

  private static int migrate(FluentConfiguration configuration, String schema) {
    checkSchema(schema);
    long deadline = System.nanoTime() + CONCURRENT_START_WAIT.toNanos();
    while (true) {
      String baseline = baselineVersion(configuration.getDataSource(), schema);
      try {
        return run(
            configuration, schema, baseline, "migration", f -> f.migrate().migrationsExecuted);
      } catch (PersistenceException e) {
        // Flyway creates its history table before it takes its lock, so a process starting at
        // the same moment as another can find that table empty and refuse to baseline it. The
        // other process holds Flyway's lock and fills the table: ask again once it has.
        if (!(e.getCause() instanceof FlywayException f)
            || f.getMessage() == null
            || !f.getMessage().contains("already exists, and is empty")
            || System.nanoTime() > deadline) {
          throw e;
        }
        sleep(CONCURRENT_START_RETRY);
      }
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PersistenceException("interrupted while waiting for another migration", e);
    }
  }

  /**
   * Where Heimdall's history starts when the schema has tables but no {@value #HISTORY_TABLE}: 0
   * (apply everything) unless the tables are Heimdall's own from the releases that kept their
   * history in {@code flyway_schema_history}; those are adopted at the version they reached.
   */
  private static String baselineVersion(DataSource dataSource, String schema) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet tables =
            s.executeQuery(
                "SELECT to_regclass('\""
                    + schema
                    + "\"."
                    + HISTORY_TABLE
                    + "') IS NULL AND to_regclass('\""
                    + schema
                    + "\".flyway_schema_history') IS NOT NULL")) {
      tables.next();
      if (!tables.getBoolean(1)) {
        return "0";
      }
      Set<String> applied = new HashSet<>();
      try (ResultSet scripts =
          s.executeQuery(
              "SELECT script FROM \"" + schema + "\".flyway_schema_history WHERE success")) {
        while (scripts.next()) {
          applied.add(scripts.getString(1));
        }
      }
      int version = 0;
      while (version < LEGACY_SCRIPTS.size() && applied.contains(LEGACY_SCRIPTS.get(version))) {
        version++;
      }
      return String.valueOf(version);
    } catch (SQLException e) {
      throw SqlErrors.translate(e, e);
    }
  }

  private static <T> T run(
      FluentConfiguration configuration,
      String schema,
      String baseline,
      String what,
      Function<Flyway, T> operation) {
    try {
      return operation.apply(flyway(configuration, schema, baseline));
    } catch (FlywayException e) {
      throw new PersistenceException(
          what + " of schema '" + schema + "' failed: " + SqlErrors.firstLine(e.getMessage()), e);
    }
  }

  private static Flyway flyway(FluentConfiguration configuration, String schema, String baseline) {
    checkSchema(schema);
    return configuration
        .locations(LOCATION)
        .table(HISTORY_TABLE)
        .schemas(schema)
        .defaultSchema(schema)
        .createSchemas(true)
        // An application's tables may already be in the schema: start Heimdall's history at a
        // baseline there (0, so that V1 still runs) instead of refusing a non-empty schema.
        .baselineOnMigrate(true)
        .baselineVersion(baseline)
        .load();
  }
}
