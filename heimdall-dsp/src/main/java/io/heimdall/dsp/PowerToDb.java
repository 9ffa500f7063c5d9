package io.heimdall.dsp;

import java.nio.FloatBuffer;

/**
 * Power to decibels as {@code librosa.power_to_db}: {@code 10·log10(max(amin, S)) −
 * 10·log10(max(amin, ref))}, then floored at {@code max − topDb}. The reference is either a fixed
 * value (librosa's default 1.0) or the maximum of each spectrogram ({@code ref=np.max}). Immutable.
 */
public final class PowerToDb {

  private final double reference;
  private final boolean referenceIsMax;
  private final double amin;
  private final double topDb;

  private PowerToDb(double reference, boolean referenceIsMax, double amin, double topDb) {
    this.reference = reference;
    this.referenceIsMax = referenceIsMax;
    this.amin = amin;
    this.topDb = topDb;
  }

  /**
   * {@code ref = max(S)}, amin 1e-10, top_db 80: what the models are fed.
   *
   * @return the conversion relative to each spectrogram's maximum, so its largest value is 0 dB
   */
  public static PowerToDb relativeToMax() {
    return new PowerToDb(Double.NaN, true, 1e-10, 80);
  }

  /**
   * A fixed reference power (librosa's default is 1.0), amin 1e-10, top_db 80.
   *
   * @param reference the power that maps to 0 dB, finite and greater than 0
   * @return the conversion relative to {@code reference}
   * @throws DspException if {@code reference} is not a finite positive number
   */
  public static PowerToDb relativeTo(double reference) {
    Checks.positive("reference power", reference);
    return new PowerToDb(reference, false, 1e-10, 80);
  }

  /**
   * The same conversion with another amin (smallest power considered, > 0).
   *
   * @param amin the smallest power considered, finite and greater than 0 (default 1e-10, so the
   *     floor before top_db is −100 dB relative to a reference of 1)
   * @return a new conversion with this amin and the other settings unchanged
   * @throws DspException if {@code amin} is not a finite positive number
   */
  public PowerToDb withAmin(double amin) {
    Checks.positive("amin", amin);
    return new PowerToDb(reference, referenceIsMax, amin, topDb);
  }

  /**
   * The same conversion with another dynamic range in dB (≥ 0), or none with infinity.
   *
   * @param topDb how far below the converted maximum values are floored, in dB, at least 0 (default
   *     80); {@link Double#POSITIVE_INFINITY} disables the floor
   * @return a new conversion with this dynamic range and the other settings unchanged
   * @throws DspException if {@code topDb} is negative or NaN
   */
  public PowerToDb withTopDb(double topDb) {
    if (!(topDb >= 0)) {
      throw new DspException("top_db must be >= 0, got " + topDb);
    }
    return new PowerToDb(reference, referenceIsMax, amin, topDb);
  }

  /**
   * Converts {@code values[offset, offset+length)} in place and returns the array.
   *
   * @param values power values (linear, not dB), overwritten by their decibels
   * @param offset index of the first value to convert
   * @param length number of values to convert; with the maximum reference, the maximum is taken
   *     over these values only
   * @return {@code values}
   * @throws DspException if the range reaches outside {@code values}
   */
  public float[] applyInPlace(float[] values, int offset, int length) {
    Checks.range("power to dB", values.length, offset, length);
    if (length == 0) {
      return values;
    }
    double ref = reference;
    if (referenceIsMax) {
      float max = values[offset];
      for (int i = offset + 1; i < offset + length; i++) {
        max = Math.max(max, values[i]);
      }
      ref = max;
    }
    double refDb = 10.0 * Math.log10(Math.max(amin, ref));
    float maxDb = Float.NEGATIVE_INFINITY;
    for (int i = offset; i < offset + length; i++) {
      float db = (float) (10.0 * Math.log10(Math.max(amin, values[i])) - refDb);
      values[i] = db;
      maxDb = Math.max(maxDb, db);
    }
    if (topDb != Double.POSITIVE_INFINITY) {
      float floor = (float) (maxDb - topDb);
      for (int i = offset; i < offset + length; i++) {
        values[i] = Math.max(values[i], floor);
      }
    }
    return values;
  }

  /**
   * Converts all of {@code values} in place and returns the array.
   *
   * @param values power values (linear, not dB), overwritten by their decibels
   * @return {@code values}
   */
  public float[] applyInPlace(float[] values) {
    return applyInPlace(values, 0, values.length);
  }

  /**
   * Converts {@code length} values of {@code buffer} from absolute index {@code index} in place.
   *
   * @param buffer holds power values (linear, not dB), overwritten by their decibels; its position
   *     and limit are not changed
   * @param index absolute index of the first value to convert
   * @param length number of values to convert
   * @throws IndexOutOfBoundsException if the range reaches outside the buffer
   */
  public void applyInPlace(FloatBuffer buffer, int index, int length) {
    float[] values = new float[length];
    buffer.get(index, values);
    applyInPlace(values, 0, length);
    buffer.put(index, values);
  }
}
