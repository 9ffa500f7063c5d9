package io.heimdall.bench;

import io.heimdall.core.db.DatabasePool;
import io.heimdall.core.db.HeimdallDatabase;
import io.heimdall.embedded.EmbeddedPostgres;

/** A migrated Heimdall database on a private embedded PostgreSQL, closed together. */
final class BenchDatabase implements AutoCloseable {
  private final EmbeddedPostgres server;
  private final HeimdallDatabase database;

  private BenchDatabase(EmbeddedPostgres server, HeimdallDatabase database) {
    this.server = server;
    this.database = database;
  }

  static BenchDatabase start() {
    EmbeddedPostgres server = EmbeddedPostgres.start();
    try {
      return new BenchDatabase(
          server, HeimdallDatabase.open(DatabasePool.builder().jdbcUrl(server.jdbcUrl()).build()));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  HeimdallDatabase db() {
    return database;
  }

  @Override
  public void close() {
    try {
      database.close();
    } finally {
      server.close();
    }
  }
}
