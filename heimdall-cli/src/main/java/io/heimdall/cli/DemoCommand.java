package io.heimdall.cli;

import io.heimdall.cache.CacheStats;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskWithDetails;
import io.heimdall.core.db.DatabasePool;
import io.heimdall.core.db.HeimdallDatabase;
import io.heimdall.core.db.Page;
import io.heimdall.core.db.PageRequest;
import io.heimdall.core.db.QueryFilter;
import io.heimdall.core.metrics.HeimdallMetrics;
import io.heimdall.pipeline.LocalizationPipeline;
import io.heimdall.pipeline.PipelineStats;
import io.heimdall.pipeline.simulation.SimulatedTasks;
import io.heimdall.pipeline.simulation.TransmissionSimulator;
import io.heimdall.pipeline.simulation.Transmitter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code heimdall demo}: the main job end to end. Simulates transmitters around Turin and the seven
 * reference receivers, localises every transmission through the durable queue and the pipeline,
 * reads everything back with eager loading and keyset pagination, repeats the result reads through
 * the cache, and ends stdout with one JSON line of counts, timings and localisation error. Progress
 * goes to stderr.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The main job: simulate, localise, store and read back transmissions around Turin.",
      "Prints a summary; the last line of stdout is one JSON object. Progress goes to stderr.",
      "Uses an embedded PostgreSQL unless --db-url is given, and a local cache unless --redis."
    })
public final class DemoCommand implements Callable<Integer> {

  /** Default number of simulated transmissions. */
  static final int DEFAULT_SIGNALS = 100;

  private static final int PAGE_SIZE = 25;
  private static final Duration PROCESSING_TIMEOUT = Duration.ofMinutes(30);

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--db-url",
      paramLabel = "JDBC_URL",
      description =
          "PostgreSQL JDBC URL (user and password in the URL). Default: embedded PostgreSQL.")
  String dbUrl;

  @Option(
      names = "--redis",
      paramLabel = "URI",
      description =
          "Redis URI of the shared cache tier, e.g. redis://127.0.0.1:6379. Default: none.")
  String redisUri;

  @Option(
      names = "--signals",
      paramLabel = "N",
      description = "Simulated transmissions (default ${DEFAULT-VALUE}).")
  int signals = DEFAULT_SIGNALS;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Simulation seed (default ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(
      names = "--metrics-out",
      paramLabel = "FILE",
      description = "Write the Prometheus exposition of every meter to FILE at the end.")
  Path metricsOut;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    validate();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progress = spec.commandLine().getErr();

    try (PrometheusMetrics prometheus = PrometheusMetrics.create()) {
      HeimdallMetrics metrics = prometheus.heimdall();
      long dbStart = System.nanoTime();
      try (HeimdallDatabase db = openDatabase(prometheus)) {
        long dbStartMs = millisSince(dbStart);
        progress.printf(
            Locale.ROOT,
            "heimdall demo: database ready in %d ms (%s)%n",
            dbStartMs,
            dbUrl == null ? "embedded PostgreSQL" : dbUrl);
        progress.flush();

        SimulatedTasks simulated =
            new SimulatedTasks(TransmissionSimulator.builder().seed(seed).build());
        LocalizationPipeline.Builder builder =
            LocalizationPipeline.builder(db, simulated).meterRegistry(prometheus.registry());
        if (redisUri != null) {
          builder.redis(redisUri);
        }
        try (LocalizationPipeline pipeline = builder.build()) {
          Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
          List<Task> tasks = simulated.tasks(0, signals, createdAt);
          long processingStart = System.nanoTime();
          pipeline.submit(tasks);
          pipeline.start();
          awaitWithProgress(pipeline, progress);
          long processingMs = millisSince(processingStart);

          long readStart = System.nanoTime();
          ReadBack readBack = readBack(db, metrics, createdAt);
          long dbReadMs = millisSince(readStart);

          long cacheStart = System.nanoTime();
          int cachedReads = readResultsTwice(pipeline, tasks);
          long cacheMs = millisSince(cacheStart);
          CacheStats cache = pipeline.cacheStats();

          double[] errors = localisationErrors(simulated, readBack.items);
          PipelineStats stats = pipeline.stats();
          String device = pipeline.device().name().toLowerCase(Locale.ROOT);
          String redisNote = redisNote(pipeline, cache);
          long totalMs = millisSince(start);

          if (metricsOut != null) {
            String exposition = prometheus.scrape();
            AtomicOutput.write(metricsOut, file -> Files.writeString(file, exposition));
          }

          printSummary(
              out,
              stats,
              readBack,
              processingMs,
              dbStartMs,
              dbReadMs,
              cacheMs,
              cachedReads,
              cache,
              errors,
              device,
              redisNote,
              totalMs);
          out.println(json(stats, readBack, cache, dbReadMs, totalMs, errors, device));
          out.flush();
          return stats.failed() == 0 ? 0 : 1;
        }
      }
    }
  }

  private void validate() {
    if (signals < 1 || signals > 1_000_000) {
      throw new IllegalArgumentException("--signals must be 1..1000000, got " + signals);
    }
    if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "--db-url must be a PostgreSQL JDBC URL (jdbc:postgresql://...), got " + dbUrl);
    }
    if (redisUri != null
        && !(redisUri.startsWith("redis://") || redisUri.startsWith("rediss://"))) {
      throw new IllegalArgumentException(
          "--redis must be a redis:// or rediss:// URI, got " + redisUri);
    }
    if (metricsOut != null) {
      Path dir = metricsOut.toAbsolutePath().getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        throw new IllegalArgumentException("--metrics-out directory does not exist: " + dir);
      }
    }
  }

  private HeimdallDatabase openDatabase(PrometheusMetrics prometheus) {
    if (dbUrl == null) {
      return HeimdallDatabase.embedded(prometheus.registry());
    }
    DatabasePool pool =
        DatabasePool.builder().jdbcUrl(dbUrl).meterRegistry(prometheus.registry()).build();
    return HeimdallDatabase.open(pool, prometheus.registry());
  }

  private void awaitWithProgress(LocalizationPipeline pipeline, PrintWriter progress)
      throws InterruptedException {
    long deadline = System.nanoTime() + PROCESSING_TIMEOUT.toNanos();
    long started = System.nanoTime();
    long reported = -1;
    while (!pipeline.awaitProcessed(signals, Duration.ofMillis(500))) {
      PipelineStats stats = pipeline.stats();
      long done = stats.completed() + stats.failed();
      if (done != reported && done > 0) {
        progress.printf(
            Locale.ROOT,
            "heimdall demo: localised %d/%d transmissions (%.1f/s)%n",
            done,
            signals,
            done / Math.max(1e-9, (System.nanoTime() - started) / 1e9));
        progress.flush();
        reported = done;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the pipeline did not finish "
                + signals
                + " tasks within "
                + PROCESSING_TIMEOUT
                + " ("
                + done
                + " done)");
      }
    }
  }

  /** What the database holds for this run, read page by page with eager loading. */
  private record ReadBack(
      List<TaskWithDetails> items, int pages, long measurements, long results) {}

  private ReadBack readBack(HeimdallDatabase db, HeimdallMetrics metrics, Instant createdAt) {
    QueryFilter thisRun =
        QueryFilter.builder()
            .createdBetween(createdAt, createdAt.plus(1, ChronoUnit.MICROS))
            .build();
    List<TaskWithDetails> items = new ArrayList<>(signals);
    long measurements = 0;
    long results = 0;
    int pages = 0;
    String cursor = null;
    do {
      PageRequest request = PageRequest.after(cursor, PAGE_SIZE);
      Page<TaskWithDetails> page =
          metrics.timeRequest("tasks.page", () -> db.queries().tasksWithDetails(thisRun, request));
      pages++;
      for (TaskWithDetails details : page.items()) {
        items.add(details);
        measurements += details.measurements().size();
        results += details.result().isPresent() ? 1 : 0;
      }
      cursor = page.next().orElse(null);
    } while (cursor != null);
    return new ReadBack(items, pages, measurements, results);
  }

  /** Every result twice through the cache: the first pass loads, the second is served from it. */
  private static int readResultsTwice(LocalizationPipeline pipeline, List<Task> tasks) {
    int found = 0;
    for (int pass = 0; pass < 2; pass++) {
      for (Task task : tasks) {
        found += pipeline.result(task.id()).isPresent() ? 1 : 0;
      }
    }
    return found;
  }

  private static double[] localisationErrors(
      SimulatedTasks simulated, List<TaskWithDetails> items) {
    double[] errors =
        items.stream()
            .map(d -> d.result().map(r -> errorMetres(simulated.transmitter(d.task()), r)))
            .flatMap(Optional::stream)
            .mapToDouble(Double::doubleValue)
            .toArray();
    Arrays.sort(errors);
    return errors;
  }

  private static double errorMetres(Transmitter truth, TaskResult result) {
    return truth.errorMetres(result.latitude(), result.longitude());
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private String redisNote(LocalizationPipeline pipeline, CacheStats cache) {
    if (redisUri == null) {
      return "local tier only (Caffeine)";
    }
    if (pipeline.isRedisConnected() && cache.errors() == 0) {
      return "Caffeine + Redis at " + redisUri;
    }
    return "Redis at "
        + redisUri
        + " unreachable ("
        + cache.errors()
        + " errors): served from Caffeine and the database (fail-open)";
  }

  private void printSummary(
      PrintWriter out,
      PipelineStats stats,
      ReadBack readBack,
      long processingMs,
      long dbStartMs,
      long dbReadMs,
      long cacheMs,
      int cachedReads,
      CacheStats cache,
      double[] errors,
      String device,
      String redisNote,
      long totalMs) {
    out.printf(
        Locale.ROOT,
        "Heimdall demo: %d simulated transmissions around Turin, %d receivers each%n",
        signals,
        7);
    out.printf(
        Locale.ROOT,
        "  database          %s, ready in %d ms%n",
        dbUrl == null ? "embedded PostgreSQL" : dbUrl,
        dbStartMs);
    out.printf(
        Locale.ROOT,
        "  pipeline          %d completed, %d failed, %d retried in %d ms (%.1f tasks/s), device"
            + " %s%n",
        stats.completed(),
        stats.failed(),
        stats.retried(),
        processingMs,
        stats.completed() / Math.max(1e-9, processingMs / 1000.0),
        device);
    out.printf(
        Locale.ROOT,
        "  stage busy time   simulate %d ms, dsp %d ms, inference %d ms, db write %d ms "
            + "(summed over workers)%n",
        stats.acquire().toMillis(),
        stats.dsp().toMillis(),
        stats.inference().toMillis(),
        stats.dbWrite().toMillis());
    out.printf(
        Locale.ROOT,
        "  read back         %d tasks, %d measurements, %d results in %d keyset pages "
            + "of %d with eager loading, %d ms%n",
        readBack.items.size(),
        readBack.measurements,
        readBack.results,
        readBack.pages,
        PAGE_SIZE,
        dbReadMs);
    out.printf(
        Locale.ROOT,
        "  result cache      %d reads (%d found) in %d ms: %d hits, %d misses; %s%n",
        2 * signals,
        cachedReads,
        cacheMs,
        cache.hits(),
        cache.misses(),
        redisNote);
    out.printf(
        Locale.ROOT,
        "  localisation      error median %.1f km, p95 %.1f km "
            + "(weighted-centroid of received power: a coarse localiser)%n",
        percentile(errors, 50) / 1000,
        percentile(errors, 95) / 1000);
    out.printf(Locale.ROOT, "  total             %d ms%n", totalMs);
  }

  private String json(
      PipelineStats stats,
      ReadBack readBack,
      CacheStats cache,
      long dbReadMs,
      long totalMs,
      double[] errors,
      String device) {
    return String.format(
        Locale.ROOT,
        "{\"signals\":%d,\"tasks\":%d,\"measurements\":%d,\"results\":%d,"
            + "\"cache\":{\"hits\":%d,\"misses\":%d},"
            + "\"timings_ms\":{\"dsp\":%d,\"inference\":%d,\"db_write\":%d,\"db_read\":%d,\"total\":%d},"
            + "\"localization_error_m\":{\"median\":%s,\"p95\":%s},\"device\":\"%s\"}",
        signals,
        readBack.items.size(),
        readBack.measurements,
        readBack.results,
        cache.hits(),
        cache.misses(),
        stats.dsp().toMillis(),
        stats.inference().toMillis(),
        stats.dbWrite().toMillis(),
        dbReadMs,
        totalMs,
        jsonNumber(percentile(errors, 50)),
        jsonNumber(percentile(errors, 95)),
        device);
  }

  private static String jsonNumber(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : "null";
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
