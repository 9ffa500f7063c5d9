package io.heimdall.bench;

import io.heimdall.core.TaskWithDetails;
import io.heimdall.core.db.HeimdallDatabase;
import io.heimdall.core.db.PageRequest;
import io.heimdall.core.db.QueryFilter;
import io.heimdall.core.db.ResultDao;
import io.heimdall.core.db.ResultField;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The guide's field selection ({@code GET /results?fields=...}): a page of results read through
 * heimdall-core's {@code Queries.resultFields} and serialised to JSON, with every field of the
 * allow-list ({@code allFields}, the baseline) or only the three a map needs ({@code
 * selectedFields}: latitude, longitude, confidence). Both go through the same code path, so the
 * difference is the fields alone: fewer columns read, decoded and sent. {@link PayloadBytes} counts
 * the response bytes.
 *
 * <p>Data: 5,000 results in an embedded PostgreSQL started per trial; the newest page of {@code
 * pageSize} results (50 is the API's default page, 1000 its maximum).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FieldSelectionBench {
  static final int RESULTS = 5_000;

  /** A database holding {@value #RESULTS} completed tasks with their results. */
  @State(Scope.Benchmark)
  public static class Results {
    @Param({"50", "1000"})
    int pageSize;

    final Set<ResultField> all = EnumSet.allOf(ResultField.class);
    final Set<ResultField> selected = ResultField.parse("latitude,longitude,confidence");
    BenchDatabase server;
    HeimdallDatabase db;
    PageRequest page;

    @Setup(Level.Trial)
    public void seed() {
      server = BenchDatabase.start();
      db = server.db();
      List<TaskWithDetails> tasks = ApiFixtures.completedTasks(RESULTS, 11);
      db.tasks().insertAll(tasks.stream().map(TaskWithDetails::task).toList());
      db.jdbi()
          .useTransaction(
              h -> {
                PreparedBatch batch = h.prepareBatch(ResultDao.INSERT);
                tasks.forEach(t -> batch.bindMethods(t.result().orElseThrow()).add());
                batch.execute();
                h.execute("ANALYZE");
              });
      page = PageRequest.first(pageSize);
    }

    @TearDown(Level.Trial)
    public void close() {
      server.close();
    }
  }

  @Benchmark
  public byte[] allFields(Results s, PayloadBytes bytes) {
    return bytes.count(
        ApiFixtures.json(s.db.queries().resultFields(s.all, QueryFilter.NONE, s.page).items()));
  }

  @Benchmark
  public byte[] selectedFields(Results s, PayloadBytes bytes) {
    return bytes.count(
        ApiFixtures.json(
            s.db.queries().resultFields(s.selected, QueryFilter.NONE, s.page).items()));
  }
}
