package io.heimdall.cli;

import io.heimdall.HeimdallException;
import io.heimdall.InvalidInputException;
import io.heimdall.cache.CacheStats;
import io.heimdall.core.Task;
import io.heimdall.core.TaskStatus;
import io.heimdall.core.TaskWithDetails;
import io.heimdall.core.db.DatabasePool;
import io.heimdall.core.db.HeimdallDatabase;
import io.heimdall.core.db.Page;
import io.heimdall.core.db.PageRequest;
import io.heimdall.core.db.QueryFilter;
import io.heimdall.core.db.QueueOptions;
import io.heimdall.core.metrics.HeimdallMetrics;
import io.heimdall.embedded.EmbeddedPostgres;
import io.heimdall.embedded.EmbeddedRedis;
import io.heimdall.pipeline.LocalizationPipeline;
import io.heimdall.pipeline.PipelineStats;
import io.heimdall.pipeline.simulation.ReferenceStations;
import io.heimdall.pipeline.simulation.SimulatedTasks;
import io.heimdall.pipeline.simulation.TransmissionSimulator;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code heimdall demo}: the main job end to end. Simulates transmitters around Turin and the seven
 * reference receivers, localises every transmission through the durable queue and the pipeline,
 * reads everything back with eager loading and keyset pagination, repeats the result reads through
 * the cache, and ends stdout with one JSON line of counts, timings and localisation error. Progress
 * goes to stderr.
 *
 * <p>The demo waits for the tasks it submitted, by id: other processes on the same database
 * (another demo, a worker fleet) may process some of them, and this demo's workers may process
 * theirs. Everything it reports counts its own tasks only.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The main job: simulate, localise, store and read back transmissions around Turin.",
      "Prints a summary; the last line of stdout is one JSON object. Progress goes to stderr.",
      "Uses an embedded PostgreSQL unless --db-url is given, and both cache tiers (Caffeine and"
          + " an embedded Redis) unless --redis names another Redis or 'none'."
    })
public final class DemoCommand implements Callable<Integer> {

  /** Default number of simulated transmissions. */
  static final int DEFAULT_SIGNALS = 100;

  /** The {@code --redis} value that turns the shared tier off. */
  static final String NO_REDIS = "none";

  private static final int PAGE_SIZE = 25;
  private static final int POLL_BATCH = 1_000;
  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
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
          "Redis URI of the shared cache tier, e.g. redis://127.0.0.1:6379, or 'none' for the"
              + " local tier only. Default: an embedded Redis.")
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
      names = "--tdoa",
      description =
          "Also locate the transmissions by time differences of arrival (GPS-disciplined"
              + " receivers, synchronised 2 s recordings) and report the error next to the"
              + " received-power localiser's on the same transmissions.")
  boolean tdoa;

  @Mixin GiveUpOption giveUp;

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

    try (PrometheusMetrics prometheus = PrometheusMetrics.create();
        Servers servers = Servers.start(dbUrl, redisUri)) {
      HeimdallMetrics metrics = prometheus.heimdall();
      long dbStart = System.nanoTime();
      try (HeimdallDatabase db =
          FleetDatabase.open(servers.jdbcUrl, defaultConnections(), prometheus.registry())) {
        long dbStartMs = millisSince(dbStart);
        progress.printf(
            Locale.ROOT,
            "heimdall demo: database ready in %d ms (%s)%n",
            dbStartMs,
            servers.databaseName());
        progress.flush();

        SimulatedTasks simulated =
            new SimulatedTasks(TransmissionSimulator.builder().seed(seed).build());
        LocalizationPipeline.Builder builder =
            LocalizationPipeline.builder(db, simulated)
                .queueOptions(new QueueOptions(Duration.ofSeconds(30), 3))
                .outageGiveUp(giveUp.value())
                .meterRegistry(prometheus.registry());
        if (servers.redisUri != null) {
          builder.redis(servers.redisUri);
        }
        try (LocalizationPipeline pipeline = builder.build()) {
          Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
          List<Task> tasks = simulated.tasks(0, signals, createdAt);
          long processingStart = System.nanoTime();
          pipeline.submit(tasks);
          pipeline.start();
          Outcome outcome = awaitOwnTasks(db, pipeline, tasks, progress);
          long processingMs = millisSince(processingStart);

          long readStart = System.nanoTime();
          ReadBack readBack = readBack(db, metrics, createdAt, ids(tasks));
          long dbReadMs = millisSince(readStart);

          long cacheStart = System.nanoTime();
          int cachedReads = readResultsTwice(pipeline, tasks);
          long cacheMs = millisSince(cacheStart);
          CacheStats cache = pipeline.cacheStats();

          DemoAccuracy accuracy =
              DemoAccuracy.of(
                  simulated,
                  readBack.items,
                  ReferenceStations.AREA,
                  tdoa ? DemoAccuracy.tdoa(seed, signals, ReferenceStations.AREA) : null);
          PipelineStats stats = pipeline.stats();
          String device = pipeline.device().name().toLowerCase(Locale.ROOT);
          String redisNote = redisNote(servers, pipeline.results().isRedisConnected(), cache);
          long totalMs = millisSince(start);

          if (metricsOut != null) {
            String exposition = prometheus.scrape();
            AtomicOutput.write(metricsOut, file -> Files.writeString(file, exposition));
          }

          DemoSummary summary =
              new DemoSummary(
                  servers.databaseName(),
                  outcome,
                  stats,
                  readBack,
                  processingMs,
                  dbStartMs,
                  dbReadMs,
                  cacheMs,
                  cachedReads,
                  cache,
                  accuracy,
                  device,
                  redisNote,
                  totalMs);
          summary.print(out, signals, PAGE_SIZE);
          out.println(summary.json(signals));
          out.flush();
          return outcome.failed == 0 ? CliErrors.EXIT_OK : CliErrors.EXIT_FAILURE;
        }
      }
    }
  }

  private void validate() {
    if (signals < 1 || signals > 1_000_000) {
      throw new InvalidInputException("--signals must be 1..1000000, got " + signals);
    }
    if (dbUrl != null) {
      FleetDatabase.checkUrl("--db-url", dbUrl);
    }
    if (redisUri != null && !NO_REDIS.equals(redisUri)) {
      FleetDatabase.checkRedisUri(redisUri, true);
    }
    giveUp.value();
    if (metricsOut != null) {
      Path dir = metricsOut.toAbsolutePath().getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        throw new InvalidInputException("--metrics-out directory does not exist: " + dir);
      }
    }
  }

  private static int defaultConnections() {
    return Runtime.getRuntime().availableProcessors() * 2 + 1;
  }

  /** How this demo's own tasks ended. */
  record Outcome(long completed, long failed) {}

  /**
   * Waits until every task this demo submitted is completed or failed, whoever processed it. A
   * failed status read is retried until the give-up time; the workers' own give-up ends the wait
   * with their error.
   */
  private Outcome awaitOwnTasks(
      HeimdallDatabase db, LocalizationPipeline pipeline, List<Task> tasks, PrintWriter progress)
      throws InterruptedException {
    Set<UUID> pending = new HashSet<>(ids(tasks));
    long completed = 0;
    long failed = 0;
    long started = System.nanoTime();
    long deadline = started + PROCESSING_TIMEOUT.toNanos();
    long unreachableSince = 0;
    long reported = -1;
    while (!pending.isEmpty()) {
      // wakes early when a local worker finishes; throws if the workers gave up on the database
      pipeline.awaitProcessed(Long.MAX_VALUE, POLL_INTERVAL);
      try {
        for (List<UUID> batch : batches(pending)) {
          for (TaskWithDetails d : db.queries().tasksWithDetails(batch)) {
            TaskStatus status = d.task().status();
            if (status == TaskStatus.COMPLETED || status == TaskStatus.FAILED) {
              pending.remove(d.task().id());
              completed += status == TaskStatus.COMPLETED ? 1 : 0;
              failed += status == TaskStatus.FAILED ? 1 : 0;
            }
          }
        }
        unreachableSince = 0;
      } catch (HeimdallException e) {
        long now = System.nanoTime();
        unreachableSince = unreachableSince == 0 ? now : unreachableSince;
        if (now - unreachableSince > giveUp.value().toNanos()) {
          throw new HeimdallException(
              "the database stayed unreachable for "
                  + giveUp.value().toSeconds()
                  + " s (--give-up); "
                  + pending.size()
                  + " of "
                  + signals
                  + " tasks unfinished: "
                  + DatabasePool.redactedUrl(e.getMessage()),
              e);
        }
        continue;
      }
      long done = completed + failed;
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
      if (System.nanoTime() - deadline > 0) {
        throw new HeimdallException(
            "the demo's "
                + signals
                + " tasks did not finish within "
                + PROCESSING_TIMEOUT.toMinutes()
                + " min ("
                + done
                + " done)");
      }
    }
    return new Outcome(completed, failed);
  }

  private static List<List<UUID>> batches(Set<UUID> ids) {
    List<UUID> all = new ArrayList<>(ids);
    List<List<UUID>> batches = new ArrayList<>();
    for (int i = 0; i < all.size(); i += POLL_BATCH) {
      batches.add(all.subList(i, Math.min(all.size(), i + POLL_BATCH)));
    }
    return batches;
  }

  private static Set<UUID> ids(List<Task> tasks) {
    Set<UUID> ids = new HashSet<>();
    for (Task t : tasks) {
      ids.add(t.id());
    }
    return ids;
  }

  /** What the database holds for this run's tasks, read page by page with eager loading. */
  record ReadBack(List<TaskWithDetails> items, int pages, long measurements, long results) {}

  private ReadBack readBack(
      HeimdallDatabase db, HeimdallMetrics metrics, Instant createdAt, Set<UUID> own) {
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
        if (!own.contains(details.task().id())) {
          continue; // another run that started in the same microsecond
        }
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

  private static String redisNote(Servers servers, boolean connected, CacheStats cache) {
    if (servers.redisUri == null) {
      return "local tier only (Caffeine)";
    }
    // connected now: Redis answered at the end, whatever errors it gave while it was away
    if (connected) {
      return "Caffeine + "
          + servers.redisName()
          + (cache.errors() == 0 ? "" : " (" + cache.errors() + " errors while it was away)");
    }
    return servers.redisName()
        + " unreachable ("
        + cache.errors()
        + " errors): served from Caffeine and the database (fail-open)";
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /**
   * The database and Redis the demo runs on: the given ones, or embedded servers it starts, guarded
   * by a watchdog so that a killed demo does not leave them running.
   */
  static final class Servers implements AutoCloseable {
    final String jdbcUrl;
    final String redisUri;
    private final EmbeddedPostgres postgres;
    private final EmbeddedRedis redis;
    private final OrphanWatchdog watchdog;

    private Servers(
        String jdbcUrl,
        String redisUri,
        EmbeddedPostgres postgres,
        EmbeddedRedis redis,
        OrphanWatchdog watchdog) {
      this.jdbcUrl = jdbcUrl;
      this.redisUri = redisUri;
      this.postgres = postgres;
      this.redis = redis;
      this.watchdog = watchdog;
    }

    static Servers start(String dbUrl, String redisOption) {
      EmbeddedPostgres postgres = null;
      EmbeddedRedis redis = null;
      OrphanWatchdog watchdog = null;
      try {
        if (redisOption == null) {
          redis = EmbeddedRedis.start();
        }
        if (dbUrl == null) {
          postgres = EmbeddedPostgres.start();
        }
        if (postgres != null || redis != null) {
          watchdog =
              postgres == null
                  ? null
                  : OrphanWatchdog.start(postgres.jdbcUrl(), redis == null ? 0 : redis.pid());
        }
        String redisUri =
            redis != null ? redis.uri() : NO_REDIS.equals(redisOption) ? null : redisOption;
        return new Servers(
            postgres == null ? dbUrl : postgres.jdbcUrl(), redisUri, postgres, redis, watchdog);
      } catch (RuntimeException e) {
        new Servers(null, null, postgres, redis, watchdog).close();
        throw e;
      }
    }

    String databaseName() {
      return postgres != null ? "embedded PostgreSQL" : DatabasePool.redactedUrl(jdbcUrl);
    }

    String redisName() {
      return redis != null ? "embedded Redis at " + redisUri : "Redis at " + redisUri;
    }

    @Override
    public void close() {
      if (watchdog != null) {
        watchdog.close();
      }
      try {
        if (postgres != null) {
          postgres.close();
        }
      } finally {
        if (redis != null) {
          redis.close();
        }
      }
    }
  }
}
