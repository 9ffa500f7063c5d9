package io.heimdall.cli;

import io.heimdall.InvalidInputException;
import io.heimdall.core.db.DatabasePool;
import io.heimdall.core.db.HeimdallDatabase;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Opens the PostgreSQL database of a {@code --db-url} option for the demo and the fleet commands
 * (worker, submit, status): one pool, migrated schema, meters on the command's registry. Messages
 * show the URL with its password replaced by {@code ***}.
 */
final class FleetDatabase {
  private FleetDatabase() {}

  /**
   * Checks the form of a {@code --db-url} value without contacting the server.
   *
   * @throws InvalidInputException if it is not a PostgreSQL JDBC URL
   */
  static void checkUrl(String option, String url) {
    if (url == null || !url.startsWith("jdbc:postgresql:")) {
      throw new InvalidInputException(
          option
              + " must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DB?user=U&password=P),"
              + " got "
              + DatabasePool.redactedUrl(url));
    }
  }

  /**
   * Checks a {@code --redis} value.
   *
   * @param orNone whether {@code none} is also accepted (then named in the message)
   * @throws InvalidInputException if it is not a redis:// or rediss:// URI
   */
  static void checkRedisUri(String uri, boolean orNone) {
    if (!(uri.startsWith("redis://") || uri.startsWith("rediss://"))) {
      throw new InvalidInputException(
          "--redis must be a redis:// or rediss:// URI"
              + (orNone ? " or 'none'" : "")
              + ", got "
              + uri);
    }
  }

  /**
   * Opens (and migrates, once for all processes) the database at {@code url}.
   *
   * @param url a PostgreSQL JDBC URL with user and password
   * @param connections pool size
   * @param registry where pool and DAO meters go
   * @return the database, the caller's to close
   */
  static HeimdallDatabase open(String url, int connections, MeterRegistry registry) {
    DatabasePool pool =
        DatabasePool.builder()
            .jdbcUrl(url)
            .maximumPoolSize(connections)
            .meterRegistry(registry)
            .build();
    return HeimdallDatabase.builder(pool).meterRegistry(registry).build();
  }
}
