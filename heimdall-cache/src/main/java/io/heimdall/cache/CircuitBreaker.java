package io.heimdall.cache;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Stops asking a stalled Redis: after {@code threshold} consecutive failures (timeouts, refused
 * commands) the tier is skipped, so calls cost no command timeout, and a background probe asks
 * Redis again every cool-down until it answers. Callers never wait for a probe.
 */
final class CircuitBreaker {

  private final int threshold;
  private final long coolDownMillis;
  private final BooleanSupplier probe;
  private final Runnable onOpen;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicBoolean open = new AtomicBoolean();
  private volatile boolean closed;

  /**
   * @param probe one round trip to Redis, {@code true} if it answered in time
   * @param onOpen counts an opening (a transition from closed to open)
   */
  CircuitBreaker(int threshold, long coolDownMillis, BooleanSupplier probe, Runnable onOpen) {
    this.threshold = threshold;
    this.coolDownMillis = coolDownMillis;
    this.probe = probe;
    this.onOpen = onOpen;
  }

  /** Whether calls may use Redis now. */
  boolean allows() {
    return !open.get();
  }

  boolean isOpen() {
    return open.get();
  }

  void success() {
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
  }

  void failure() {
    if (consecutiveFailures.incrementAndGet() >= threshold && open.compareAndSet(false, true)) {
      onOpen.run();
      Background.schedule(this::probe, coolDownMillis);
    }
  }

  /** Closes the breaker after a fresh connection, which proves Redis answers. */
  void reset() {
    consecutiveFailures.set(0);
    open.set(false);
  }

  /** Stops probing; the owner is closing. */
  void shutdown() {
    closed = true;
  }

  private void probe() {
    if (closed || !open.get()) {
      return;
    }
    if (probe.getAsBoolean()) {
      reset();
    } else {
      Background.schedule(this::probe, coolDownMillis);
    }
  }
}
