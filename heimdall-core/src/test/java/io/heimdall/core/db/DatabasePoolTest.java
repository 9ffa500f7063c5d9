package io.heimdall.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.heimdall.InvalidInputException;
import io.heimdall.core.Task;
import io.heimdall.embedded.EmbeddedPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DatabasePoolTest {

  @Test
  void defaultsFollowTheDesign() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (DatabasePool pool =
        DatabasePool.builder()
            .jdbcUrl(TestPostgres.server().jdbcUrl())
            .minimumIdle(0)
            .poolName("defaults")
            .meterRegistry(registry)
            .build()) {
      HikariDataSource hikari = (HikariDataSource) pool.dataSource();
      assertThat(pool.maximumPoolSize())
          .isEqualTo(Runtime.getRuntime().availableProcessors() * 2 + 1);
      assertThat(hikari.getMaximumPoolSize()).isEqualTo(pool.maximumPoolSize());
      assertThat(hikari.getMaxLifetime()).isEqualTo(Duration.ofMinutes(30).toMillis());
      assertThat(hikari.getKeepaliveTime()).isEqualTo(Duration.ofMinutes(5).toMillis());
      assertThat(hikari.getConnectionTimeout()).isEqualTo(5_000);
      assertThat(hikari.getLeakDetectionThreshold()).isZero();
      try (Connection c = pool.getConnection()) {
        assertThat(c.isValid(1)).isTrue();
        assertThat(
                registry.get("hikaricp.connections.active").tag("pool", "defaults").gauge().value())
            .isEqualTo(1.0);
      }
      assertThat(registry.get("hikaricp.connections.max").tag("pool", "defaults").gauge().value())
          .isEqualTo(pool.maximumPoolSize());
      assertThat(
              registry.get("hikaricp.connections.acquire").tag("pool", "defaults").timer().count())
          .isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void invalidSettingsFailAtBuildWithTheSettingNamed() {
    String url = TestPostgres.server().jdbcUrl();
    assertThatThrownBy(() -> DatabasePool.builder().build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("jdbcUrl must be a JDBC URL such as jdbc:postgresql://host:5432/db, got null");
    assertThatThrownBy(() -> DatabasePool.builder().jdbcUrl(url).maximumPoolSize(0).build())
        .hasMessage("maximumPoolSize must be in 1..1000, got 0");
    assertThatThrownBy(
            () -> DatabasePool.builder().jdbcUrl(url).maximumPoolSize(4).minimumIdle(5).build())
        .hasMessage("minimumIdle must be in 0..maximumPoolSize (4), got 5");
    assertThatThrownBy(
            () ->
                DatabasePool.builder()
                    .jdbcUrl(url)
                    .connectionTimeout(Duration.ofMillis(10))
                    .build())
        .hasMessage("connectionTimeout must be between 250 ms and 300000 ms, got 10 ms");
    assertThatThrownBy(
            () -> DatabasePool.builder().jdbcUrl(url).keepaliveTime(Duration.ofMinutes(30)).build())
        .hasMessage("keepaliveTime must be between 30000 ms and 1799999 ms, got 1800000 ms");
    assertThatThrownBy(
            () ->
                DatabasePool.builder()
                    .jdbcUrl(url)
                    .leakDetectionThreshold(Duration.ofMillis(5))
                    .build())
        .hasMessage("leakDetectionThreshold must be between 2000 ms and 1800000 ms, got 5 ms");
  }

  @Test
  void aDatabaseThatIsDownFailsWithinTheConnectionTimeout() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url =
        "jdbc:postgresql://127.0.0.1:" + closedPort + "/heimdall?user=heimdall&password=secret";
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                DatabasePool.builder()
                    .jdbcUrl(url)
                    .connectionTimeout(Duration.ofMillis(800))
                    .build())
        .isInstanceOf(DatabaseUnavailableException.class)
        .hasMessageStartingWith(
            "cannot connect to jdbc:postgresql://127.0.0.1:"
                + closedPort
                + "/heimdall?user=heimdall&password=*** within 800 ms: ")
        .hasMessageContaining("refused");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void redactedUrlRemovesPasswordsInTheQueryAndInTheUserInfo() {
    assertThat(
            DatabasePool.redactedUrl(
                "jdbc:postgresql://db:5432/heimdall?user=app&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/heimdall?user=app&password=***&ssl=true");
    assertThat(DatabasePool.redactedUrl("jdbc:sqlserver://db;user=app;password=s3cret;encrypt=true"))
        .isEqualTo("jdbc:sqlserver://db;user=app;password=***;encrypt=true");
    assertThat(
            DatabasePool.redactedUrl(
                "jdbc:postgresql://db/heimdall?PASSWORD=a&sslpassword=b&sslmode=require"))
        .isEqualTo("jdbc:postgresql://db/heimdall?PASSWORD=***&sslpassword=***&sslmode=require");
    assertThat(DatabasePool.redactedUrl("jdbc:postgresql://app:s3cret@db:5432/heimdall"))
        .isEqualTo("jdbc:postgresql://app:***@db:5432/heimdall");
    assertThat(DatabasePool.redactedUrl("cannot reach jdbc:postgresql://app:p@ss@db/x, retrying"))
        .doesNotContain("p@ss")
        .doesNotContain("ss@db")
        .contains("app:***@");
    // Nothing secret: unchanged.
    assertThat(DatabasePool.redactedUrl("jdbc:postgresql://db:5432,db2:5432/heimdall?user=app"))
        .isEqualTo("jdbc:postgresql://db:5432,db2:5432/heimdall?user=app");
    assertThat(DatabasePool.redactedUrl("jdbc:postgresql://app@db/heimdall"))
        .isEqualTo("jdbc:postgresql://app@db/heimdall");
    assertThat(DatabasePool.redactedUrl(null)).isEqualTo("null");
  }

  @Test
  void messagesOfTheModuleNeverShowThePassword() {
    assertThatThrownBy(
            () -> DatabasePool.builder().jdbcUrl("postgresql://app:s3cret@db/heimdall").build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("app:***@db")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aServerThatGoesAwayIsReportedAsUnavailable() {
    try (EmbeddedPostgres server = EmbeddedPostgres.start();
        HeimdallDatabase db =
            HeimdallDatabase.open(
                DatabasePool.builder()
                    .jdbcUrl(server.jdbcUrl())
                    .maximumPoolSize(2)
                    .minimumIdle(0)
                    .connectionTimeout(Duration.ofMillis(1000))
                    .build())) {
      Task task = Task.builder().build();
      db.tasks().insert(task);
      server.close();
      long start = System.nanoTime();
      assertThatThrownBy(() -> db.tasks().findById(task.id()))
          .isInstanceOf(DatabaseUnavailableException.class)
          .hasMessageContaining("database unavailable");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void anExhaustedPoolIsATypedErrorAndNothingIsWritten() throws Exception {
    try (HeimdallDatabase db =
        HeimdallDatabase.open(
            DatabasePool.builder()
                .jdbcUrl(TestPostgres.newDatabaseUrl())
                .maximumPoolSize(1)
                .connectionTimeout(Duration.ofMillis(300))
                .poolName("tiny")
                .build())) {
      Task task = Task.builder().build();
      try (Connection held = db.pool().getConnection()) {
        assertThat(db.pool().activeConnections()).isEqualTo(1);
        assertThatThrownBy(() -> db.pool().getConnection())
            .isInstanceOf(PoolExhaustedException.class)
            .hasMessageStartingWith(
                "connection pool 'tiny' exhausted: all 1 connections stayed busy");
        assertThatThrownBy(() -> db.tasks().insert(task))
            .isInstanceOf(PoolExhaustedException.class);
        assertThatThrownBy(() -> db.queries().tasks(QueryFilter.NONE, PageRequest.first(1)))
            .isInstanceOf(PoolExhaustedException.class);
      }
      assertThat(db.tasks().findById(task.id())).isEmpty();
    }
  }

  @Test
  void closedPoolRefusesConnections() {
    DatabasePool pool =
        DatabasePool.builder().jdbcUrl(TestPostgres.server().jdbcUrl()).maximumPoolSize(1).build();
    pool.close();
    assertThat(pool.isClosed()).isTrue();
    assertThatThrownBy(pool::getConnection)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }

  @Test
  void aMeterRegistryTimesDaoCallsAndCloseIsIdempotent() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DatabasePool pool =
        DatabasePool.builder()
            .jdbcUrl(TestPostgres.newDatabaseUrl())
            .maximumPoolSize(2)
            .meterRegistry(registry)
            .build();
    try (HeimdallDatabase db = HeimdallDatabase.builder(pool).meterRegistry(registry).build()) {
      Task task = Task.builder().name("embedded").build();
      db.tasks().insert(task);
      assertThat(db.tasks().findById(task.id())).contains(task);
      assertThat(
              registry
                  .get(Instrumented.TIMER)
                  .tag("dao", "task")
                  .tag("method", "insert")
                  .timer()
                  .count())
          .isEqualTo(1);
      assertThat(registry.get("hikaricp.connections.max").gauge().value()).isPositive();
      db.close();
      assertThat(db.pool().isClosed()).isTrue();
      assertThatThrownBy(() -> db.tasks().findById(task.id()))
          .isInstanceOf(IllegalStateException.class);
    } // closing twice is harmless
  }
}
