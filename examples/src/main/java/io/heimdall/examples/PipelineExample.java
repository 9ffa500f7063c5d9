package io.heimdall.examples;

import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.db.DatabasePool;
import io.heimdall.core.db.HeimdallDatabase;
import io.heimdall.embedded.EmbeddedPostgres;
import io.heimdall.pipeline.LocalizationPipeline;
import io.heimdall.pipeline.simulation.SimulatedTasks;
import io.heimdall.pipeline.simulation.TransmissionSimulator;
import io.heimdall.pipeline.simulation.Transmitter;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The localisation pipeline as a library: queue simulated tasks, let the workers localise them,
 * read the results through the cache. ({@code heimdall demo} is the same at scale.)
 *
 * <pre>
 * java -cp examples/target/heimdall-examples.jar io.heimdall.examples.PipelineExample [jdbc:postgresql://...]
 * </pre>
 */
public final class PipelineExample {

  private PipelineExample() {}

  /** Runs the example; {@code args[0]} is an optional JDBC URL (default: embedded PostgreSQL). */
  public static void main(String[] args) throws InterruptedException {
    run(System.out, args.length > 0 ? args[0] : null);
  }

  /** Localises 8 simulated transmissions and prints each result next to the truth. */
  public static void run(PrintStream out, String jdbcUrl) throws InterruptedException {
    SimulatedTasks simulated = new SimulatedTasks(TransmissionSimulator.builder().seed(21).build());
    try (EmbeddedPostgres embedded = jdbcUrl == null ? EmbeddedPostgres.start() : null;
        HeimdallDatabase db =
            HeimdallDatabase.open(
                DatabasePool.builder()
                    .jdbcUrl(embedded != null ? embedded.jdbcUrl() : jdbcUrl)
                    .build());
        LocalizationPipeline pipeline =
            LocalizationPipeline.builder(db, simulated).workers(2).build()) {
      List<Task> tasks = simulated.tasks(0, 8, Instant.now());
      pipeline.submit(tasks);
      pipeline.start();
      if (!pipeline.awaitProcessed(tasks.size(), Duration.ofMinutes(2))) {
        throw new IllegalStateException("the pipeline did not finish in 2 minutes");
      }
      for (Task task : tasks) {
        TaskResult result = pipeline.result(task.id()).orElseThrow();
        Transmitter truth = simulated.transmitter(task);
        out.printf(
            Locale.ROOT,
            "%-28s %.3f N %.3f E  ±%5.1f km  confidence %.2f  error %5.1f km%n",
            task.name(),
            result.latitude(),
            result.longitude(),
            Math.hypot(result.latitudeUncertaintyM(), result.longitudeUncertaintyM()) / 1000,
            result.confidence(),
            truth.errorMetres(result.latitude(), result.longitude()) / 1000);
      }
      out.println(pipeline.stats());
    }
  }
}
