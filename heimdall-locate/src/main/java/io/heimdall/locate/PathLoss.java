package io.heimdall.locate;

/**
 * Log-distance path loss: free space (20 dB per decade) up to {@value #BREAK_M} m, then {@code 10·n}
 * dB per decade, clamped below {@value #MIN_DISTANCE_M} m (antenna heights make closer distances
 * meaningless). The frequency term of free space is left out: it is a constant that the unknown
 * transmit power absorbs, so the posterior does not depend on it.
 */
final class PathLoss {

  /** Distance where free space gives way to exponent {@code n}, metres. */
  static final double BREAK_M = 1_000;

  /** Distances below this count as this, metres. */
  static final double MIN_DISTANCE_M = 100;

  private static final double LN10 = Math.log(10);

  private final double exponent;

  PathLoss(double exponent) {
    this.exponent = exponent;
  }

  double exponent() {
    return exponent;
  }

  /** Loss in dB at a ground distance, up to the constant the transmit power absorbs. */
  double lossDb(double distanceM) {
    double d = Math.max(MIN_DISTANCE_M, distanceM);
    if (d <= BREAK_M) {
      return 20 * Math.log10(d);
    }
    return 20 * Math.log10(BREAK_M) + 10 * exponent * Math.log10(d / BREAK_M);
  }

  /** {@code d lossDb / d distance}, dB per metre (0 below the clamp). */
  double slopeDbPerM(double distanceM) {
    if (distanceM < MIN_DISTANCE_M) {
      return 0;
    }
    return (distanceM <= BREAK_M ? 20 : 10 * exponent) / (distanceM * LN10);
  }

  /**
   * The relative spread of a distance estimated from one reading: {@code ln(10)·σ/(10·n)}. A
   * transmitter {@code d} from a receiver is placed within about {@code d} times this.
   */
  double relativeSpread(double shadowingDb) {
    return LN10 * shadowingDb / (10 * exponent);
  }
}
