package io.heimdall.core.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import com.zaxxer.hikari.pool.HikariPool;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import io.heimdall.core.internal.Checks;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A HikariCP connection pool with Heimdall's defaults: {@code cores × 2 + 1} connections
 * unless set, connections recycled after 30 minutes, keep-alive pings every 5 minutes, a bounded
 * wait for a connection, optional leak detection and Micrometer pool metrics ({@code
 * hikaricp.connections.*}).
 *
 * <p>The database is contacted when the pool is built: a database that cannot be reached fails
 * {@link Builder#build()} after at most the connection timeout with a {@link
 * DatabaseUnavailableException}. Later, {@link #getConnection()} reports a full pool as {@link
 * PoolExhaustedException} and an unreachable database as {@link DatabaseUnavailableException}.
 */
public final class DatabasePool implements AutoCloseable {
  private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

  /** {@code password=...} in a URL's query or properties, {@code ssl}-prefixed ones included. */
  private static final Pattern QUERY_PASSWORD = Pattern.compile("(?i)(password=)[^&;\\s]*");

  /**
   * {@code user:secret@} after {@code //}; up to the last {@code @} of the authority, so that an
   * unencoded {@code @} in the password does not leave its tail behind.
   */
  private static final Pattern USER_INFO_PASSWORD =
      Pattern.compile("(//[^/?#@:\\s]*:)[^/?#\\s]*@");

  private final HikariDataSource dataSource;
  private final String jdbcUrl;
  private final int maximumPoolSize;

  /**
   * The {@code SET search_path} statement of the schema a {@link HeimdallDatabase} uses, or null.
   * Set with a statement rather than {@link Connection#setSchema}, so that HikariCP does not reset
   * it when the connection returns: each physical connection runs it once.
   */
  private volatile String searchPath;

  private final Set<Connection> onSearchPath =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private DatabasePool(HikariDataSource dataSource, String jdbcUrl, int maximumPoolSize) {
    this.dataSource = dataSource;
    this.jdbcUrl = jdbcUrl;
    this.maximumPoolSize = maximumPoolSize;
  }

  /**
   * @return a builder; only {@link Builder#jdbcUrl(String)} is required
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Borrows a connection; close it to return it.
   *
   * @return a pooled connection
   * @throws PoolExhaustedException if every connection stayed busy for the connection timeout
   * @throws DatabaseUnavailableException if the database cannot be reached
   * @throws IllegalStateException if the pool is closed
   */
  public Connection getConnection() {
    Checks.state(!dataSource.isClosed(), "connection pool '%s' is closed", poolName());
    Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException e) {
      throw SqlErrors.connectionFailure(e, poolName(), maximumPoolSize);
    }
    String statement = searchPath;
    if (statement != null) {
      try {
        Connection physical = connection.unwrap(Connection.class);
        if (!onSearchPath.contains(physical)) {
          try (Statement s = connection.createStatement()) {
            s.execute(statement);
          }
          onSearchPath.add(physical);
        }
      } catch (SQLException e) {
        closeQuietly(connection);
        throw SqlErrors.translate(e, e);
      }
    }
    return connection;
  }

  /**
   * Makes every connection this pool lends resolve unqualified table names in {@code schema} only.
   */
  void useSchema(String schema) {
    this.searchPath = "SET search_path TO \"" + Migrations.checkSchema(schema) + "\"";
    onSearchPath.clear();
  }

  /**
   * Removes passwords from a JDBC URL (or any text that contains one), so that it can be logged or
   * printed: the value of every {@code password=} parameter (also {@code sslpassword=}) and the
   * password of a {@code //user:password@host} user-info part become {@code ***}. User names,
   * hosts, ports, databases and other parameters are kept.
   *
   * <pre>{@code
   * redactedUrl("jdbc:postgresql://db/heimdall?user=app&password=s3cret")
   *     -> "jdbc:postgresql://db/heimdall?user=app&password=***"
   * redactedUrl("jdbc:postgresql://app:s3cret@db/heimdall")
   *     -> "jdbc:postgresql://app:***@db/heimdall"
   * }</pre>
   *
   * @param jdbcUrl a JDBC URL or a message that contains one; may be null
   * @return the text with passwords replaced by {@code ***}, or {@code "null"} for null
   */
  public static String redactedUrl(String jdbcUrl) {
    if (jdbcUrl == null) {
      return "null";
    }
    String redacted = QUERY_PASSWORD.matcher(jdbcUrl).replaceAll("$1***");
    return USER_INFO_PASSWORD.matcher(redacted).replaceAll("$1***@");
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException suppressed) {
      // the original failure is the one to report
    }
  }

  /**
   * @return the pool as a plain DataSource (its exceptions are HikariCP's, untranslated)
   */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * @return the JDBC URL the pool connects to
   */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  String username() {
    return dataSource.getUsername();
  }

  String password() {
    return dataSource.getPassword();
  }

  /**
   * @return the pool's name, also the {@code pool} tag of its metrics
   */
  public String poolName() {
    return dataSource.getPoolName();
  }

  /**
   * @return the maximum number of connections
   */
  public int maximumPoolSize() {
    return maximumPoolSize;
  }

  /**
   * @return connections currently borrowed
   */
  public int activeConnections() {
    return dataSource.getHikariPoolMXBean().getActiveConnections();
  }

  /**
   * @return whether {@link #close()} was called
   */
  public boolean isClosed() {
    return dataSource.isClosed();
  }

  /** Closes every connection; borrowed ones are closed when returned. */
  @Override
  public void close() {
    dataSource.close();
  }

  /** Configuration of a {@link DatabasePool}, validated by {@link #build()}. */
  public static final class Builder {
    private String jdbcUrl;
    private String username;
    private String password;
    private Integer maximumPoolSize;
    private Integer minimumIdle;
    private Duration connectionTimeout = Duration.ofSeconds(5);
    private Duration maxLifetime = Duration.ofMinutes(30);
    private Duration keepaliveTime = Duration.ofMinutes(5);
    private Duration leakDetectionThreshold = Duration.ZERO;
    private String poolName;
    private MeterRegistry meterRegistry;

    private Builder() {}

    /**
     * @param jdbcUrl e.g. {@code jdbc:postgresql://db:5432/heimdall} (required)
     * @return this
     */
    public Builder jdbcUrl(String jdbcUrl) {
      this.jdbcUrl = jdbcUrl;
      return this;
    }

    /**
     * @param username database user (or in the URL)
     * @return this
     */
    public Builder username(String username) {
      this.username = username;
      return this;
    }

    /**
     * @param password database password (or in the URL)
     * @return this
     */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /**
     * @param size maximum connections, 1..1000 (default: available processors × 2 + 1)
     * @return this
     */
    public Builder maximumPoolSize(int size) {
      this.maximumPoolSize = size;
      return this;
    }

    /**
     * @param idle connections kept open when idle, 0..maximumPoolSize (default:
     *     maximumPoolSize); more than maximumPoolSize fails {@link #build()}
     * @return this
     */
    public Builder minimumIdle(int idle) {
      this.minimumIdle = idle;
      return this;
    }

    /**
     * @param timeout longest wait for a connection, 250 ms..5 min (default 5 s)
     * @return this
     */
    public Builder connectionTimeout(Duration timeout) {
      this.connectionTimeout = Checks.required("connectionTimeout", timeout);
      return this;
    }

    /**
     * @param lifetime age after which a connection is replaced, &ge; 30 s (default 30 min)
     * @return this
     */
    public Builder maxLifetime(Duration lifetime) {
      this.maxLifetime = Checks.required("maxLifetime", lifetime);
      return this;
    }

    /**
     * @param interval idle-connection ping interval, &ge; 30 s and below maxLifetime (default 5
     *     min); not below maxLifetime fails {@link #build()}
     * @return this
     */
    public Builder keepaliveTime(Duration interval) {
      this.keepaliveTime = Checks.required("keepaliveTime", interval);
      return this;
    }

    /**
     * @param threshold log a leak warning when a connection is held longer; zero disables
     *     (default), otherwise 2 s..maxLifetime
     * @return this
     */
    public Builder leakDetectionThreshold(Duration threshold) {
      this.leakDetectionThreshold = Checks.required("leakDetectionThreshold", threshold);
      return this;
    }

    /**
     * @param name pool name and metrics tag (default heimdall-N)
     * @return this
     */
    public Builder poolName(String name) {
      this.poolName = name;
      return this;
    }

    /**
     * @param registry where HikariCP publishes its pool metrics (default: none)
     * @return this
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * Validates the configuration and opens the pool, waiting at most the connection timeout for
     * the first connection.
     *
     * @return the open pool
     * @throws io.heimdall.InvalidInputException naming the setting, its value and the accepted
     *     range
     * @throws DatabaseUnavailableException if the database cannot be reached in time
     */
    public DatabasePool build() {
      Checks.argument(
          jdbcUrl != null && jdbcUrl.startsWith("jdbc:"),
          "jdbcUrl must be a JDBC URL such as jdbc:postgresql://host:5432/db, got %s",
          jdbcUrl == null ? "null" : "'" + redactedUrl(jdbcUrl) + "'");
      int size =
          maximumPoolSize != null
              ? maximumPoolSize
              : Runtime.getRuntime().availableProcessors() * 2 + 1;
      Checks.between("maximumPoolSize", size, 1, 1000);
      int idle = minimumIdle != null ? minimumIdle : size;
      Checks.argument(
          idle >= 0 && idle <= size,
          "minimumIdle must be in 0..maximumPoolSize (%s), got %s",
          size,
          idle);
      Checks.between(
          "connectionTimeout", connectionTimeout, Duration.ofMillis(250), Duration.ofMinutes(5));
      Checks.between("maxLifetime", maxLifetime, Duration.ofSeconds(30), Duration.ofDays(1));
      Checks.between(
          "keepaliveTime", keepaliveTime, Duration.ofSeconds(30), maxLifetime.minusMillis(1));
      if (!leakDetectionThreshold.isZero()) {
        Checks.between(
            "leakDetectionThreshold", leakDetectionThreshold, Duration.ofSeconds(2), maxLifetime);
      }
      String name = poolName != null ? poolName : "heimdall-" + POOL_NUMBER.incrementAndGet();

      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(jdbcUrl);
      config.setUsername(username);
      config.setPassword(password);
      config.setPoolName(name);
      config.setMaximumPoolSize(size);
      config.setMinimumIdle(idle);
      config.setConnectionTimeout(connectionTimeout.toMillis());
      config.setValidationTimeout(Math.min(connectionTimeout.toMillis(), 5_000));
      config.setInitializationFailTimeout(connectionTimeout.toMillis());
      config.setMaxLifetime(maxLifetime.toMillis());
      config.setKeepaliveTime(keepaliveTime.toMillis());
      config.setLeakDetectionThreshold(leakDetectionThreshold.toMillis());
      if (jdbcUrl.startsWith("jdbc:postgresql:")) {
        // The driver's own connect timeout bounds a silent (firewalled) host; in whole seconds.
        long seconds = Math.max(1, (connectionTimeout.toMillis() + 999) / 1000);
        config.addDataSourceProperty("connectTimeout", String.valueOf(seconds));
        config.addDataSourceProperty("ApplicationName", name);
        // Lets the driver send a batch of INSERTs as multi-row statements.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        // Lets eager loading send its task ids as a binary uuid[] (see UuidArrayParameter).
        config.addDataSourceProperty("binaryTransferEnable", "UUID_ARRAY");
      }
      if (meterRegistry != null) {
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meterRegistry));
      }
      try {
        return new DatabasePool(new HikariDataSource(config), jdbcUrl, size);
      } catch (HikariPool.PoolInitializationException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        throw new DatabaseUnavailableException(
            "cannot connect to "
                + redactedUrl(jdbcUrl)
                + " within "
                + connectionTimeout.toMillis()
                + " ms: "
                + SqlErrors.firstLine(cause.getMessage()),
            e);
      }
    }
  }
}
