package io.heimdall.cache;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.DoubleSupplier;

/**
 * XFetch (Vattani et al., VLDB 2015): a read at time t of an entry that took δ to compute and
 * expires at T recomputes it when {@code t − δ·β·ln(u) ≥ T}, u uniform in (0, 1], so a hot key is
 * recomputed once ahead of its expiry instead of by every caller at it. At most one caller per key
 * and JVM refreshes at a time.
 */
final class EarlyRefresh {

  /**
   * Beyond this many windows δ·β before expiry the refresh probability is below e^-40: skip the
   * draw, so hits normally cost no random number.
   */
  private static final double MAX_WINDOWS_AHEAD = 40;

  private final double beta;
  private final DoubleSupplier random;
  private final ConcurrentMap<Object, Boolean> refreshing = new ConcurrentHashMap<>();

  EarlyRefresh(double beta, DoubleSupplier random) {
    this.beta = beta;
    this.random = random;
  }

  /** Whether a read at {@code now} should recompute {@code entry} (β = 0: never). */
  boolean isDue(Entry<?> entry, long now) {
    double window = beta * entry.computeNanos();
    double remaining = entry.expiresAtNanos() - now;
    if (window <= 0 || remaining > MAX_WINDOWS_AHEAD * window) {
      return false;
    }
    return -window * Math.log(random.getAsDouble()) >= remaining;
  }

  /** Claims the refresh of a key; {@code false} if another caller is refreshing it. */
  boolean begin(Object localKey) {
    return refreshing.putIfAbsent(localKey, Boolean.TRUE) == null;
  }

  /** Releases a claim taken by {@link #begin}. */
  void end(Object localKey) {
    refreshing.remove(localKey);
  }
}
