package io.heimdall.core.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the versioned schema migrations in {@code classpath:db/migration}. Flyway serialises
 * concurrent runs with a PostgreSQL advisory lock, so several JVMs may call this at start.
 */
public final class Migrations {
  private Migrations() {}

  /**
   * Brings the schema up to date; a no-op when it already is.
   *
   * @param dataSource the database
   * @return how many migrations this call applied
   * @throws PersistenceException if a migration fails or the schema history does not match
   */
  public static int migrate(DataSource dataSource) {
    return run(Flyway.configure().dataSource(dataSource));
  }

  /**
   * Brings the schema up to date over connections of its own, outside any pool (Flyway holds two
   * connections at once, more than a small pool may spare).
   *
   * @param jdbcUrl the database
   * @param user user, or null when given in the URL
   * @param password password, or null
   * @return how many migrations this call applied
   * @throws PersistenceException if a migration fails or the schema history does not match
   */
  public static int migrate(String jdbcUrl, String user, String password) {
    return run(Flyway.configure().dataSource(jdbcUrl, user, password));
  }

  private static int run(FluentConfiguration configuration) {
    try {
      MigrateResult result = configuration.locations("classpath:db/migration").load().migrate();
      return result.migrationsExecuted;
    } catch (FlywayException e) {
      throw new PersistenceException(
          "schema migration failed: " + SqlErrors.firstLine(e.getMessage()), e);
    }
  }
}
