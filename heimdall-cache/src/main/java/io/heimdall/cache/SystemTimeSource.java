package io.heimdall.cache;

/** Wall-clock anchored, monotonic time; see {@link TimeSource#system()}. */
enum SystemTimeSource implements TimeSource {
  INSTANCE;

  private final long offsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

  @Override
  public long epochNanos() {
    return offsetNanos + System.nanoTime();
  }
}
