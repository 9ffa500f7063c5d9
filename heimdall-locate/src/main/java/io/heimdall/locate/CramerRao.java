package io.heimdall.locate;

import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.special.Erf;

/**
 * The Cramér–Rao bound on position for received-power readings, at a point of the plane.
 *
 * <p>The parameters are east, north and the transmit power {@code P}; reading {@code j} has mean
 * {@code μ_j = P − L(d_j)} and shadowing σ, so its gradient is {@code g_j = (−L'(d_j)·u_j, 1)} with
 * {@code u_j} the unit vector from the receiver to the point. A heard reading carries the full
 * Gaussian information {@code g gᵀ/σ²}. A receiver that heard nothing is a reading censored at its
 * floor {@code c_j}: with {@code a = (c_j − μ_j)/σ} its information is {@code g gᵀ/σ²} times {@code
 * 1 − Φ(a) + aφ(a) + φ(a)²/Φ(a)} (between 0, far below the floor, and 1). The bound is {@code
 * sqrt(trace)} of the east/north block of the inverse of the summed 3×3 information, so the unknown
 * power costs what it costs.
 */
final class CramerRao {

  private static final double KM = 1_000;
  private static final double SQRT2 = Math.sqrt(2);
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

  private CramerRao() {}

  /**
   * The bound, metres, or {@code +Infinity} when the information is singular.
   *
   * @param east point east, m
   * @param north point north, m
   * @param stations receivers' plane positions {@code [r][east, north]}
   * @param levels received power (heard) or noise floor (not heard), dBm
   * @param heard which receivers heard
   */
  static double boundM(
      double east,
      double north,
      double[][] stations,
      double[] levels,
      boolean[] heard,
      PathLoss loss,
      double sigma) {
    int r = stations.length;
    double[] distance = new double[r];
    double power = 0;
    int count = 0;
    for (int j = 0; j < r; j++) {
      distance[j] = Math.hypot(east - stations[j][0], north - stations[j][1]);
      if (heard[j]) {
        power += levels[j] + loss.lossDb(distance[j]);
        count++;
      }
    }
    power /= Math.max(1, count);
    double[][] information = new double[3][3];
    for (int j = 0; j < r; j++) {
      double weight = 1;
      if (!heard[j]) {
        double a = (levels[j] - (power - loss.lossDb(distance[j]))) / sigma;
        weight = censoredWeight(a);
      }
      // Position in kilometres keeps the 3×3 matrix well scaled next to the power's entry.
      double slope = distance[j] > 0 ? KM * loss.slopeDbPerM(distance[j]) / distance[j] : 0;
      double[] g = {
        -slope * (east - stations[j][0]), -slope * (north - stations[j][1]), 1
      };
      for (int p = 0; p < 3; p++) {
        for (int q = 0; q < 3; q++) {
          information[p][q] += weight * g[p] * g[q] / (sigma * sigma);
        }
      }
    }
    RealMatrix fisher = MatrixUtils.createRealMatrix(information);
    LUDecomposition lu = new LUDecomposition(fisher, 1e-12);
    if (!lu.getSolver().isNonSingular()) {
      return Double.POSITIVE_INFINITY;
    }
    RealMatrix inverse = lu.getSolver().getInverse();
    double trace = inverse.getEntry(0, 0) + inverse.getEntry(1, 1);
    return trace > 0 && Double.isFinite(trace) ? KM * Math.sqrt(trace) : Double.POSITIVE_INFINITY;
  }

  /** Fisher information of a reading censored at {@code a} standard deviations, per 1/σ². */
  static double censoredWeight(double a) {
    double cdf = 0.5 * Erf.erfc(-a / SQRT2);
    double upper = 0.5 * Erf.erfc(a / SQRT2);
    double pdf = INV_SQRT_2PI * Math.exp(-0.5 * a * a);
    double censoredPart = cdf > 0 ? pdf * pdf / cdf : 0;
    return Math.max(0, Math.min(1, upper + a * pdf + censoredPart));
  }
}
