package io.heimdall.dsp.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PowerMoments} with the Vector API: each float64 vector holds half as many samples as
 * lanes, as (re, im) pairs; squaring and adding each pair to its swapped self puts |x|² in both
 * lanes of the pair, so every sum counts each sample twice and is halved at the end (exactly).
 * Only loaded when the JVM has the {@code jdk.incubator.vector} module.
 */
public final class VectorPowerMoments implements PowerMoments {

  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
  /** Floats of half the width: converted, they fill one float64 vector. */
  private static final VectorSpecies<Float> FLOATS =
      VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));
  private static final VectorShuffle<Double> SWAP_PAIRS =
      VectorShuffle.fromOp(DOUBLES, i -> i ^ 1);

  /**
   * @return whether float64 vectors hold at least 4 values (AVX2 and wider)
   */
  public static boolean wideEnough() {
    return DOUBLES.length() >= 4;
  }

  /** The kernel has no state. */
  public VectorPowerMoments() {}

  @Override
  public int sum(float[] iq, int from, int n, double[] sums) {
    int floats = DOUBLES.length();
    int samples = floats / 2;
    DoubleVector s1 = DoubleVector.zero(DOUBLES);
    DoubleVector s2 = s1;
    DoubleVector s3 = s1;
    DoubleVector s4 = s1;
    int i = 0;
    for (; i + samples <= n; i += samples) {
      DoubleVector x =
          (DoubleVector)
              FloatVector.fromArray(FLOATS, iq, from + 2 * i)
                  .convertShape(VectorOperators.F2D, DOUBLES, 0);
      DoubleVector squares = x.mul(x);
      DoubleVector m = squares.add(squares.rearrange(SWAP_PAIRS));
      DoubleVector mm = m.mul(m);
      s1 = s1.add(m);
      s2 = s2.add(mm);
      s3 = s3.add(mm.mul(m));
      s4 = s4.add(mm.mul(mm));
    }
    sums[0] += s1.reduceLanes(VectorOperators.ADD) / 2;
    sums[1] += s2.reduceLanes(VectorOperators.ADD) / 2;
    sums[2] += s3.reduceLanes(VectorOperators.ADD) / 2;
    sums[3] += s4.reduceLanes(VectorOperators.ADD) / 2;
    return i;
  }
}
