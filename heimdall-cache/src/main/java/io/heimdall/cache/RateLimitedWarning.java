package io.heimdall.cache;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/** Logs one WARN per interval and says how many were suppressed in between. */
final class RateLimitedWarning {

  private final Logger log;
  private final long intervalNanos;
  private final AtomicLong nextAllowedNanos;
  private final LongAdder suppressed = new LongAdder();

  RateLimitedWarning(Logger log, long interval, TimeUnit unit) {
    this.log = log;
    this.intervalNanos = unit.toNanos(interval);
    this.nextAllowedNanos = new AtomicLong(System.nanoTime());
  }

  /** Logs unless a warning was logged less than the interval ago; returns whether it logged. */
  boolean warn(String message, Throwable cause) {
    long now = System.nanoTime();
    long next = nextAllowedNanos.get();
    if (now - next < 0 || !nextAllowedNanos.compareAndSet(next, now + intervalNanos)) {
      suppressed.increment();
      return false;
    }
    long skipped = suppressed.sumThenReset();
    log.warn(
        "{}: {} ({} similar warnings suppressed in the previous {} s)",
        message,
        cause.toString(),
        skipped,
        TimeUnit.NANOSECONDS.toSeconds(intervalNanos));
    log.debug("cause of the previous warning", cause);
    return true;
  }
}
