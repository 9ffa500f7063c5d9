package io.heimdall.locate.tdoa;

import io.heimdall.locate.Covariance;
import io.heimdall.locate.LocationEstimate;
import io.heimdall.locate.Method;
import io.heimdall.locate.Region;
import io.heimdall.locate.SearchArea;
import io.heimdall.locate.Station;
import java.util.List;
import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicData;
import net.sf.geographiclib.GeodesicMask;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresBuilder;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresProblem;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LevenbergMarquardtOptimizer;
import org.hipparchus.util.Pair;

/**
 * The position that best explains a set of range differences, by weighted least squares.
 *
 * <p>Model: the difference of the geodesic distances (WGS84, GeographicLib) from the position to a
 * receiver and to the reference. The differences share the reference's error, so their covariance
 * is {@code s_ref²·11ᵀ + diag(s_i²)}; the residuals are whitened with the inverse of its Cholesky
 * factor. Start: the best point of a grid over the search area (in its azimuthal equidistant plane,
 * where the distances from the centre are exact and the others are off by well under the grid's
 * step). Then Levenberg–Marquardt (Hipparchus) in a chart centred at that start, whose distortion
 * within the few kilometres the refinement moves is below a millimetre; the residuals themselves
 * are always exact geodesic distances, so the chart only steers the steps.
 *
 * <p>The covariance of the estimate is {@code (Jᵀ C⁻¹ J)⁻¹} with {@code J} the gradients of the
 * range differences at the estimate, in the local east/north axes there: the Cramér–Rao bound for
 * time differences with those variances, which the least-squares estimate reaches at these
 * signal-to-noise ratios.
 */
final class TdoaSolver {

  private static final Geodesic WGS84 = Geodesic.WGS84;
  private static final int GRID = 81;
  private static final int INVERSE = GeodesicMask.DISTANCE | GeodesicMask.AZIMUTH;
  private static final int DIRECT = GeodesicMask.LATITUDE | GeodesicMask.LONGITUDE;

  private TdoaSolver() {}

  /**
   * Solves for the position.
   *
   * @param stations every receiver, the reference among them
   * @param reference index of the reference
   * @param used indices of the receivers with a difference
   * @param rangeDifferences distance to {@code used[i]} minus to the reference, metres
   * @param referenceVariance the reference's share of each difference's variance, m²
   * @param ownVariance each difference's own variance, m²
   */
  static LocationEstimate solve(
      SearchArea area,
      List<Station> stations,
      int reference,
      int[] used,
      double[] rangeDifferences,
      double referenceVariance,
      double[] ownVariance,
      double level) {
    int n = used.length;
    double[][] covariance = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        covariance[i][j] = referenceVariance + (i == j ? ownVariance[i] : 0);
      }
    }
    RealMatrix lower = new CholeskyDecomposition(MatrixUtils.createRealMatrix(covariance)).getL();
    RealMatrix whiten = MatrixUtils.inverse(lower);
    RealVector target = whiten.operate(new ArrayRealVector(rangeDifferences));

    double[] start = gridStart(area, stations, reference, used, whiten, target);
    double startLat = start[0];
    double startLon = start[1];
    LeastSquaresProblem problem =
        new LeastSquaresBuilder()
            .start(new double[] {0, 0})
            .model(
                point -> {
                  double[] geo =
                      toGeographic(startLat, startLon, point.getEntry(0), point.getEntry(1));
                  Differences d = differences(geo[0], geo[1], stations, reference, used);
                  return new Pair<>(
                      whiten.operate(new ArrayRealVector(d.values, false)),
                      whiten.multiply(new Array2DRowRealMatrix(d.gradients, false)));
                })
            .target(target)
            .lazyEvaluation(false)
            .maxEvaluations(1_000)
            .maxIterations(200)
            .build();
    LeastSquaresOptimizer.Optimum optimum = new LevenbergMarquardtOptimizer().optimize(problem);
    RealVector best = optimum.getPoint();
    double[] estimate = toGeographic(startLat, startLon, best.getEntry(0), best.getEntry(1));

    Differences at = differences(estimate[0], estimate[1], stations, reference, used);
    RealMatrix j = whiten.multiply(new Array2DRowRealMatrix(at.gradients, false));
    RealMatrix inverse = MatrixUtils.inverse(j.transpose().multiply(j));
    Covariance cov =
        symmetric(inverse.getEntry(0, 0), inverse.getEntry(0, 1), inverse.getEntry(1, 1));
    return estimate(estimate, cov, level, n + 1, Method.TDOA);
  }

  /**
   * The estimate of a Gaussian: the region at the level, which holds exactly that probability under
   * it, and the bound {@code sqrt(trace)} of the covariance.
   */
  static LocationEstimate estimate(
      double[] where, Covariance cov, double level, int receivers, Method method) {
    return new LocationEstimate(
        where[0],
        where[1],
        cov,
        Region.of(cov, level),
        level,
        Math.sqrt(cov.eastEast() + cov.northNorth()),
        receivers,
        method);
  }

  /** The grid point of the area with the least whitened cost: {@code [lat, lon]}. */
  private static double[] gridStart(
      SearchArea area,
      List<Station> stations,
      int reference,
      int[] used,
      RealMatrix whiten,
      RealVector target) {
    int r = stations.size();
    double[][] plane = new double[r][];
    for (int i = 0; i < r; i++) {
      Station s = stations.get(i);
      plane[i] = toPlane(area.latitude(), area.longitude(), s.latitude(), s.longitude());
    }
    double[][] w = whiten.getData();
    double[] t = target.toArray();
    int n = used.length;
    double[] raw = new double[n];
    double bestCost = Double.POSITIVE_INFINITY;
    double bestEast = 0;
    double bestNorth = 0;
    double radius = area.radiusM();
    double step = 2 * radius / (GRID - 1);
    for (int a = 0; a < GRID; a++) {
      double east = -radius + a * step;
      for (int b = 0; b < GRID; b++) {
        double north = -radius + b * step;
        if (east * east + north * north > radius * radius) {
          continue;
        }
        double toReference = Math.hypot(east - plane[reference][0], north - plane[reference][1]);
        for (int i = 0; i < n; i++) {
          raw[i] = Math.hypot(east - plane[used[i]][0], north - plane[used[i]][1]) - toReference;
        }
        double cost = 0;
        for (int i = 0; i < n; i++) {
          double e = -t[i];
          for (int k = 0; k <= i; k++) {
            e += w[i][k] * raw[k];
          }
          cost += e * e;
        }
        if (cost < bestCost) {
          bestCost = cost;
          bestEast = east;
          bestNorth = north;
        }
      }
    }
    return toGeographic(area.latitude(), area.longitude(), bestEast, bestNorth);
  }

  /** Range differences at a point and their gradients in the local east/north axes there. */
  private record Differences(double[] values, double[][] gradients) {}

  private static Differences differences(
      double lat, double lon, List<Station> stations, int reference, int[] used) {
    double[] toReference = distanceAndGradient(stations.get(reference), lat, lon);
    double[] values = new double[used.length];
    double[][] gradients = new double[used.length][];
    for (int i = 0; i < used.length; i++) {
      double[] d = distanceAndGradient(stations.get(used[i]), lat, lon);
      values[i] = d[0] - toReference[0];
      gradients[i] = new double[] {d[1] - toReference[1], d[2] - toReference[2]};
    }
    return new Differences(values, gradients);
  }

  /**
   * The geodesic distance from a station to a point and its gradient there: moving the point along
   * the geodesic's direction at the point (azimuth {@code azi2}) lengthens it one for one.
   */
  private static double[] distanceAndGradient(Station station, double lat, double lon) {
    GeodesicData g = WGS84.Inverse(station.latitude(), station.longitude(), lat, lon, INVERSE);
    if (!(g.s12 > 0)) {
      return new double[] {0, 0, 0};
    }
    double azimuth = Math.toRadians(g.azi2);
    return new double[] {g.s12, Math.sin(azimuth), Math.cos(azimuth)};
  }

  /** The point at plane coordinates {@code (east, north)} of the chart centred at a point. */
  static double[] toGeographic(double lat, double lon, double east, double north) {
    if (east == 0 && north == 0) {
      return new double[] {lat, lon};
    }
    GeodesicData g =
        WGS84.Direct(
            lat, lon, Math.toDegrees(Math.atan2(east, north)), Math.hypot(east, north), DIRECT);
    return new double[] {g.lat2, Math.IEEEremainder(g.lon2, 360)};
  }

  /** Plane coordinates {@code (east, north)} of a point in the chart centred at another. */
  static double[] toPlane(double lat, double lon, double pointLat, double pointLon) {
    GeodesicData g = WGS84.Inverse(lat, lon, pointLat, pointLon, INVERSE);
    double azimuth = Math.toRadians(g.azi1);
    return new double[] {g.s12 * Math.sin(azimuth), g.s12 * Math.cos(azimuth)};
  }

  /** A covariance from a computed inverse, clamped onto the positive semi-definite cone. */
  static Covariance symmetric(double ee, double en, double nn) {
    ee = Math.max(0, ee);
    nn = Math.max(0, nn);
    double limit = Math.sqrt(ee * nn);
    return new Covariance(ee, Math.max(-limit, Math.min(limit, en)), nn);
  }
}
