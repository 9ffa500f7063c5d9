package io.heimdall.cli;

import io.heimdall.InvalidInputException;
import io.heimdall.core.db.HeimdallDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import picocli.CommandLine.Option;

/**
 * {@code --db-url}, required: the PostgreSQL database that holds the shared task queue. Mixed into
 * {@code worker}, {@code submit} and {@code status}.
 */
public final class QueueDatabaseOption {

  @Option(
      names = "--db-url",
      required = true,
      paramLabel = "JDBC_URL",
      description = "PostgreSQL JDBC URL of the queue (user and password in the URL).")
  String dbUrl;

  /** Creates the option; picocli sets it. */
  public QueueDatabaseOption() {}

  /**
   * The URL as given.
   *
   * @return the JDBC URL, password included
   */
  public String url() {
    return dbUrl;
  }

  /**
   * Checks the URL's form and opens the database.
   *
   * @param connections pool size
   * @param registry where pool and DAO meters go
   * @return the database, the caller's to close
   * @throws InvalidInputException if the URL is not a PostgreSQL JDBC URL
   */
  HeimdallDatabase open(int connections, MeterRegistry registry) {
    FleetDatabase.checkUrl("--db-url", dbUrl);
    return FleetDatabase.open(dbUrl, connections, registry);
  }
}
