package io.heimdall.cli;

import io.heimdall.InvalidInputException;
import io.heimdall.core.db.DatabasePool;
import io.heimdall.core.db.HeimdallDatabase;
import io.heimdall.core.db.QueueOptions;
import io.heimdall.pipeline.simulation.ReferenceStations;
import io.heimdall.pipeline.LocalizationPipeline;
import io.heimdall.pipeline.PipelineStats;
import io.heimdall.pipeline.Worker;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code heimdall worker}: one process of a worker fleet. Claims tasks from the PostgreSQL queue
 * and localises them until SIGTERM or SIGINT; then stops claiming, lets tasks in flight finish
 * until the drain deadline, hands the rest back to the queue and exits 0. Exits 1 with one line
 * when the database stays unreachable past the give-up time.
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Claim and process tasks from the queue in PostgreSQL until SIGTERM/SIGINT.",
      "On SIGTERM: stop claiming, finish or hand back tasks in flight within --drain, exit 0.",
      "Run any number of these, on one machine or many, against the same database."
    })
public final class WorkerCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin QueueDatabaseOption database;

  @Option(
      names = "--redis",
      paramLabel = "URI",
      description =
          "Redis URI of the shared result cache; each stored result is published to it."
              + " Default: none.")
  String redisUri;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Worker threads (default: available processors, here ${DEFAULT-VALUE}).")
  int workers = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--lease",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Claim lease, renewed every third of it while a task runs; a task of a killed worker"
              + " returns to the queue within about 1.5 leases (default 30s).")
  Duration lease = Duration.ofSeconds(30);

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      description = "Claims per task before it is marked failed (default ${DEFAULT-VALUE}).")
  int maxAttempts = 3;

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "On SIGTERM, how long tasks in flight may finish before they are handed back"
              + " (default 20s).")
  Duration drain = Duration.ofSeconds(20);

  @Mixin GiveUpOption giveUp;

  @Option(
      names = "--metrics-port",
      paramLabel = "P",
      description = "Serve Prometheus text at /metrics and liveness at /health on port P (0: any).")
  Integer metricsPort;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description =
          "Seed of simulated tasks; the same on every worker and the submitter (default"
              + " ${DEFAULT-VALUE}).")
  long seed = 1;

  @Override
  public Integer call() throws Exception {
    validate();
    PrintWriter err = spec.commandLine().getErr();
    AtomicReference<Worker> running = new AtomicReference<>();
    AtomicBoolean stopRequested = new AtomicBoolean();
    Signals.onTerminate(
        () -> {
          stopRequested.set(true);
          Worker worker = running.get();
          if (worker != null) {
            worker.stop();
          }
        });
    try (PrometheusMetrics prometheus = PrometheusMetrics.create();
        HeimdallDatabase db = database.open(workers + 3, prometheus.registry())) {
      LocalizationPipeline.Builder builder =
          LocalizationPipeline.builder(db, new FleetRecordings(seed, ReferenceStations.ALL))
              .workers(workers)
              .queueOptions(new QueueOptions(lease, maxAttempts))
              .outageGiveUp(giveUp.value())
              .closeTimeout(drain)
              .meterRegistry(prometheus.registry());
      if (redisUri != null) {
        builder.redis(redisUri);
      }
      try (Worker worker =
              Worker.builder(builder.build())
                  .drainDeadline(drain)
                  .publishResults(redisUri != null)
                  .start();
          MetricsServer server =
              metricsPort == null
                  ? null
                  : MetricsServer.start(metricsPort, prometheus::scrape, worker::isHealthy)) {
        running.set(worker);
        err.printf(
            Locale.ROOT,
            "heimdall worker: pid %d claiming from %s with %d workers, lease %s%s%n",
            ProcessHandle.current().pid(),
            DatabasePool.redactedUrl(database.url()),
            workers,
            lease,
            server == null ? "" : ", metrics on port " + server.port());
        err.flush();
        if (stopRequested.get()) {
          worker.stop();
        }
        worker.await();
        PipelineStats stats = worker.stats();
        err.printf(
            Locale.ROOT,
            "heimdall worker: stopped; %d completed, %d failed, %d retried, %d handed back%n",
            stats.completed(),
            stats.failed(),
            stats.retried(),
            worker.stop());
        err.flush();
        return CliErrors.EXIT_OK;
      }
    }
  }

  private void validate() {
    FleetDatabase.checkUrl("--db-url", database.url());
    if (redisUri != null) {
      FleetDatabase.checkRedisUri(redisUri, false);
    }
    if (workers < 1 || workers > 256) {
      throw new InvalidInputException("--workers must be 1..256, got " + workers);
    }
    if (lease.compareTo(Duration.ofSeconds(1)) < 0 || lease.compareTo(Duration.ofHours(24)) > 0) {
      throw new InvalidInputException("--lease must be between 1s and 24h, got " + lease);
    }
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new InvalidInputException("--max-attempts must be 1..100, got " + maxAttempts);
    }
    giveUp.value();
    if (metricsPort != null && (metricsPort < 0 || metricsPort > 65_535)) {
      throw new InvalidInputException("--metrics-port must be 0..65535, got " + metricsPort);
    }
  }
}
