package io.heimdall.core.db;

import io.heimdall.HeimdallException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Supplier;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Turns driver and Jdbi exceptions into the typed exceptions of this package; one place for the
 * mapping.
 */
final class SqlErrors {
  private SqlErrors() {}

  /** Runs {@code work}, translating any failure. */
  static <T> T call(Supplier<T> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      throw translate(e);
    }
  }

  static RuntimeException translate(RuntimeException e) {
    if (e instanceof HeimdallException) {
      return e;
    }
    SQLException sql = findSqlException(e);
    return sql == null ? e : translate(sql, e);
  }

  static RuntimeException translate(SQLException reported, Throwable original) {
    // A failed batch reports a BatchUpdateException whose next exception carries the server's
    // details.
    SQLException sql = reported;
    while (!(sql instanceof PSQLException) && sql.getNextException() != null) {
      sql = sql.getNextException();
    }
    String state = sql.getSQLState() == null ? "" : sql.getSQLState();
    if (state.startsWith("23")) {
      String constraint = null;
      if (sql instanceof PSQLException) {
        ServerErrorMessage server = ((PSQLException) sql).getServerErrorMessage();
        constraint = server == null ? null : server.getConstraint();
      }
      return new ConstraintViolationException(firstLine(sql.getMessage()), constraint, original);
    }
    if (state.startsWith("08")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03")) {
      return new DatabaseUnavailableException(
          "database unavailable: " + firstLine(sql.getMessage()), original);
    }
    if (original instanceof RuntimeException) {
      return (RuntimeException) original;
    }
    return new PersistenceException(firstLine(sql.getMessage()), original);
  }

  /**
   * Classifies a failure to get a pooled connection: HikariCP attaches the last connection failure
   * as the cause when the database cannot be reached; without one, the pool was full.
   */
  static PersistenceException connectionFailure(
      SQLException e, String poolName, int maximumPoolSize) {
    if (e instanceof SQLTransientConnectionException && e.getCause() == null) {
      return new PoolExhaustedException(
          "connection pool '"
              + poolName
              + "' exhausted: all "
              + maximumPoolSize
              + " connections stayed busy; "
              + firstLine(e.getMessage())
              + " (raise maximumPoolSize or release connections sooner)",
          e);
    }
    Throwable root = e.getCause() == null ? e : e.getCause();
    return new DatabaseUnavailableException(
        "database unavailable for pool '" + poolName + "': " + firstLine(root.getMessage()), e);
  }

  private static SQLException findSqlException(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        return (SQLException) t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  /**
   * The first line of a driver's or Flyway's message, passwords removed: such messages may quote
   * the JDBC URL.
   */
  static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int nl = message.indexOf('\n');
    return DatabasePool.redactedUrl(nl < 0 ? message : message.substring(0, nl));
  }
}
