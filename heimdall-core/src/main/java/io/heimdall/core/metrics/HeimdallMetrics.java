package io.heimdall.core.metrics;

import io.heimdall.core.internal.Checks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The engine's own meters on a registry of your choice.
 *
 * <ul>
 *   <li>{@value #REQUEST_LATENCY} [{@code heimdall_request_latency_seconds}]: one read or write
 *       request served by the library, tagged {@value #TAG_OPERATION} and {@value #TAG_OUTCOME}
 *       ({@value #OUTCOME_SUCCESS} | {@value #OUTCOME_ERROR}).
 *   <li>{@value #TASK_DURATION} [{@code heimdall_task_duration_seconds}]: one localisation task
 *       from claim to acknowledgement, tagged {@value #TAG_OUTCOME} ({@value #OUTCOME_COMPLETED} |
 *       {@value #OUTCOME_FAILED}).
 * </ul>
 *
 * <p>Both timers publish a Prometheus histogram ({@code _bucket} series) so that {@code
 * histogram_quantile} works across instances, with a bucket boundary exactly at the 100 ms latency
 * objective of the shipped alert rules. Tag values are a small fixed set: never put ids in them.
 *
 * <p>Instances are cheap, immutable and thread-safe; Micrometer de-duplicates the meters.
 */
public final class HeimdallMetrics {

  /** Micrometer name of the request latency timer. */
  public static final String REQUEST_LATENCY = "heimdall.request.latency";

  /** Micrometer name of the task duration timer. */
  public static final String TASK_DURATION = "heimdall.task.duration";

  /** Tag naming what was requested, e.g. {@code result.get}. */
  public static final String TAG_OPERATION = "operation";

  /** Tag naming how a request or task ended. */
  public static final String TAG_OUTCOME = "outcome";

  /** Outcome of a request that returned normally. */
  public static final String OUTCOME_SUCCESS = "success";

  /** Outcome of a request that threw. */
  public static final String OUTCOME_ERROR = "error";

  /** Outcome of a task whose result was stored and acknowledged. */
  public static final String OUTCOME_COMPLETED = "completed";

  /** Outcome of a task attempt that failed (it may be retried). */
  public static final String OUTCOME_FAILED = "failed";

  /** Class-path location of the Prometheus alert rules that come with the library. */
  public static final String ALERT_RULES_RESOURCE = "io/heimdall/core/metrics/heimdall-alerts.yml";

  /** The latency objective the alert rules use: p95 above this for 5 minutes fires. */
  public static final Duration LATENCY_OBJECTIVE = Duration.ofMillis(100);

  private final MeterRegistry registry;

  private HeimdallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * The engine's meters on a registry.
   *
   * @param registry where the meters are registered; stays the caller's to close
   * @return the meters
   * @throws io.heimdall.InvalidInputException if the registry is null
   */
  public static HeimdallMetrics on(MeterRegistry registry) {
    return new HeimdallMetrics(Checks.required("registry", registry));
  }

  /**
   * The registry the meters live in.
   *
   * @return the registry given to {@link #on(MeterRegistry)}
   */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * The request latency timer for one operation and outcome.
   *
   * @param operation what was requested, e.g. {@code result.get}; a small fixed set, never an id
   * @param outcome {@value #OUTCOME_SUCCESS} or {@value #OUTCOME_ERROR}
   * @return the timer, registered on first use
   * @throws io.heimdall.InvalidInputException if a tag value is null or blank
   */
  public Timer requestTimer(String operation, String outcome) {
    return Timer.builder(REQUEST_LATENCY)
        .description("Latency of requests served by the Heimdall library")
        .tag(TAG_OPERATION, Checks.requiredText(TAG_OPERATION, operation))
        .tag(TAG_OUTCOME, Checks.requiredText(TAG_OUTCOME, outcome))
        .publishPercentileHistogram()
        .serviceLevelObjectives(LATENCY_OBJECTIVE)
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }

  /**
   * The task duration timer for one outcome.
   *
   * @param outcome {@value #OUTCOME_COMPLETED} or {@value #OUTCOME_FAILED}
   * @return the timer, registered on first use
   * @throws io.heimdall.InvalidInputException if the outcome is null or blank
   */
  public Timer taskTimer(String outcome) {
    return Timer.builder(TASK_DURATION)
        .description("Duration of localisation tasks from claim to acknowledgement")
        .tag(TAG_OUTCOME, Checks.requiredText(TAG_OUTCOME, outcome))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry);
  }

  /**
   * Runs one request and records its latency, tagged {@value #OUTCOME_SUCCESS} or, if it throws,
   * {@value #OUTCOME_ERROR} (the exception is rethrown unchanged).
   *
   * @param <T> what the request returns
   * @param operation what is requested, e.g. {@code result.get}
   * @param request the request
   * @return what the request returned
   * @throws io.heimdall.InvalidInputException if the operation is null or blank
   */
  public <T> T timeRequest(String operation, Supplier<T> request) {
    Checks.requiredText(TAG_OPERATION, operation);
    long start = registry.config().clock().monotonicTime();
    String outcome = OUTCOME_ERROR;
    try {
      T value = request.get();
      outcome = OUTCOME_SUCCESS;
      return value;
    } finally {
      requestTimer(operation, outcome)
          .record(Duration.ofNanos(registry.config().clock().monotonicTime() - start));
    }
  }

  /**
   * Records one finished task attempt.
   *
   * @param duration from claim to acknowledgement
   * @param outcome {@value #OUTCOME_COMPLETED} or {@value #OUTCOME_FAILED}
   * @throws io.heimdall.InvalidInputException if the outcome is null or blank
   */
  public void recordTask(Duration duration, String outcome) {
    taskTimer(outcome).record(duration);
  }

  /**
   * The text of the shipped Prometheus alert rules, from the resource {@value
   * #ALERT_RULES_RESOURCE}.
   *
   * @return the rules, YAML
   * @throws IllegalStateException if the resource is missing from the class path
   * @throws UncheckedIOException if it cannot be read
   */
  public static String alertRules() {
    try (InputStream in =
        HeimdallMetrics.class.getClassLoader().getResourceAsStream(ALERT_RULES_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("alert rules resource missing: " + ALERT_RULES_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ALERT_RULES_RESOURCE, e);
    }
  }
}
