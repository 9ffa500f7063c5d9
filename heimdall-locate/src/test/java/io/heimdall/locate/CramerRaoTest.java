package io.heimdall.locate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The analytic Cramér–Rao bound against a numeric one: the Fisher information estimated as the mean
 * outer product of the score, the score taken by finite differences of the log-likelihood of
 * readings drawn from the model (a receiver censored at its floor included), over east, north and
 * the transmit power.
 */
class CramerRaoTest {

  private static final double SIGMA = 4;
  private static final double EXPONENT = 3.2;

  @Test
  void analyticBoundMatchesTheMonteCarloFisherInformation() {
    List<Station> stations = Scenario.TURIN;
    LocalPlane plane = new LocalPlane(Scenario.TURIN_AREA);
    double[][] s =
        stations.stream().map(x -> plane.toPlane(x.latitude(), x.longitude())).toArray(double[][]::new);
    double east = 12_000;
    double north = -7_000;
    double tx = 33;
    int r = s.length;
    double[] mean = new double[r];
    for (int j = 0; j < r; j++) {
      mean[j] = tx - Scenario.lossDb(Math.hypot(east - s[j][0], north - s[j][1]), EXPONENT);
    }
    // Milano Baggio (index 6) reads only above a floor 1 dB over its mean: censored about 40 %.
    double floor = mean[6] + 1;
    boolean[] heard = {true, true, true, true, true, true, false};
    double[] levels = mean.clone();
    levels[6] = floor;

    double analytic =
        CramerRao.boundM(east, north, s, levels, heard, new PathLoss(EXPONENT), SIGMA);

    SplittableRandom random = new SplittableRandom(3);
    int draws = 40_000;
    double[][] fisher = new double[3][3];
    double[] theta = {east, north, tx};
    double[] step = {2, 2, 0.02};
    double[] y = new double[r];
    for (int d = 0; d < draws; d++) {
      for (int j = 0; j < r; j++) {
        y[j] = mean[j] + SIGMA * gaussian(random);
      }
      boolean censored = y[6] <= floor;
      double[] score = new double[3];
      for (int p = 0; p < 3; p++) {
        double[] up = theta.clone();
        double[] down = theta.clone();
        up[p] += step[p];
        down[p] -= step[p];
        score[p] =
            (logLikelihood(up, s, y, censored, floor) - logLikelihood(down, s, y, censored, floor))
                / (2 * step[p]);
      }
      for (int p = 0; p < 3; p++) {
        for (int q = 0; q < 3; q++) {
          fisher[p][q] += score[p] * score[q] / draws;
        }
      }
    }
    RealMatrix inverse = MatrixUtils.inverse(MatrixUtils.createRealMatrix(fisher));
    double numeric = Math.sqrt(inverse.getEntry(0, 0) + inverse.getEntry(1, 1));
    System.out.printf("bound: analytic %.1f m, Monte Carlo %.1f m%n", analytic, numeric);
    assertThat(analytic / numeric).isCloseTo(1, within(0.03));

    // Without the censored receiver's information the bound must be larger.
    double withoutMilano =
        CramerRao.boundM(
            east,
            north,
            java.util.Arrays.copyOf(s, 6),
            java.util.Arrays.copyOf(levels, 6),
            java.util.Arrays.copyOf(heard, 6),
            new PathLoss(EXPONENT),
            SIGMA);
    assertThat(withoutMilano).isGreaterThan(analytic);
  }

  private static double logLikelihood(
      double[] theta, double[][] s, double[] y, boolean censored, double floor) {
    double ll = 0;
    for (int j = 0; j < s.length; j++) {
      double mu =
          theta[2] - Scenario.lossDb(Math.hypot(theta[0] - s[j][0], theta[1] - s[j][1]), EXPONENT);
      if (j == 6 && censored) {
        ll += NaivePosterior.logPhi((floor - mu) / SIGMA);
      } else {
        double z = (y[j] - mu) / SIGMA;
        ll -= 0.5 * z * z;
      }
    }
    return ll;
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
