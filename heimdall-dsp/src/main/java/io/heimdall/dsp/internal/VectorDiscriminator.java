package io.heimdall.dsp.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Discriminator} with the Vector API: a vector of consecutive samples at a time. Only
 * loaded when the JVM has the {@code jdk.incubator.vector} module.
 */
public final class VectorDiscriminator implements Discriminator {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final float HALF_PI = (float) (Math.PI / 2);
  private static final float PI = (float) Math.PI;

  /** Samples split into real and imaginary parts at a time: 8 KB of scratch, in L1. */
  private static final int CHUNK = 1024;

  private final float a1;
  private final float a3;
  private final float a5;
  private final float a7;
  private final float a9;

  /**
   * @return whether the preferred vector species holds at least 8 floats
   */
  public static boolean wideEnough() {
    return SPECIES.length() >= 8;
  }

  /**
   * @param atanCoefficients coefficients of a, a³, a⁵, a⁷, a⁹
   */
  public VectorDiscriminator(float[] atanCoefficients) {
    if (atanCoefficients.length != 5) {
      throw new IllegalArgumentException(
          "atan polynomial needs 5 odd coefficients, got " + atanCoefficients.length);
    }
    this.a1 = atanCoefficients[0];
    this.a3 = atanCoefficients[1];
    this.a5 = atanCoefficients[2];
    this.a7 = atanCoefficients[3];
    this.a9 = atanCoefficients[4];
  }

  @Override
  public int demodulate(
      float[] iq, int from, int n, float offset, float scale, float[] out, int outOffset) {
    int lanes = SPECIES.length();
    // split into real and imaginary parts a chunk at a time (sample i of the chunk at index i + 1,
    // its predecessor at i), so that the vector loop reads contiguous floats instead of gathering
    // every other one
    float[] re = new float[CHUNK + 1];
    float[] im = new float[CHUNK + 1];
    int i = 1;
    while (i + lanes <= n) {
      int count = Math.min(CHUNK, (n - i) / lanes * lanes);
      for (int k = 0, at = from + 2 * (i - 1); k <= count; k++, at += 2) {
        re[k] = iq[at];
        im[k] = iq[at + 1];
      }
      for (int k = 0; k < count; k += lanes) {
        FloatVector prevRe = FloatVector.fromArray(SPECIES, re, k);
        FloatVector prevIm = FloatVector.fromArray(SPECIES, im, k);
        FloatVector curRe = FloatVector.fromArray(SPECIES, re, k + 1);
        FloatVector curIm = FloatVector.fromArray(SPECIES, im, k + 1);
        FloatVector x = curRe.mul(prevRe).add(curIm.mul(prevIm));
        FloatVector y = curIm.mul(prevRe).sub(curRe.mul(prevIm));
        FloatVector angle = atan2(y, x).sub(offset);
        VectorMask<Float> above = angle.compare(VectorOperators.GT, PI);
        VectorMask<Float> below = angle.compare(VectorOperators.LE, -PI);
        angle = angle.blend(angle.sub(2 * PI), above).blend(angle.add(2 * PI), below);
        angle.mul(scale).intoArray(out, outOffset + i + k);
      }
      i += count;
    }
    return i;
  }

  private FloatVector atan2(FloatVector y, FloatVector x) {
    FloatVector ax = x.abs();
    FloatVector ay = y.abs();
    FloatVector big = ax.max(ay);
    FloatVector small = ax.min(ay);
    FloatVector a = small.div(big.max(Float.MIN_NORMAL));
    FloatVector s = a.mul(a);
    FloatVector r = s.mul(a9).add(a7).mul(s).add(a5).mul(s).add(a3).mul(s).add(a1).mul(a);
    r = r.blend(FloatVector.broadcast(SPECIES, HALF_PI).sub(r), ay.compare(VectorOperators.GT, ax));
    r = r.blend(FloatVector.broadcast(SPECIES, PI).sub(r), x.compare(VectorOperators.LT, 0f));
    return r.blend(r.neg(), y.test(VectorOperators.IS_NEGATIVE));
  }
}
