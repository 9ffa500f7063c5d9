package io.heimdall.cache;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread, shared by every cache of the JVM, for work no caller waits for: reconnecting
 * to Redis and probing a stalled one. It exits when idle, so it never keeps a JVM alive.
 */
final class Background {

  private static final ScheduledThreadPoolExecutor EXECUTOR = create();

  private Background() {}

  private static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "heimdall-cache-background");
              thread.setDaemon(true);
              return thread;
            });
    executor.setKeepAliveTime(10, TimeUnit.SECONDS);
    executor.allowCoreThreadTimeOut(true);
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /** Runs {@code task} after {@code delayMillis}; a task that throws is not repeated. */
  static void schedule(Runnable task, long delayMillis) {
    EXECUTOR.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
  }
}
