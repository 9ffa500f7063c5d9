package io.heimdall.dsp.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Polyphase} with the Vector API: a vector of consecutive phases at once, so that outputs
 * are written in order, a whole vector at a time. Consecutive phases read nearly the same input
 * window (phase r's newest sample moves by down/up per phase), so each group of phases gets one
 * widened filter over the union of their windows, zero where a phase does not reach, and every
 * input sample of that window is one broadcast multiply-add for the whole group. Only loaded when
 * the JVM has the {@code jdk.incubator.vector} module.
 */
public final class VectorPolyphase implements Polyphase {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  private final int up;
  private final int down;

  /** Per group g (phases g·LANES onwards): its first phase's first sample for q = 0. */
  private final int[] groupStart;

  /**
   * Per group: the widened filter, {@code width·LANES} values, sample j's lane weights from
   * j·LANES.
   */
  private final float[][] groupFilters;

  /**
   * @return whether the preferred vector species holds at least 8 floats
   */
  public static boolean wideEnough() {
    return LANES >= 8;
  }

  /**
   * @param up outputs per period
   * @param down inputs per period
   * @param taps taps per phase
   * @param filters {@code up·taps} coefficients, phase r's from {@code r·taps}
   * @param newest per phase, the padded index of its oldest sample for q = 0
   */
  public VectorPolyphase(int up, int down, int taps, float[] filters, int[] newest) {
    this.up = up;
    this.down = down;
    int groups = (up + LANES - 1) / LANES;
    this.groupStart = new int[groups];
    this.groupFilters = new float[groups][];
    for (int g = 0; g < groups; g++) {
      int first = g * LANES;
      int lanes = Math.min(LANES, up - first);
      int start = Integer.MAX_VALUE;
      int end = Integer.MIN_VALUE;
      for (int l = 0; l < lanes; l++) {
        start = Math.min(start, newest[first + l]);
        end = Math.max(end, newest[first + l] + taps);
      }
      float[] widened = new float[(end - start) * LANES];
      for (int l = 0; l < lanes; l++) {
        int shift = newest[first + l] - start;
        for (int i = 0; i < taps; i++) {
          widened[(shift + i) * LANES + l] = filters[(first + l) * taps + i];
        }
      }
      groupStart[g] = start;
      groupFilters[g] = widened;
    }
  }

  @Override
  public void filter(float[] padded, float[] out, int outOffset, int outputs) {
    // the last group first: where it has fewer phases than lanes, its spare lanes spill onto the
    // next period's first outputs, which group 0 overwrites afterwards; only a spill past the last
    // output needs a masked store
    int groups = groupFilters.length;
    for (int k = 0; k < groups; k++) {
      int g = (k + groups - 1) % groups;
      float[] widened = groupFilters[g];
      int width = widened.length / LANES;
      int firstPhase = g * LANES;
      int q = 0;
      int m = firstPhase;
      // four periods at once: four independent chains of multiply-adds (one chain waits on each
      // addition's latency) sharing every filter load; all four stores are whole vectors
      for (; m + 3 * up + LANES <= outputs; q += 4, m += 4 * up) {
        int base = q * down + groupStart[g];
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        for (int j = 0; j < width; j++) {
          FloatVector weights = FloatVector.fromArray(SPECIES, widened, j * LANES);
          acc0 = weights.fma(FloatVector.broadcast(SPECIES, padded[base + j]), acc0);
          acc1 = weights.fma(FloatVector.broadcast(SPECIES, padded[base + down + j]), acc1);
          acc2 = weights.fma(FloatVector.broadcast(SPECIES, padded[base + 2 * down + j]), acc2);
          acc3 = weights.fma(FloatVector.broadcast(SPECIES, padded[base + 3 * down + j]), acc3);
        }
        acc0.intoArray(out, outOffset + m);
        acc1.intoArray(out, outOffset + m + up);
        acc2.intoArray(out, outOffset + m + 2 * up);
        acc3.intoArray(out, outOffset + m + 3 * up);
      }
      for (; m < outputs; q++, m += up) {
        int base = q * down + groupStart[g];
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int j = 0; j < width; j++) {
          acc = FloatVector.fromArray(SPECIES, widened, j * LANES)
              .fma(FloatVector.broadcast(SPECIES, padded[base + j]), acc);
        }
        if (m + LANES <= outputs) {
          acc.intoArray(out, outOffset + m);
        } else {
          acc.intoArray(out, outOffset + m, SPECIES.indexInRange(0, outputs - m));
        }
      }
    }
  }
}
