package io.heimdall.pipeline;

import io.heimdall.core.db.DatabasePool;
import io.heimdall.embedded.EmbeddedPostgres;
import io.heimdall.core.db.HeimdallDatabase;
import java.util.concurrent.atomic.AtomicInteger;

/** One embedded PostgreSQL for the pipeline tests, a fresh migrated database per caller. */
final class PipelineDatabases {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private PipelineDatabases() {}

  static synchronized HeimdallDatabase fresh() {
    if (server == null) {
      server = EmbeddedPostgres.start();
    }
    String url = server.createDatabase("pipeline_" + DATABASES.incrementAndGet());
    return HeimdallDatabase.open(
        DatabasePool.builder().jdbcUrl(url).maximumPoolSize(6).minimumIdle(1).build());
  }
}
