package io.heimdall.core.db;

import io.heimdall.embedded.EmbeddedPostgres;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL server for the whole test run, started on first use (it stops at JVM
 * exit); each caller gets its own fresh, migrated database so test classes do not see each
 * other's rows.
 */
final class TestPostgres {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  static synchronized EmbeddedPostgres server() {
    if (server == null) {
      server = EmbeddedPostgres.start();
    }
    return server;
  }

  /**
   * @return the JDBC URL of a new, empty database
   */
  static String newDatabaseUrl() {
    return server().createDatabase("test_" + DATABASES.incrementAndGet());
  }

  /**
   * @return a migrated database with a small pool; close it after the test class
   */
  static HeimdallDatabase newDatabase() {
    return HeimdallDatabase.open(
        DatabasePool.builder().jdbcUrl(newDatabaseUrl()).maximumPoolSize(4).minimumIdle(1).build());
  }
}
