package io.heimdall.pipeline;

import io.heimdall.core.db.ClaimedTask;
import io.heimdall.core.db.LeaseLostException;
import io.heimdall.core.db.TaskQueue;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker threads that claim one task at a time (prefetch 1) from the durable queue and hand it to a
 * handler. A worker is recycled after a number of tasks: its thread ends and a fresh one, with a
 * fresh scratch object, takes the slot, so thread-local state cannot grow without bound. Every
 * thread is a daemon.
 *
 * <p>While a task runs, a heartbeat thread renews its lease every third of the lease, so the lease
 * can be short: a task whose worker died returns to the queue within about one lease, not after the
 * longest a task may take. When the database cannot be reached, workers back off (up to 2 s between
 * tries, one WARN line per outage) and, once it has been unreachable for the give-up time, stop and
 * report a {@link QueueUnreachableException} to whoever awaits them.
 *
 * @param <S> per-worker scratch state (e.g. a feature buffer), made once per worker thread
 */
final class WorkerPool<S> {

  /** What a worker does with a claimed task; it must acknowledge or fail the claim itself. */
  interface Handler<S> {
    void handle(ClaimedTask claimed, S scratch);
  }

  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
  private static final String PROCESS = ManagementFactory.getRuntimeMXBean().getName();
  private static final long HEALTHY = Long.MIN_VALUE;

  private final TaskQueue queue;
  private final Handler<S> handler;
  private final Supplier<S> scratch;
  private final int tasksPerWorker;
  private final Duration pollInterval;
  private final Duration closeTimeout;
  private final Duration giveUp;
  private final long heartbeatNanos;
  private final Thread[] workers;
  private final AtomicReferenceArray<ClaimedTask> inFlight;
  private final AtomicInteger recycled = new AtomicInteger();
  private final AtomicLong unreachableSince = new AtomicLong(HEALTHY);
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition workAvailable = lock.newCondition();
  private final Condition taskFinished = lock.newCondition();
  private boolean started;
  private volatile boolean closed;
  private volatile boolean stopped;
  private int released = -1;

  WorkerPool(
      TaskQueue queue,
      Handler<S> handler,
      Supplier<S> scratch,
      int workers,
      int tasksPerWorker,
      Duration pollInterval,
      Duration closeTimeout,
      Duration giveUp) {
    this.queue = queue;
    this.handler = handler;
    this.scratch = scratch;
    this.workers = new Thread[workers];
    this.inFlight = new AtomicReferenceArray<>(workers);
    this.tasksPerWorker = tasksPerWorker;
    this.pollInterval = pollInterval;
    this.closeTimeout = closeTimeout;
    this.giveUp = giveUp;
    this.heartbeatNanos = queue.options().lease().toNanos() / 3;
  }

  /** Starts the workers and the lease heartbeat; idempotent. */
  void start() {
    lock.lock();
    try {
      if (started || closed) {
        return;
      }
      started = true;
      for (int slot = 0; slot < workers.length; slot++) {
        startWorker(slot, 0);
      }
      Thread heartbeat = new Thread(this::renewLeases, "heimdall-pipeline-lease-heartbeat");
      heartbeat.setDaemon(true);
      heartbeat.start();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes idle workers now instead of at their next poll. */
  void wake() {
    signal(workAvailable);
  }

  /**
   * Waits until {@code progress}, re-read each time a worker finishes a task, reaches {@code
   * target}.
   *
   * @throws QueueUnreachableException if the workers gave up on an unreachable database
   */
  boolean await(LongSupplier progress, long target, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (progress.getAsLong() < target) {
        throwIfFailed();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        taskFinished.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Why the workers stopped on their own, if they did. */
  Optional<RuntimeException> failure() {
    return Optional.ofNullable(failure.get());
  }

  /** Whether workers run and the database answered their last claim. */
  boolean healthy() {
    return started && !closed && unreachableSince.get() == HEALTHY;
  }

  /** Tasks being processed right now. */
  int inFlight() {
    int n = 0;
    for (int slot = 0; slot < inFlight.length(); slot++) {
      n += inFlight.get(slot) == null ? 0 : 1;
    }
    return n;
  }

  int recycledWorkers() {
    return recycled.get();
  }

  /**
   * Stops claiming, lets each worker finish its current task until {@code deadline} has passed,
   * then hands the tasks still in flight back to the queue at once (instead of when their leases
   * expire). A worker that finishes later finds its claim gone and stores nothing. Idempotent: a
   * second call returns what the first did.
   *
   * @return how many tasks were handed back
   */
  int drain(Duration deadline) {
    lock.lock();
    try {
      if (released >= 0) {
        return released;
      }
      closed = true;
      workAvailable.signalAll();
      taskFinished.signalAll();
    } finally {
      lock.unlock();
    }
    long until = System.nanoTime() + deadline.toNanos();
    for (int slot = 0; slot < workers.length; slot++) {
      joinUntil(slot, until);
    }
    int handedBack = 0;
    for (int slot = 0; slot < workers.length; slot++) {
      ClaimedTask claimed = inFlight.getAndSet(slot, null);
      if (claimed == null) {
        continue;
      }
      try {
        queue.release(claimed);
        handedBack++;
        LOG.info(
            "task {} was still running after {}: handed back to the queue",
            claimed.task().id(),
            deadline);
      } catch (RuntimeException e) {
        LOG.warn(
            "task {} could not be handed back ({}); it returns to the queue when its lease expires",
            claimed.task().id(),
            e.getMessage());
      }
    }
    stopped = true;
    lock.lock();
    try {
      released = handedBack;
      return handedBack;
    } finally {
      lock.unlock();
    }
  }

  /** Stops claiming and drains within the close timeout; idempotent. */
  void close() {
    drain(closeTimeout);
  }

  private void startWorker(int slot, int generation) {
    Thread worker =
        new Thread(
            () -> runWorker(slot, generation),
            "heimdall-pipeline-worker-" + slot + (generation == 0 ? "" : "." + generation));
    worker.setDaemon(true);
    worker.setUncaughtExceptionHandler(
        (thread, error) ->
            LOG.error(
                "{} died; its task returns to the queue when its lease expires",
                thread.getName(),
                error));
    workers[slot] = worker;
    worker.start();
  }

  private void runWorker(int slot, int generation) {
    String workerId = PROCESS + ":worker-" + slot + "." + generation;
    S state = scratch.get();
    int processed = 0;
    int failures = 0;
    while (!closed) {
      if (processed == tasksPerWorker) {
        recycle(slot, generation);
        return;
      }
      Optional<ClaimedTask> claimed;
      try {
        claimed = queue.claim(workerId);
        failures = 0;
        reachable();
      } catch (RuntimeException e) {
        failures++;
        unreachable(e);
        awaitWork(Math.max(pollInterval.toNanos(), Outages.pauseNanos(failures)));
        continue;
      }
      if (claimed.isEmpty()) {
        awaitWork(pollInterval.toNanos());
        continue;
      }
      inFlight.set(slot, claimed.get());
      try {
        handler.handle(claimed.get(), state);
      } finally {
        inFlight.compareAndSet(slot, claimed.get(), null);
        signal(taskFinished);
      }
      processed++;
    }
  }

  private void reachable() {
    long since = unreachableSince.get();
    if (since != HEALTHY && unreachableSince.compareAndSet(since, HEALTHY)) {
      LOG.info(
          "task queue reachable again after {} ms",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
    }
  }

  private void unreachable(RuntimeException e) {
    long now = System.nanoTime();
    if (unreachableSince.compareAndSet(HEALTHY, now)) {
      // one line per outage, not one per worker per retry
      LOG.warn(
          "task queue unreachable, retrying for up to {} before giving up: {}",
          giveUp,
          e.getMessage());
      return;
    }
    long since = unreachableSince.get();
    if (since != HEALTHY && now - since > giveUp.toNanos()) {
      QueueUnreachableException gaveUp =
          new QueueUnreachableException(
              "the task queue's database has been unreachable for "
                  + TimeUnit.NANOSECONDS.toSeconds(now - since)
                  + " s (give-up time "
                  + giveUp
                  + "); last error: "
                  + e.getMessage(),
              e);
      if (failure.compareAndSet(null, gaveUp)) {
        LOG.error(gaveUp.getMessage());
        lock.lock();
        try {
          closed = true;
          workAvailable.signalAll();
          taskFinished.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }
  }

  private void throwIfFailed() {
    RuntimeException gaveUp = failure.get();
    if (gaveUp != null) {
      throw gaveUp;
    }
  }

  /** Renews the lease of every task in flight until the pool has stopped. */
  private void renewLeases() {
    while (!stopped) {
      try {
        TimeUnit.NANOSECONDS.sleep(heartbeatNanos);
      } catch (InterruptedException e) {
        return;
      }
      for (int slot = 0; slot < inFlight.length() && !stopped; slot++) {
        ClaimedTask claimed = inFlight.get(slot);
        if (claimed == null) {
          continue;
        }
        try {
          queue.extendLease(claimed);
        } catch (LeaseLostException e) {
          LOG.warn("{}; its result will not be stored by this worker", e.getMessage());
        } catch (RuntimeException e) {
          // an outage: the claim loop reports it; the lease has two more beats before it expires
          LOG.debug("lease of task {} not renewed: {}", claimed.task().id(), e.getMessage());
        }
      }
    }
  }

  private void recycle(int slot, int generation) {
    lock.lock();
    try {
      if (!closed) {
        recycled.incrementAndGet();
        startWorker(slot, generation + 1);
      }
    } finally {
      lock.unlock();
    }
  }

  private void awaitWork(long nanos) {
    lock.lock();
    try {
      if (!closed) {
        workAvailable.await(nanos, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private void signal(Condition condition) {
    lock.lock();
    try {
      condition.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void joinUntil(int slot, long deadline) {
    // a recycled slot may hand over to a new thread while we wait: follow it
    Thread worker;
    while ((worker = workers[slot]) != null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (!worker.isAlive() && workers[slot] == worker) {
        return;
      }
    }
  }
}
