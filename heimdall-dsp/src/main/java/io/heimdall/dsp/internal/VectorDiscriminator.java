package io.heimdall.dsp.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Discriminator} with the Vector API: a vector of consecutive samples at a time, read from
 * the interleaved array with gathers (even floats are the real parts, odd ones the imaginary
 * parts). Only loaded when the JVM has the {@code jdk.incubator.vector} module.
 */
public final class VectorDiscriminator implements Discriminator {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final float HALF_PI = (float) (Math.PI / 2);
  private static final float PI = (float) Math.PI;

  private final float a1;
  private final float a3;
  private final float a5;
  private final float a7;
  private final float a9;
  private final int[] evenFloats = new int[SPECIES.length()];

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
    for (int j = 0; j < evenFloats.length; j++) {
      evenFloats[j] = 2 * j;
    }
  }

  @Override
  public int demodulate(
      float[] iq, int from, int n, float offset, float scale, float[] out, int outOffset) {
    int lanes = SPECIES.length();
    int i = 1;
    for (; i + lanes <= n; i += lanes) {
      int at = from + 2 * i;
      FloatVector re = FloatVector.fromArray(SPECIES, iq, at, evenFloats, 0);
      FloatVector im = FloatVector.fromArray(SPECIES, iq, at + 1, evenFloats, 0);
      FloatVector prevRe = FloatVector.fromArray(SPECIES, iq, at - 2, evenFloats, 0);
      FloatVector prevIm = FloatVector.fromArray(SPECIES, iq, at - 1, evenFloats, 0);
      FloatVector x = re.mul(prevRe).add(im.mul(prevIm));
      FloatVector y = im.mul(prevRe).sub(re.mul(prevIm));
      FloatVector angle = atan2(y, x).sub(offset);
      VectorMask<Float> above = angle.compare(VectorOperators.GT, PI);
      VectorMask<Float> below = angle.compare(VectorOperators.LE, -PI);
      angle = angle.blend(angle.sub(2 * PI), above).blend(angle.add(2 * PI), below);
      angle.mul(scale).intoArray(out, outOffset + i);
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
