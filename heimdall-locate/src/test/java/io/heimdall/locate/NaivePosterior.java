package io.heimdall.locate;

import java.util.List;
import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicData;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;
import org.hipparchus.special.Erf;

/**
 * The reference: the same posterior written the plain way, in doubles, on a fine uniform grid of
 * the azimuthal equidistant plane: per point, the transmit power's Gaussian given the heard readings
 * (mean {@code P̂}, deviation {@code σ/√k}) is integrated out of the censored terms by 20-point
 * Gauss–Hermite quadrature (the localiser uses 3 points), with {@code log Φ} from Hipparchus' erfc.
 * Nothing shared with the localiser but the model's definition.
 */
final class NaivePosterior {

  private static final GaussIntegrator HERMITE = new GaussIntegratorFactory().hermite(20);

  final double meanEast;
  final double meanNorth;
  final double ee;
  final double en;
  final double nn;
  final double latitude;
  final double longitude;
  final double regionMass;

  NaivePosterior(
      SearchArea area, List<Reading> readings, double exponent, double sigma, double spacingM, double level) {
    int r = readings.size();
    double[][] s = new double[r][];
    for (int j = 0; j < r; j++) {
      Station st = readings.get(j).station();
      GeodesicData g =
          Geodesic.WGS84.Inverse(area.latitude(), area.longitude(), st.latitude(), st.longitude());
      s[j] =
          new double[] {
            g.s12 * Math.sin(Math.toRadians(g.azi1)), g.s12 * Math.cos(Math.toRadians(g.azi1))
          };
    }
    double radius = area.radiusM();
    int cells = (int) Math.ceil(radius / spacingM);
    int side = 2 * cells;
    double[] logPost = new double[side * side];
    double max = Double.NEGATIVE_INFINITY;
    double[] loss = new double[r];
    for (int a = 0; a < side; a++) {
      double e = (a - cells + 0.5) * spacingM;
      for (int b = 0; b < side; b++) {
        double n = (b - cells + 0.5) * spacingM;
        int k = a * side + b;
        if (e * e + n * n > radius * radius) {
          logPost[k] = Double.NEGATIVE_INFINITY;
          continue;
        }
        double tx = 0;
        int heard = 0;
        for (int j = 0; j < r; j++) {
          loss[j] = Scenario.lossDb(Math.hypot(e - s[j][0], n - s[j][1]), exponent);
          if (readings.get(j).heard()) {
            tx += readings.get(j).levelDbm() + loss[j];
            heard++;
          }
        }
        tx /= heard;
        double ll = 0;
        boolean censored = false;
        for (int j = 0; j < r; j++) {
          double predicted = tx - loss[j];
          if (readings.get(j).heard()) {
            double z = (readings.get(j).levelDbm() - predicted) / sigma;
            ll -= 0.5 * z * z;
          } else {
            censored = true;
          }
        }
        if (censored) {
          double expectation = 0;
          for (int q = 0; q < HERMITE.getNumberOfPoints(); q++) {
            double power = tx + sigma / Math.sqrt(heard) * Math.sqrt(2) * HERMITE.getPoint(q);
            double logProduct = 0;
            for (int j = 0; j < r; j++) {
              if (!readings.get(j).heard()) {
                logProduct += logPhi((readings.get(j).levelDbm() - (power - loss[j])) / sigma);
              }
            }
            expectation += HERMITE.getWeight(q) / Math.sqrt(Math.PI) * Math.exp(logProduct);
          }
          ll += Math.log(expectation);
        }
        logPost[k] = ll;
        max = Math.max(max, ll);
      }
    }
    double total = 0;
    double me = 0;
    double mn = 0;
    double[] w = new double[side * side];
    for (int k = 0; k < w.length; k++) {
      w[k] = Math.exp(logPost[k] - max);
      total += w[k];
    }
    for (int k = 0; k < w.length; k++) {
      w[k] /= total;
      me += w[k] * ((k / side) - cells + 0.5) * spacingM;
      mn += w[k] * ((k % side) - cells + 0.5) * spacingM;
    }
    double cee = 0;
    double cen = 0;
    double cnn = 0;
    for (int k = 0; k < w.length; k++) {
      double de = ((k / side) - cells + 0.5) * spacingM - me;
      double dn = ((k % side) - cells + 0.5) * spacingM - mn;
      cee += w[k] * de * de;
      cen += w[k] * de * dn;
      cnn += w[k] * dn * dn;
    }
    double det = cee * cnn - cen * cen;
    double chi2 = -2 * Math.log(1 - level);
    double mass = 0;
    for (int k = 0; k < w.length; k++) {
      double de = ((k / side) - cells + 0.5) * spacingM - me;
      double dn = ((k % side) - cells + 0.5) * spacingM - mn;
      if ((cnn * de * de - 2 * cen * de * dn + cee * dn * dn) / det <= chi2) {
        mass += w[k];
      }
    }
    this.meanEast = me;
    this.meanNorth = mn;
    this.ee = cee;
    this.en = cen;
    this.nn = cnn;
    this.regionMass = mass;
    GeodesicData g =
        Geodesic.WGS84.Direct(
            area.latitude(), area.longitude(), Math.toDegrees(Math.atan2(me, mn)), Math.hypot(me, mn));
    this.latitude = g.lat2;
    this.longitude = g.lon2;
  }

  /** log Φ(z), accurate far into the lower tail. */
  static double logPhi(double z) {
    if (z > -30) {
      return Math.log(0.5 * Erf.erfc(-z / Math.sqrt(2)));
    }
    return -0.5 * z * z - Math.log(-z) - 0.5 * Math.log(2 * Math.PI);
  }

  /** Spread: square root of the smaller eigenvalue of the covariance, metres. */
  double minorSpreadM() {
    return Math.sqrt(new Covariance(ee, en, nn).eigenvalues()[1]);
  }
}
