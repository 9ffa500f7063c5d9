package io.heimdall.core.db;

/**
 * The database schema is not at the version this library needs, and automatic migration is off:
 * run {@link Migrations#migrate(javax.sql.DataSource, String)} (for example in a deployment step)
 * or open the database with {@link HeimdallDatabase.Builder#automaticMigration(boolean)} left on.
 */
public class SchemaNotMigratedException extends PersistenceException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the schema, its version, the version needed and how to migrate it
   */
  public SchemaNotMigratedException(String message) {
    super(message);
  }
}
