package io.heimdall.bench;

import io.heimdall.core.Task;
import io.heimdall.core.db.HeimdallDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The guide's connection pooling: one request's database work, a primary-key read of a task, on a
 * connection borrowed from heimdall-core's HikariCP pool ({@code pooled}) versus a connection
 * opened with {@link DriverManager#getConnection(String)} and closed per request ({@code unpooled}:
 * a TCP connect, PostgreSQL forking a backend, authentication and session setup every time).
 * Embedded PostgreSQL on the loopback interface, so the figures hold no network latency: over a
 * real network the gap only widens.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConnectionPoolBench {
  static final String READ_STATUS = "SELECT status FROM tasks WHERE id = ?";

  /** A migrated embedded database behind the default pool, holding one task. */
  @State(Scope.Benchmark)
  public static class Database {
    BenchDatabase server;
    HeimdallDatabase db;
    String jdbcUrl;
    UUID taskId;

    @Setup(Level.Trial)
    public void start() {
      server = BenchDatabase.start();
      db = server.db();
      jdbcUrl = db.pool().jdbcUrl();
      Task task = Task.builder().name("pool").frequenciesMhz(145.5).build();
      db.tasks().insert(task);
      taskId = task.id();
    }

    @TearDown(Level.Trial)
    public void close() {
      server.close();
    }
  }

  static String readStatus(Connection connection, UUID taskId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(READ_STATUS)) {
      statement.setObject(1, taskId);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          throw new IllegalStateException("task " + taskId + " is missing");
        }
        return rows.getString(1);
      }
    }
  }

  @Benchmark
  public String pooled(Database s) throws SQLException {
    try (Connection connection = s.db.pool().getConnection()) {
      return readStatus(connection, s.taskId);
    }
  }

  @Benchmark
  public String unpooled(Database s) throws SQLException {
    try (Connection connection = DriverManager.getConnection(s.jdbcUrl)) {
      return readStatus(connection, s.taskId);
    }
  }
}
