package io.heimdall.cli;

import io.heimdall.core.TaskStatus;
import io.heimdall.core.db.HeimdallDatabase;
import io.heimdall.core.db.QueueStatus;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code heimdall status}: the queue's task counts by status and the age of its oldest claim, as
 * lines of {@code name value}, or one JSON object with {@code --json}.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Print the queue's task counts by status and the oldest claim's age.")
public final class StatusCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin QueueDatabaseOption database;

  @Option(names = "--json", description = "Print one JSON object instead of lines.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    QueueStatus status;
    try (PrometheusMetrics prometheus = PrometheusMetrics.create();
        HeimdallDatabase db = database.open(1, prometheus.registry())) {
      status = db.queue().status();
    }
    PrintWriter out = spec.commandLine().getOut();
    Double oldestSeconds = status.oldestClaimAge().map(d -> d.toNanos() / 1e9).orElse(null);
    if (json) {
      JsonWriter counts = JsonWriter.object();
      for (TaskStatus s : TaskStatus.values()) {
        counts.field(s.dbValue(), status.count(s));
      }
      JsonWriter line = JsonWriter.object().field("counts", counts);
      if (oldestSeconds == null) {
        line.field("oldest_claim_age_s", (String) null);
      } else {
        line.field("oldest_claim_age_s", Math.round(oldestSeconds * 1000) / 1000.0);
      }
      out.println(line);
    } else {
      for (TaskStatus s : TaskStatus.values()) {
        out.printf(Locale.ROOT, "%-12s %d%n", s.dbValue(), status.count(s));
      }
      out.printf(
          Locale.ROOT,
          "%-12s %s%n",
          "oldest claim",
          oldestSeconds == null ? "none" : String.format(Locale.ROOT, "%.1f s", oldestSeconds));
    }
    out.flush();
    return CliErrors.EXIT_OK;
  }
}
