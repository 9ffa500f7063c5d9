package io.heimdall.dsp;

/**
 * The chi-square distribution's quantile and density, for the bias correction of the noise floor:
 * an averaged periodogram bin of white noise is distributed as {@code chi²(ν)/ν} times the noise
 * density. Accurate to about 1e-12 relative, as {@code scipy.stats.chi2.ppf} and {@code pdf}.
 */
final class ChiSquare {

  private static final double[] LANCZOS = {
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7
  };
  private static final double EPSILON = 1e-15;
  private static final int MAX_TERMS = 10_000;

  private ChiSquare() {}

  /** The {@code q} quantile of chi-square with {@code nu} degrees of freedom, 0 &lt; q &lt; 1. */
  static double quantile(double q, double nu) {
    double a = nu / 2;
    // Wilson-Hilferty start, then Newton steps on P(a, x/2) = q, kept inside a bracket
    double z = normalQuantile(q);
    double h = 2 / (9 * nu);
    double x = Math.max(nu * Math.pow(1 - h + z * Math.sqrt(h), 3), 1e-8 * nu);
    double low = 0;
    double high = Double.POSITIVE_INFINITY;
    for (int i = 0; i < 200; i++) {
      double f = regularizedGammaP(a, x / 2) - q;
      if (f < 0) {
        low = x;
      } else {
        high = x;
      }
      double step = f / density(x, nu);
      double next = x - step;
      if (!(next > low && next < high)) {
        next = Double.isInfinite(high) ? 2 * x : (low + high) / 2;
      }
      if (Math.abs(next - x) <= 1e-14 * x) {
        return next;
      }
      x = next;
    }
    return x;
  }

  /** The chi-square density with {@code nu} degrees of freedom at {@code x > 0}. */
  static double density(double x, double nu) {
    double a = nu / 2;
    return Math.exp((a - 1) * Math.log(x / 2) - x / 2 - lnGamma(a)) / 2;
  }

  /** The regularised lower incomplete gamma function P(a, x). */
  static double regularizedGammaP(double a, double x) {
    if (x <= 0) {
      return 0;
    }
    double logPrefix = a * Math.log(x) - x - lnGamma(a);
    if (x < a + 1) {
      double term = 1 / a;
      double sum = term;
      for (int n = 1; n < MAX_TERMS; n++) {
        term *= x / (a + n);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * EPSILON) {
          break;
        }
      }
      return sum * Math.exp(logPrefix);
    }
    // continued fraction for Q(a, x) (modified Lentz)
    double tiny = 1e-300;
    double b = x + 1 - a;
    double c = 1 / tiny;
    double d = 1 / b;
    double f = d;
    for (int n = 1; n < MAX_TERMS; n++) {
      double an = -n * (n - a);
      b += 2;
      d = an * d + b;
      d = Math.abs(d) < tiny ? tiny : d;
      c = b + an / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double delta = d * c;
      f *= delta;
      if (Math.abs(delta - 1) < EPSILON) {
        break;
      }
    }
    return 1 - Math.exp(logPrefix) * f;
  }

  /** ln Γ(x) for x &gt; 0 (Lanczos, g = 7). */
  static double lnGamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
    }
    double y = x - 1;
    double sum = LANCZOS[0];
    for (int i = 1; i < LANCZOS.length; i++) {
      sum += LANCZOS[i] / (y + i);
    }
    double t = y + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
  }

  /** The standard normal quantile (Acklam's rational approximation, 1e-9 relative). */
  static double normalQuantile(double p) {
    double[] a = {
      -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
    };
    double[] b = {
      -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
      6.680131188771972e+01, -1.328068155288572e+01
    };
    double[] c = {
      -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
    };
    double[] d = {
      7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
    };
    if (p < 0.02425) {
      double q = Math.sqrt(-2 * Math.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - 0.02425) {
      return -normalQuantile(1 - p);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
}
