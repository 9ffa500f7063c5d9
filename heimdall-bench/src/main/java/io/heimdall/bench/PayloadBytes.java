package io.heimdall.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts the response bodies a benchmark produced and their bytes. JMH reports both counters as
 * totals over the measured iterations, so {@code payloadBytes / payloads} is the exact size of one
 * body (the report divides them).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class PayloadBytes {
  /** Bodies produced in this iteration. */
  public long payloads;

  /** Their total size in bytes. */
  public long payloadBytes;

  /** Starts each iteration from zero. */
  @Setup(Level.Iteration)
  public void reset() {
    payloads = 0;
    payloadBytes = 0;
  }

  /**
   * @param body a response body
   * @return the same body, counted
   */
  byte[] count(byte[] body) {
    payloads++;
    payloadBytes += body.length;
    return body;
  }
}
