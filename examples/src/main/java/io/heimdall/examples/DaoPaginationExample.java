package io.heimdall.examples;

import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskWithDetails;
import io.heimdall.core.db.DatabasePool;
import io.heimdall.core.db.HeimdallDatabase;
import io.heimdall.embedded.EmbeddedPostgres;
import io.heimdall.core.db.Page;
import io.heimdall.core.db.PageRequest;
import io.heimdall.core.db.QueryFilter;
import io.heimdall.core.db.ResultField;
import io.heimdall.inference.ReferenceModels;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DAOs with pagination: store tasks, ingest their measurements with {@code COPY}, then read them
 * back eagerly (tasks with results and measurements in three statements per page), by offset as the
 * original API does, by keyset cursor, and with field selection.
 *
 * <pre>
 * java -cp examples/target/heimdall-examples.jar io.heimdall.examples.DaoPaginationExample [jdbc:postgresql://...]
 * </pre>
 *
 * <p>Without a JDBC URL it starts an embedded PostgreSQL.
 */
public final class DaoPaginationExample {

  private DaoPaginationExample() {}

  /** Runs the example; {@code args[0]} is an optional JDBC URL. */
  public static void main(String[] args) {
    run(System.out, args.length > 0 ? args[0] : null);
  }

  /** Stores 120 tasks with 7 measurements and a result each, and pages through them. */
  public static void run(PrintStream out, String jdbcUrl) {
    try (EmbeddedPostgres embedded = jdbcUrl == null ? EmbeddedPostgres.start() : null;
        HeimdallDatabase db =
            HeimdallDatabase.open(
                DatabasePool.builder()
                    .jdbcUrl(embedded != null ? embedded.jdbcUrl() : jdbcUrl)
                    .build())) {
      Instant start = Instant.now().truncatedTo(ChronoUnit.MICROS);
      List<Task> tasks = new ArrayList<>();
      List<SignalMeasurement> measurements = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        Task task =
            Task.builder()
                .name("example " + i)
                .frequenciesMhz(145.5)
                .createdAt(start.plusMillis(i))
                .build();
        tasks.add(task);
        ReferenceModels.RECEIVERS.forEach(
            r ->
                measurements.add(
                    SignalMeasurement.builder(task.id(), r.name(), 145.5)
                        .signalStrengthDbm(-90.0)
                        .snrDb(20.0)
                        .build()));
      }
      tasks.forEach(db.tasks()::insert);
      int copied = db.ingest().ingest(measurements);
      for (Task task : tasks) {
        db.results().insert(TaskResult.builder(task.id(), 45.07, 7.69).confidence(0.5).build());
      }
      out.printf(
          Locale.ROOT,
          "stored %d tasks, %d measurements (COPY), %d results%n",
          tasks.size(),
          copied,
          tasks.size());

      QueryFilter thisRun =
          QueryFilter.builder().createdBetween(start, start.plusSeconds(1)).build();
      Page<TaskWithDetails> offsetPage =
          db.queries().tasksWithDetails(thisRun, PageRequest.offset(50, 50L));
      out.printf(
          Locale.ROOT,
          "offset page (limit 50, offset 50): %d tasks, first '%s' with %d measurements%n",
          offsetPage.items().size(),
          offsetPage.items().get(0).task().name(),
          offsetPage.items().get(0).measurements().size());

      int pages = 0;
      int seen = 0;
      String cursor = null;
      do {
        Page<TaskWithDetails> page =
            db.queries().tasksWithDetails(thisRun, PageRequest.after(cursor, 50));
        pages++;
        seen += page.items().size();
        cursor = page.next().orElse(null);
      } while (cursor != null);
      out.printf(
          Locale.ROOT, "keyset pages of 50: %d pages, %d tasks, newest first%n", pages, seen);

      Page<Map<String, Object>> fields =
          db.queries()
              .resultFields(
                  ResultField.parse("latitude,longitude,confidence"),
                  QueryFilter.NONE,
                  PageRequest.offset(3, 0L));
      out.println("field selection (latitude,longitude,confidence): " + fields.items().get(0));
      try {
        ResultField.parse("latitude,password");
      } catch (RuntimeException e) {
        out.println("unknown field rejected: " + e.getMessage());
      }
    }
  }
}
