package io.heimdall.pipeline;

import io.heimdall.core.db.ClaimedTask;
import io.heimdall.core.db.TaskQueue;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * @param <S> per-worker scratch state (e.g. a feature buffer), made once per worker thread
 */
final class WorkerPool<S> {

  /** What a worker does with a claimed task; it must acknowledge or fail the claim itself. */
  interface Handler<S> {
    void handle(ClaimedTask claimed, S scratch);
  }

  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
  private static final String PROCESS = ManagementFactory.getRuntimeMXBean().getName();

  private final TaskQueue queue;
  private final Handler<S> handler;
  private final Supplier<S> scratch;
  private final int tasksPerWorker;
  private final Duration pollInterval;
  private final Duration closeTimeout;
  private final Thread[] workers;
  private final AtomicInteger recycled = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition workAvailable = lock.newCondition();
  private final Condition taskFinished = lock.newCondition();
  private boolean started;
  private volatile boolean closed;

  WorkerPool(
      TaskQueue queue,
      Handler<S> handler,
      Supplier<S> scratch,
      int workers,
      int tasksPerWorker,
      Duration pollInterval,
      Duration closeTimeout) {
    this.queue = queue;
    this.handler = handler;
    this.scratch = scratch;
    this.workers = new Thread[workers];
    this.tasksPerWorker = tasksPerWorker;
    this.pollInterval = pollInterval;
    this.closeTimeout = closeTimeout;
  }

  /** Starts the workers; idempotent. */
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
   */
  boolean await(LongSupplier progress, long target, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (progress.getAsLong() < target) {
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

  int recycledWorkers() {
    return recycled.get();
  }

  /** Stops claiming; each worker finishes its current task for up to the close timeout. */
  void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      workAvailable.signalAll();
    } finally {
      lock.unlock();
    }
    long deadline = System.nanoTime() + closeTimeout.toNanos();
    for (int slot = 0; slot < workers.length; slot++) {
      joinUntil(slot, deadline);
    }
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
    while (!closed) {
      if (processed == tasksPerWorker) {
        recycle(slot, generation);
        return;
      }
      Optional<ClaimedTask> claimed;
      try {
        claimed = queue.claim(workerId);
      } catch (RuntimeException e) {
        LOG.warn(
            "worker {} could not claim a task, retrying in {}: {}",
            workerId,
            pollInterval,
            e.getMessage());
        awaitWork();
        continue;
      }
      if (claimed.isEmpty()) {
        awaitWork();
        continue;
      }
      try {
        handler.handle(claimed.get(), state);
      } finally {
        signal(taskFinished);
      }
      processed++;
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

  private void awaitWork() {
    lock.lock();
    try {
      if (!closed) {
        workAvailable.await(pollInterval.toNanos(), TimeUnit.NANOSECONDS);
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
        LOG.warn(
            "worker {} did not finish its task within {}; it is a daemon and is left behind",
            worker.getName(),
            closeTimeout);
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
