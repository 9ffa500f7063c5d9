package io.heimdall.pipeline;

import static io.heimdall.pipeline.Checks.require;

import io.heimdall.InvalidInputException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One member of a worker fleet: a {@link LocalizationPipeline}'s workers claiming tasks from the
 * shared queue until they are stopped. Any number of processes, on one machine or many, can run a
 * worker against the same database; each task is claimed by one of them at a time.
 *
 * <ul>
 *   <li>{@link #stop(Duration)} stops claiming, lets tasks in flight finish until the drain
 *       deadline and hands the rest back to the queue at once, so another worker takes them without
 *       waiting for their leases to expire.
 *   <li>While the database is unreachable the worker retries with a backoff; after the pipeline's
 *       give-up time ({@link LocalizationPipeline.Builder#outageGiveUp}) {@link #await()} throws a
 *       {@link QueueUnreachableException}.
 *   <li>Leases are renewed while a task runs, so a short lease (seconds) is safe and a task whose
 *       process died is taken over within about one lease.
 * </ul>
 *
 * <pre>{@code
 * try (Worker worker = Worker.builder(pipeline).drainDeadline(Duration.ofSeconds(20)).start()) {
 *   Runtime.getRuntime().addShutdownHook(new Thread(worker::stop));
 *   worker.await();
 * }
 * }</pre>
 */
public final class Worker implements AutoCloseable {
  private final LocalizationPipeline pipeline;
  private final Duration drainDeadline;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile int handedBack = -1;

  private Worker(Builder b) {
    this.pipeline = b.pipeline;
    this.drainDeadline = b.drainDeadline;
    if (b.publishResults) {
      ResultReader results = pipeline.results();
      pipeline.writer().onCompleted(result -> results.result(result.taskId()));
    }
    pipeline.start();
  }

  /**
   * Starts configuring a worker.
   *
   * @param pipeline the pipeline whose workers claim tasks; the worker owns it from {@link
   *     Builder#start()} on and closes it
   * @return a builder with the defaults stated on its setters
   */
  public static Builder builder(LocalizationPipeline pipeline) {
    return new Builder(pipeline);
  }

  /**
   * Blocks until {@link #stop()} has finished, or the workers gave up on the database.
   *
   * @throws InterruptedException if the waiting thread is interrupted
   * @throws QueueUnreachableException if the database stayed unreachable past the give-up time
   */
  public void await() throws InterruptedException {
    while (!stopped.await(200, TimeUnit.MILLISECONDS)) {
      pipeline
          .pool()
          .failure()
          .ifPresent(
              failure -> {
                throw failure;
              });
    }
  }

  /**
   * Stops with the configured drain deadline; see {@link #stop(Duration)}.
   *
   * @return how many tasks in flight were handed back to the queue
   */
  public int stop() {
    return stop(drainDeadline);
  }

  /**
   * Stops claiming, waits up to {@code deadline} for the tasks in flight to finish and hands the
   * others back to the queue. Idempotent: later calls return the first call's count.
   *
   * @param deadline the longest wait for tasks in flight
   * @return how many tasks in flight were handed back to the queue
   */
  public int stop(Duration deadline) {
    Objects.requireNonNull(deadline, "deadline");
    synchronized (this) {
      if (handedBack < 0) {
        handedBack = pipeline.pool().drain(deadline);
        stopped.countDown();
      }
      return handedBack;
    }
  }

  /**
   * Whether the worker is claiming tasks and the database answered its last claim: what a liveness
   * or readiness probe should report.
   *
   * @return false once stopped, while the database is unreachable, or after giving up
   */
  public boolean isHealthy() {
    return pipeline.pool().healthy();
  }

  /**
   * Tasks being processed right now.
   *
   * @return the count
   */
  public int inFlight() {
    return pipeline.pool().inFlight();
  }

  /**
   * Counters and stage times of this worker's pipeline since it was built.
   *
   * @return a snapshot
   */
  public PipelineStats stats() {
    return pipeline.stats();
  }

  /** Stops (with the drain deadline), then closes the pipeline. Idempotent. */
  @Override
  public void close() {
    try {
      stop();
    } finally {
      pipeline.close();
    }
  }

  /** Configures a {@link Worker}. */
  public static final class Builder {
    private final LocalizationPipeline pipeline;
    private Duration drainDeadline = Duration.ofSeconds(30);
    private boolean publishResults;

    private Builder(LocalizationPipeline pipeline) {
      this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    }

    /**
     * How long {@link Worker#stop()} lets tasks in flight finish before handing them back (default
     * 30 s). Keep it below the time a supervisor waits after SIGTERM before it kills the process
     * (systemd and Kubernetes wait 90 s and 30 s by default).
     *
     * @param deadline zero or more
     * @return this
     */
    public Builder drainDeadline(Duration deadline) {
      this.drainDeadline = Objects.requireNonNull(deadline, "drainDeadline");
      return this;
    }

    /**
     * Whether each stored result is read once through the pipeline's result cache, which puts it in
     * the shared Redis tier for the readers of other processes (default false). A stalled Redis
     * costs each read at most the cache's command timeout, and nothing while its breaker is open.
     *
     * @param publish the value
     * @return this
     */
    public Builder publishResults(boolean publish) {
      this.publishResults = publish;
      return this;
    }

    /**
     * Validates the settings and starts the pipeline's workers.
     *
     * @return the running worker, the caller's to close
     * @throws InvalidInputException for a negative drain deadline
     * @throws IllegalStateException if the pipeline is closed
     */
    public Worker start() {
      require(!drainDeadline.isNegative(), "drainDeadline", drainDeadline, ">= 0");
      return new Worker(this);
    }
  }
}
