package io.heimdall.cli;

import io.heimdall.cache.CacheStats;
import io.heimdall.pipeline.PipelineStats;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * What {@code heimdall demo} prints at the end: the human summary and the JSON line. Task counts
 * are the demo's own tasks; stage times are this JVM's workers' (which may also have processed
 * other processes' tasks on a shared database).
 */
record DemoSummary(
    String database,
    DemoCommand.Outcome outcome,
    PipelineStats stats,
    DemoCommand.ReadBack readBack,
    long processingMs,
    long dbStartMs,
    long dbReadMs,
    long cacheMs,
    int cachedReads,
    CacheStats cache,
    DemoAccuracy accuracy,
    String device,
    String redisNote,
    long totalMs) {

  void print(PrintWriter out, int signals, int pageSize) {
    out.printf(
        Locale.ROOT,
        "Heimdall demo: %d simulated transmissions around Turin, %d receivers each%n",
        signals,
        7);
    out.printf(Locale.ROOT, "  database          %s, ready in %d ms%n", database, dbStartMs);
    out.printf(
        Locale.ROOT,
        "  pipeline          %d completed, %d failed in %d ms (%.1f tasks/s), device %s;"
            + " this JVM's workers: %d completed, %d retried%n",
        outcome.completed(),
        outcome.failed(),
        processingMs,
        outcome.completed() / Math.max(1e-9, processingMs / 1000.0),
        device,
        stats.completed(),
        stats.retried());
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
        readBack.items().size(),
        readBack.measurements(),
        readBack.results(),
        readBack.pages(),
        pageSize,
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
    double[] errors = accuracy.errors();
    out.printf(
        Locale.ROOT,
        "  localisation      Bayesian received power: error median %.1f km, p95 %.1f km;"
            + " truth inside its %.0f %% region %.1f %% of the time; Cramér-Rao bound median"
            + " %.1f km%n",
        percentile(errors, 50) / 1000,
        percentile(errors, 95) / 1000,
        accuracy.regionLevel() * 100,
        accuracy.regionCoverage() * 100,
        percentile(accuracy.bounds(), 50) / 1000);
    out.printf(
        Locale.ROOT,
        "  baseline          weighted centroid on the same readings: median %.1f km, p95 %.1f km%n",
        percentile(accuracy.baselineErrors(), 50) / 1000,
        percentile(accuracy.baselineErrors(), 95) / 1000);
    if (accuracy.tdoa() != null) {
      DemoAccuracy.Tdoa tdoa = accuracy.tdoa();
      out.printf(
          Locale.ROOT,
          "  tdoa              %d synchronised transmissions: error median %.1f m, p95 %.1f m"
              + " (received power on the same: median %.1f km); region coverage %.1f %%%n",
          tdoa.transmissions(),
          percentile(tdoa.errors(), 50),
          percentile(tdoa.errors(), 95),
          percentile(tdoa.powerErrors(), 50) / 1000,
          tdoa.coverage() * 100);
    }
    out.printf(Locale.ROOT, "  total             %d ms%n", totalMs);
  }

  String json(int signals) {
    return JsonWriter.object()
        .field("signals", signals)
        .field("tasks", readBack.items().size())
        .field("measurements", readBack.measurements())
        .field("results", readBack.results())
        .field(
            "cache",
            JsonWriter.object().field("hits", cache.hits()).field("misses", cache.misses()))
        .field(
            "timings_ms",
            JsonWriter.object()
                .field("dsp", stats.dsp().toMillis())
                .field("inference", stats.inference().toMillis())
                .field("db_write", stats.dbWrite().toMillis())
                .field("db_read", dbReadMs)
                .field("total", totalMs))
        .field("localization_error_m", medianAndP95(accuracy.errors()))
        .field("region_coverage", accuracy.regionCoverage())
        .field("baseline_error_m", medianAndP95(accuracy.baselineErrors()))
        .field("bound_m", tenths(percentile(accuracy.bounds(), 50)))
        .field("tdoa", accuracy.tdoa() == null ? null : tdoaJson(accuracy.tdoa()))
        .field("device", device)
        .toString();
  }

  private static JsonWriter medianAndP95(double[] sorted) {
    return JsonWriter.object()
        .field("median", tenths(percentile(sorted, 50)))
        .field("p95", tenths(percentile(sorted, 95)));
  }

  private static JsonWriter tdoaJson(DemoAccuracy.Tdoa tdoa) {
    return JsonWriter.object()
        .field("transmissions", tdoa.transmissions())
        .field("error_m", medianAndP95(tdoa.errors()))
        .field("power_error_m", medianAndP95(tdoa.powerErrors()))
        .field("region_coverage", tdoa.coverage());
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double tenths(double value) {
    return Double.isFinite(value) ? Math.round(value * 10) / 10.0 : value;
  }
}
