package io.heimdall.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void concurrentMigrationsFromTwoPoolsApplyEachVersionOnce() throws Exception {
    String url = TestPostgres.newDatabaseUrl();
    ExecutorService threads =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "migrate");
              t.setDaemon(true);
              return t;
            });
    try (DatabasePool a = DatabasePool.builder().jdbcUrl(url).maximumPoolSize(2).build();
        DatabasePool b = DatabasePool.builder().jdbcUrl(url).maximumPoolSize(2).build()) {
      CountDownLatch start = new CountDownLatch(1);
      CompletableFuture<Integer> first =
          CompletableFuture.supplyAsync(() -> await(start, a), threads);
      CompletableFuture<Integer> second =
          CompletableFuture.supplyAsync(() -> await(start, b), threads);
      start.countDown();
      assertThat(first.get() + second.get()).isEqualTo(3);
      assertThat(Migrations.migrate(a.dataSource())).isZero();

      Jdbi jdbi = Jdbi.create(a.dataSource());
      List<String> versions =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT version FROM heimdall_schema_history WHERE success ORDER BY"
                              + " installed_rank")
                      .mapTo(String.class)
                      .list());
      assertThat(versions).containsExactly("1", "2", "3");
    } finally {
      threads.shutdownNow();
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
