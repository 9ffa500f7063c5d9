package io.heimdall.locate.tdoa;

import static org.assertj.core.api.Assertions.assertThat;

import io.heimdall.locate.LocationEstimate;
import io.heimdall.locate.Method;
import io.heimdall.locate.SearchArea;
import io.heimdall.locate.Station;
import java.util.List;
import java.util.SplittableRandom;
import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicMask;
import org.junit.jupiter.api.Test;

/** The solver alone, on range differences computed from the geometry (GeographicLib). */
class TdoaSolverTest {

  static final List<Station> DEMO =
      List.of(
          Station.of("aquila-di-giaveno", "Aquila di Giaveno", 45.02, 7.29),
          Station.of("montanaro", "Montanaro", 45.234, 7.857),
          Station.of("torino", "Torino", 45.044, 7.672),
          Station.of("coazze", "Coazze", 45.03, 7.27),
          Station.of("passo-del-giovi", "Passo del Giovi", 44.561, 8.956),
          Station.of("genova", "Genova", 44.395, 8.956),
          Station.of("milano-baggio", "Milano Baggio", 45.478, 9.123));

  static final SearchArea TURIN = new SearchArea(45.0703, 7.6869, 40_000);

  private static double distance(Station s, double lat, double lon) {
    return Geodesic.WGS84.Inverse(s.latitude(), s.longitude(), lat, lon, GeodesicMask.DISTANCE).s12;
  }

  /** Draws positions in the area, noisy differences with the stated covariance, and solves. */
  private static double[] run(
      SplittableRandom random, double refSigma, double ownSigma, int trials) {
    int reference = 2;
    int[] used = {0, 1, 3, 4, 5, 6};
    double[] own = new double[used.length];
    java.util.Arrays.fill(own, ownSigma * ownSigma);
    int inside = 0;
    double worst = 0;
    for (int t = 0; t < trials; t++) {
      double[] p =
          TdoaSolver.toGeographic(
              TURIN.latitude(),
              TURIN.longitude(),
              (2 * random.nextDouble() - 1) * 28_000,
              (2 * random.nextDouble() - 1) * 28_000);
      double refNoise = refSigma * random.nextGaussian();
      double[] ranges = new double[used.length];
      double toRef = distance(DEMO.get(reference), p[0], p[1]);
      for (int i = 0; i < used.length; i++) {
        ranges[i] =
            distance(DEMO.get(used[i]), p[0], p[1])
                - toRef
                - refNoise
                + ownSigma * random.nextGaussian();
      }
      LocationEstimate e =
          TdoaSolver.solve(TURIN, DEMO, reference, used, ranges, refSigma * refSigma, own, 0.9);
      assertThat(e.method()).isEqualTo(Method.TDOA);
      assertThat(e.receivers()).isEqualTo(7);
      double[] x = TdoaSolver.toPlane(e.latitude(), e.longitude(), p[0], p[1]);
      worst = Math.max(worst, Math.hypot(x[0], x[1]));
      if (e.covers(p[0], p[1])) {
        inside++;
      }
    }
    return new double[] {(double) inside / trials, worst};
  }

  @Test
  void recoversThePositionFromExactDifferences() {
    double[] result = run(new SplittableRandom(1), 1e-3, 1e-3, 50);
    assertThat(result[1]).as("largest error, m").isLessThan(0.05);
  }

  @Test
  void regionsCoverTheTruthAtTheirLevel() {
    // 10 m and 15 m of range (33 ns and 50 ns): the GPS error and the correlation's at 25-50 dB
    double[] result = run(new SplittableRandom(7), 10, 15, 600);
    assertThat(result[0]).as("coverage at level 0.9").isBetween(0.87, 0.93);
    assertThat(result[1]).as("largest error, m").isLessThan(1_000);
  }
}
