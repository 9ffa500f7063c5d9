package io.heimdall.bench;

import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskWithDetails;
import io.heimdall.core.db.HeimdallDatabase;
import io.heimdall.core.db.MeasurementDao;
import io.heimdall.core.db.MeasurementIngest;
import io.heimdall.core.db.Page;
import io.heimdall.core.db.PageRequest;
import io.heimdall.core.db.QueryFilter;
import io.heimdall.core.db.ResultDao;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The persistence claims of the performance guide, each against its baseline in the same run, on an
 * embedded PostgreSQL 14 started per trial (zonky defaults: {@code synchronous_commit=off}).
 *
 * <ul>
 *   <li><b>Eager loading vs N+1</b> (1,000 tasks × 7 measurements, each with a result): {@code
 *       eagerTasksWithDetails} is {@code Queries.tasksWithDetails} (3 statements); {@code
 *       nPlusOneTasksWithDetails} reads the same page of tasks, then each task's result and
 *       measurements with one query each (2,001 statements) on one connection, as lazy loading in
 *       one ORM session does. Target ≥ 20×. Where the eager time goes (JFR, and the server's CPU
 *       time read from {@code /proc}): the worker waits on the socket about three quarters of the
 *       time; the server spends about 6.7 ms per page, most of it sending the ≈ 1.1 MB of
 *       measurement rows over loopback (EXPLAIN ANALYZE, under 2 ms, leaves out that output); row
 *       decoding and mapping in Java is the smaller part.
 *   <li><b>Ingest</b>, time per measurement: {@code copyIngest} (COPY, 10,000 rows per call),
 *       {@code batchInsertIngest} (the batched-INSERT fallback, 10,000 rows per call) and {@code
 *       rowByRowInsert} (one autocommitted INSERT per measurement, 1,000 per call). Target for COPY
 *       ≥ 100,000 measurements/s, i.e. ≤ 10 µs per measurement.
 *   <li><b>Keyset vs offset</b> at depth 100,000 of 1,000,000 measurements, newest first, pages of
 *       50: {@code keysetPageAtDepth100k} vs {@code offsetPageAtDepth100k}.
 *   <li><b>Index</b>: the original's {@code station_name = ? AND frequency_mhz = ?} over 1,000,000
 *       rows (≈ 286 matches) on {@code signal_measurements}, which has {@code
 *       idx_measurements_station_freq} ({@code indexedStationFrequencyLookup}), vs the same query
 *       on {@code measurements_unindexed}, a copy of the table made with {@code CREATE TABLE AS}
 *       and so without any index ({@code unindexedStationFrequencyLookup}; PostgreSQL answers it
 *       with a parallel sequential scan over both cores).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PersistenceBench {
  static final int EAGER_TASKS = 1_000;
  static final int MEASUREMENTS_PER_TASK = 7;
  static final int COPY_ROWS = 10_000;
  static final int ROW_BY_ROW_ROWS = 1_000;
  static final int BIG_TABLE_ROWS = 1_000_000;
  static final int DEPTH = 100_000;

  /** 1,000 tasks, each with a result and 7 measurements. */
  @State(Scope.Benchmark)
  public static class TasksWithDetails {
    BenchDatabase server;
    HeimdallDatabase db;
    QueryFilter filter = QueryFilter.NONE;
    PageRequest page = PageRequest.offset(EAGER_TASKS, 0L);

    @Setup(Level.Trial)
    public void seed() {
      server = BenchDatabase.start();
      db = server.db();
      List<Task> tasks = new ArrayList<>();
      List<SignalMeasurement> measurements = new ArrayList<>();
      for (int i = 0; i < EAGER_TASKS; i++) {
        Task t = Task.builder().name("task" + i).frequenciesMhz(145.5).durationSeconds(10).build();
        tasks.add(t);
        for (int k = 0; k < MEASUREMENTS_PER_TASK; k++) {
          measurements.add(measurement(t.id(), k, i));
        }
      }
      db.tasks().insertAll(tasks);
      db.ingest().ingest(measurements);
      for (Task t : tasks) {
        db.results()
            .insert(
                TaskResult.builder(t.id(), 45.07, 7.68)
                    .confidence(0.9)
                    .uncertaintyM(300.0, 250.0)
                    .algorithmVersion("centroid-1")
                    .stationsUsed(7)
                    .measurementsUsed(7)
                    .build());
      }
      db.jdbi().useHandle(h -> h.execute("ANALYZE"));
    }

    @TearDown(Level.Trial)
    public void close() {
      server.close();
    }
  }

  /** An empty measurements table (emptied before each iteration) and pre-built rows. */
  @State(Scope.Benchmark)
  public static class Ingest {
    BenchDatabase server;
    HeimdallDatabase db;
    List<SignalMeasurement> copyRows;
    List<SignalMeasurement> rowByRowRows;

    @Setup(Level.Trial)
    public void start() {
      server = BenchDatabase.start();
      db = server.db();
      Task task = Task.builder().name("ingest").build();
      db.tasks().insert(task);
      copyRows = new ArrayList<>(COPY_ROWS);
      for (int i = 0; i < COPY_ROWS; i++) {
        copyRows.add(measurement(task.id(), i % ApiFixtures.STATIONS.length, i));
      }
      rowByRowRows = copyRows.subList(0, ROW_BY_ROW_ROWS);
    }

    @Setup(Level.Iteration)
    public void empty() {
      db.jdbi().useHandle(h -> h.execute("TRUNCATE signal_measurements"));
    }

    @TearDown(Level.Trial)
    public void close() {
      server.close();
    }
  }

  /** 1,000,000 measurements, an unindexed copy of them, and the cursor after the first 100,000. */
  @State(Scope.Benchmark)
  public static class BigTable {
    BenchDatabase server;
    HeimdallDatabase db;
    String cursorAtDepth;
    PageRequest offsetAtDepth = PageRequest.offset(50, (long) DEPTH);
    String station = "station3";
    double frequencyMhz = 144.4;

    @Setup(Level.Trial)
    public void seed() {
      server = BenchDatabase.start();
      db = server.db();
      db.jdbi()
          .useHandle(
              h -> {
                h.execute(
                    "INSERT INTO tasks (id, status, created_at) SELECT gen_random_uuid(),"
                        + " 'completed', now() - i * interval '1 second' FROM generate_series(1,"
                        + " 10000) AS i");
                h.execute(
                    "INSERT INTO signal_measurements (task_id, station_name, frequency_mhz,"
                        + " signal_strength_dbm, snr_db, signal_quality, created_at) SELECT t.id,"
                        + " 'station' || (i % 7), 144 + (i % 500) * 0.004, -100 + i % 50, i % 40,"
                        + " 0.5,        now() - i * interval '10 milliseconds' FROM"
                        + " generate_series(1, "
                        + BIG_TABLE_ROWS
                        + ") AS i JOIN (SELECT id, row_number() OVER () AS n FROM tasks) t ON t.n ="
                        + " 1 + i % 10000");
                h.execute(
                    "CREATE TABLE measurements_unindexed AS SELECT * FROM signal_measurements");
                h.execute("VACUUM ANALYZE");
              });
      String cursor = null;
      for (int read = 0; read < DEPTH; read += PageRequest.MAX_LIMIT) {
        cursor =
            db.queries()
                .measurements(QueryFilter.NONE, PageRequest.after(cursor, PageRequest.MAX_LIMIT))
                .nextCursor();
      }
      cursorAtDepth = cursor;
    }

    @TearDown(Level.Trial)
    public void close() {
      server.close();
    }
  }

  static SignalMeasurement measurement(UUID taskId, int station, int i) {
    return SignalMeasurement.builder(
            taskId,
            ApiFixtures.STATIONS[station % ApiFixtures.STATIONS.length],
            145.5 + (i % 100) * 0.0125)
        .signalStrengthDbm(-95.0 + i % 20)
        .snrDb(12.5)
        .bearingDegrees((i * 7) % 360.0)
        .bearingUncertaintyDegrees(5.0)
        .signalQuality(0.8)
        .arrivalTimeUs(1_700_000_000_000_000L + i)
        .build();
  }

  @Benchmark
  public List<TaskWithDetails> eagerTasksWithDetails(TasksWithDetails s) {
    return s.db.queries().tasksWithDetails(s.filter, s.page).items();
  }

  @Benchmark
  public List<TaskWithDetails> nPlusOneTasksWithDetails(TasksWithDetails s) {
    return s.db
        .jdbi()
        .withHandle(
            h -> {
              ResultDao results = h.attach(ResultDao.class);
              MeasurementDao measurements = h.attach(MeasurementDao.class);
              List<Task> tasks = s.db.queries().tasks(s.filter, s.page).items();
              List<TaskWithDetails> out = new ArrayList<>(tasks.size());
              for (Task t : tasks) {
                Optional<TaskResult> result = results.findByTask(t.id());
                out.add(new TaskWithDetails(t, result, measurements.findByTask(t.id())));
              }
              return out;
            });
  }

  @Benchmark
  @OperationsPerInvocation(COPY_ROWS)
  public int copyIngest(Ingest s) {
    return s.db.ingest().ingest(s.copyRows, MeasurementIngest.Method.COPY);
  }

  @Benchmark
  @OperationsPerInvocation(COPY_ROWS)
  public int batchInsertIngest(Ingest s) {
    return s.db.ingest().ingest(s.copyRows, MeasurementIngest.Method.BATCH_INSERT);
  }

  @Benchmark
  @OperationsPerInvocation(ROW_BY_ROW_ROWS)
  public long rowByRowInsert(Ingest s) {
    long last = 0;
    for (SignalMeasurement m : s.rowByRowRows) {
      last = s.db.measurements().insert(m);
    }
    return last;
  }

  @Benchmark
  public Page<SignalMeasurement> keysetPageAtDepth100k(BigTable s) {
    return s.db.queries().measurements(QueryFilter.NONE, PageRequest.after(s.cursorAtDepth, 50));
  }

  @Benchmark
  public Page<SignalMeasurement> offsetPageAtDepth100k(BigTable s) {
    return s.db.queries().measurements(QueryFilter.NONE, s.offsetAtDepth);
  }

  @Benchmark
  public List<Map<String, Object>> indexedStationFrequencyLookup(BigTable s) {
    return lookup(
        s,
        "SELECT * FROM signal_measurements WHERE station_name = :station AND frequency_mhz = :f");
  }

  @Benchmark
  public List<Map<String, Object>> unindexedStationFrequencyLookup(BigTable s) {
    return lookup(
        s,
        "SELECT * FROM measurements_unindexed WHERE station_name = :station AND frequency_mhz ="
            + " :f");
  }

  private static List<Map<String, Object>> lookup(BigTable s, String sql) {
    return s.db
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(sql)
                    .bind("station", s.station)
                    .bind("f", s.frequencyMhz)
                    .mapToMap()
                    .list());
  }
}
