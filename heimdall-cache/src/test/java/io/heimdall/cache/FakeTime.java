package io.heimdall.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A settable clock for deterministic expiry and early refresh. */
final class FakeTime implements TimeSource {

  private final AtomicLong nanos = new AtomicLong(1_700_000_000_000_000_000L);

  @Override
  public long epochNanos() {
    return nanos.get();
  }

  void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }
}
