package io.heimdall.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heimdall.InvalidInputException;
import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void twoPoolsAndTwoJvmsMigratingAnEmptyDatabaseAtOnceApplyEachVersionOnce() throws Exception {
    String url = TestPostgres.newDatabaseUrl();
    Path go = Files.createTempFile("heimdall-migrate", ".go");
    Files.delete(go);
    ExecutorService threads =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "migrate");
              t.setDaemon(true);
              return t;
            });
    try (ChildJvm jvm1 = ChildJvm.start("migrate", url, go.toString());
        ChildJvm jvm2 = ChildJvm.start("migrate", url, go.toString());
        DatabasePool a = DatabasePool.builder().jdbcUrl(url).maximumPoolSize(2).build();
        DatabasePool b = DatabasePool.builder().jdbcUrl(url).maximumPoolSize(2).build()) {
      jvm1.await("READY", Duration.ofSeconds(60));
      jvm2.await("READY", Duration.ofSeconds(60));
      CountDownLatch start = new CountDownLatch(1);
      CompletableFuture<Integer> first =
          CompletableFuture.supplyAsync(() -> await(start, a), threads);
      CompletableFuture<Integer> second =
          CompletableFuture.supplyAsync(() -> await(start, b), threads);
      Files.createFile(go);
      start.countDown();
      int inJvm1 = Integer.parseInt(jvm1.await("APPLIED ", Duration.ofSeconds(60)).substring(8));
      int inJvm2 = Integer.parseInt(jvm2.await("APPLIED ", Duration.ofSeconds(60)).substring(8));
      assertThat(first.get() + second.get() + inJvm1 + inJvm2).isEqualTo(4);
      assertThat(jvm1.waitFor(Duration.ofSeconds(30))).isZero();
      assertThat(jvm2.waitFor(Duration.ofSeconds(30))).isZero();
      assertThat(Migrations.migrate(a.dataSource())).isZero();

      assertThat(history(a, Migrations.HISTORY_TABLE)).containsExactly("1", "2", "3", "4");
      assertThat(history(a, Migrations.HISTORY_TABLE)).last().isEqualTo(Migrations.LATEST_VERSION);
      assertThat(tables(a, "public")).doesNotContain("flyway_schema_history");
    } finally {
      threads.shutdownNow();
      Files.deleteIfExists(go);
    }
  }

  @Test
  void anApplicationsOwnV1RunsBeforeAndAfterHeimdallsInTheSameSchema() {
    String url = TestPostgres.newDatabaseUrl();
    Task task = Task.builder().name("kept").build();
    // Before: the application migrates first (its V1), then opens Heimdall.
    assertThat(applicationFlyway(url, false, "db/migration").migrate().migrationsExecuted)
        .isEqualTo(1);
    try (HeimdallDatabase db = open(url)) {
      db.tasks().insert(task);
    }
    // After: the application ships its V2 and migrates again next to Heimdall's tables.
    assertThat(
            applicationFlyway(url, false, "db/migration", "db/app-later")
                .migrate()
                .migrationsExecuted)
        .isEqualTo(1);
    try (HeimdallDatabase db = open(url)) {
      assertThat(db.tasks().findById(task.id())).contains(task);
      assertThat(history(db.pool(), "flyway_schema_history")).containsExactly("1", "2");
      // Heimdall found the application's tables and started its own history at a baseline.
      assertThat(history(db.pool(), Migrations.HISTORY_TABLE)).containsExactly("0", "1", "2", "3", "4");
      boolean placed =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "INSERT INTO app_orders (label) VALUES ('first') RETURNING"
                                  + " placed_at IS NOT NULL")
                          .mapTo(Boolean.class)
                          .one());
      assertThat(placed).isTrue();
    }
  }

  @Test
  void anApplicationMigratingAfterHeimdallNeedsABaselineAndThenKeepsItsOwnHistory() {
    String url = TestPostgres.newDatabaseUrl();
    try (HeimdallDatabase db = open(url)) {
      assertThat(history(db.pool(), Migrations.HISTORY_TABLE)).containsExactly("1", "2", "3", "4");
    }
    // Flyway refuses a non-empty schema without its own history: the README's baseline setting.
    assertThatThrownBy(() -> applicationFlyway(url, false, "db/migration").migrate())
        .isInstanceOf(FlywayException.class)
        .hasMessageContaining("non-empty schema");
    assertThat(applicationFlyway(url, true, "db/migration").migrate().migrationsExecuted)
        .isEqualTo(1);
    try (HeimdallDatabase db = open(url)) {
      assertThat(history(db.pool(), "flyway_schema_history")).containsExactly("0", "1");
      assertThat(history(db.pool(), Migrations.HISTORY_TABLE)).containsExactly("1", "2", "3", "4");
      assertThat(db.tasks().countByStatus(TaskStatus.SUBMITTED)).isZero();
    }
  }

  @Test
  void aSchemaOfItsOwnHoldsEveryHeimdallTableAndTheConnectionsUseIt() throws Exception {
    String url = TestPostgres.newDatabaseUrl();
    Task task = Task.builder().build();
    try (HeimdallDatabase db = HeimdallDatabase.builder(pool(url)).schema("radio").build()) {
      assertThat(db.schema()).isEqualTo("radio");
      db.queue().enqueue(task);
      ClaimedTask claim = db.queue().claim("w").orElseThrow();
      db.queue()
          .complete(
              claim,
              TaskResult.builder(task.id(), 45, 7).build(),
              List.of(SignalMeasurement.builder(task.id(), "Torino", 145.5).build()));
      assertThat(db.queries().tasksWithDetails(QueryFilter.NONE, PageRequest.first(10)).items())
          .singleElement()
          .satisfies(d -> assertThat(d.measurements()).hasSize(1));
      assertThat(tables(db.pool(), "radio"))
          .contains(
              "tasks",
              "signal_measurements",
              "task_results",
              "websdr_stations",
              "heimdall_settings",
              Migrations.HISTORY_TABLE);
      assertThat(tables(db.pool(), "public")).isEmpty();
      try (Connection c = db.pool().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SHOW search_path")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("radio");
      }
    }
    assertThatThrownBy(() -> HeimdallDatabase.builder(pool(url)).schema("Radio; DROP"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("schema must be a lower-case identifier");
  }

  @Test
  void withoutAutomaticMigrationOpeningAnUnmigratedSchemaFailsAndSaysWhatToRun() {
    String url = TestPostgres.newDatabaseUrl();
    DatabasePool pool = pool(url);
    assertThatThrownBy(
            () -> HeimdallDatabase.builder(pool).schema("radio").automaticMigration(false).build())
        .isInstanceOf(SchemaNotMigratedException.class)
        .hasMessage(
            "schema 'radio' is at Heimdall schema version none with 4 migration(s) pending,"
                + " expected version 4; run Migrations.migrate(dataSource, \"radio\") first or"
                + " open with automaticMigration(true)");
    assertThat(pool.isClosed()).isTrue();
    try (DatabasePool migrator = pool(url)) {
      assertThat(tables(migrator, "radio")).as("verifying changed nothing").isEmpty();
      assertThat(Migrations.migrate(migrator.dataSource(), "radio")).isEqualTo(4);
    }
    try (HeimdallDatabase db =
        HeimdallDatabase.builder(pool(url)).schema("radio").automaticMigration(false).build()) {
      Task task = Task.builder().build();
      db.tasks().insert(task);
      assertThat(db.tasks().findById(task.id())).contains(task);
    }
  }

  @Test
  void aSchemaMigratedByEarlierReleasesIsAdoptedWithoutRunningV1Again() {
    String url = TestPostgres.newDatabaseUrl();
    // Earlier releases ran the same scripts with Flyway's default history table.
    Flyway.configure()
        .dataSource(url, null, null)
        .locations(Migrations.LOCATION)
        .target("3")
        .load()
        .migrate();
    Task task = Task.builder().build();
    try (HeimdallDatabase db = open(url)) {
      // adopted at the version it reached, then migrated on from there
      assertThat(history(db.pool(), Migrations.HISTORY_TABLE)).containsExactly("3", "4");
      db.tasks().insert(task);
      assertThat(db.tasks().findById(task.id())).contains(task);
    }
  }

  @Test
  void indexesHaveTheGuidesNamesAndColumns() {
    try (HeimdallDatabase db = TestPostgres.newDatabase()) {
      List<String> definitions =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY"
                                  + " indexname")
                          .mapTo(String.class)
                          .list());
      assertThat(definitions)
          .contains(
              "CREATE INDEX idx_tasks_status ON public.tasks USING btree (status)",
              "CREATE INDEX idx_measurements_created ON public.signal_measurements USING btree"
                  + " (created_at DESC)",
              "CREATE INDEX idx_results_confidence ON public.task_results USING btree (confidence"
                  + " DESC)",
              "CREATE INDEX idx_measurements_station_freq ON public.signal_measurements"
                  + " USING btree (station_name, frequency_mhz)",
              "CREATE INDEX idx_measurements_task ON public.signal_measurements USING btree"
                  + " (task_id)",
              "CREATE INDEX idx_tasks_created ON public.tasks USING btree (created_at DESC, id"
                  + " DESC)",
              "CREATE UNIQUE INDEX task_results_task_id_key ON public.task_results USING btree"
                  + " (task_id)");
      List<String> cascades =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT conname FROM pg_constraint WHERE contype = 'f' AND"
                                  + " confdeltype = 'c' ORDER BY conname")
                          .mapTo(String.class)
                          .list());
      assertThat(cascades)
          .containsExactly("signal_measurements_task_id_fkey", "task_results_task_id_fkey");
    }
  }

  private static DatabasePool pool(String url) {
    return DatabasePool.builder().jdbcUrl(url).maximumPoolSize(2).minimumIdle(0).build();
  }

  private static HeimdallDatabase open(String url) {
    return HeimdallDatabase.open(pool(url));
  }

  /** The application's own Flyway, with Flyway's defaults (db/migration, flyway_schema_history). */
  private static Flyway applicationFlyway(String url, boolean baseline, String... locations) {
    FluentConfiguration config =
        Flyway.configure()
            .dataSource(url, null, null)
            .locations(
                java.util.Arrays.stream(locations).map(l -> "classpath:" + l).toArray(String[]::new));
    if (baseline) {
      config.baselineOnMigrate(true).baselineVersion("0");
    }
    return config.load();
  }

  /** Successful versions in order, baseline included. */
  private static List<String> history(DatabasePool pool, String table) {
    return Jdbi.create(pool.dataSource())
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT version FROM public."
                            + table
                            + " WHERE success ORDER BY installed_rank")
                    .mapTo(String.class)
                    .list());
  }

  private static List<String> tables(DatabasePool pool, String schema) {
    return Jdbi.create(pool.dataSource())
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema ="
                            + " :schema ORDER BY table_name")
                    .bind("schema", schema)
                    .mapTo(String.class)
                    .list());
  }

  private static int await(CountDownLatch start, DatabasePool pool) {
    try {
      start.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return Migrations.migrate(pool.dataSource());
  }
}
