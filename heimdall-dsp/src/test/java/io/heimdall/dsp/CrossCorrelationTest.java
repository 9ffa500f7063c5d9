package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CrossCorrelationTest {

  private static final double FS = 12_500;
  private static final double NS_PER_SAMPLE = 1e9 / FS;
  private static final int MARGIN = 30;

  /** A band-limited test signal: a sum of tones between 300 and 3000 Hz, exact at any time. */
  private record Tones(double[] hz, double[] phase) {
    static Tones random(SplittableRandom random, int count) {
      double[] hz = new double[count];
      double[] phase = new double[count];
      for (int i = 0; i < count; i++) {
        hz[i] = 300 + 2700 * random.nextDouble();
        phase[i] = 2 * Math.PI * random.nextDouble();
      }
      return new Tones(hz, phase);
    }

    /**
     * Samples {@code (m·w)(n/fs − delay)} for n in [0, length), with {@code w} a Hann taper in
     * continuous time that is zero for the first and last {@value #MARGIN} samples: the delayed
     * copy then holds the whole of the same signal, and the test measures the estimator, not the
     * different ends of two windows.
     */
    float[] sample(int length, double delaySamples) {
      float[] out = new float[length];
      double span = length - 2.0 * MARGIN;
      for (int n = 0; n < length; n++) {
        double u = n - delaySamples - MARGIN;
        if (u <= 0 || u >= span) {
          continue;
        }
        double taper = Math.pow(Math.sin(Math.PI * u / span), 2);
        double t = (n - delaySamples) / FS;
        double v = 0;
        for (int i = 0; i < hz.length; i++) {
          v += Math.cos(2 * Math.PI * hz[i] * t + phase[i]);
        }
        out[n] = (float) (taper * v);
      }
      return out;
    }
  }

  private static CrossCorrelation correlate(float[] x, float[] y) {
    int m = CrossCorrelation.fftSize(x.length, y.length);
    return CrossCorrelation.of(
        CrossCorrelation.spectrum(x, m), CrossCorrelation.spectrum(y, m), FS, 200, 3200);
  }

  @Test
  void integerLagsMatchTheDirectSumOverTheWholeBand() {
    SplittableRandom random = new SplittableRandom(3);
    float[] x = new float[300];
    float[] y = new float[250];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) random.nextGaussian();
    }
    int m = CrossCorrelation.fftSize(x.length, y.length);
    float[] sx = CrossCorrelation.spectrum(x, m);
    float[] sy = CrossCorrelation.spectrum(y, m);
    CrossCorrelation c = CrossCorrelation.of(sx, sy, FS, 0, FS / 2);
    float[] fast = c.atIntegerLags();
    for (int lag = -200; lag <= 200; lag += 7) {
      double direct = 0;
      for (int n = 0; n < x.length; n++) {
        if (n + lag >= 0 && n + lag < y.length) {
          direct += (double) x[n] * y[n + lag];
        }
      }
      // the band leaves out DC (packed[0]) and Nyquist (packed[1]); remove their share
      double dc = (double) sx[0] * sy[0] / m;
      double nyquist = (double) sx[1] * sy[1] * (lag % 2 == 0 ? 1 : -1) / m;
      double expected = direct - dc - nyquist;
      assertThat(c.at(lag)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-3));
      assertThat((double) fast[Math.floorMod(lag, m)])
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-3));
    }
  }

  @Test
  void refinedPeakHasNoBiasWhereTheParabolaHasMicroseconds() {
    SplittableRandom random = new SplittableRandom(11);
    int trials = 120;
    double oursSum = 0;
    double oursAbsMax = 0;
    double parabolaSum = 0;
    for (int t = 0; t < trials; t++) {
      Tones tones = Tones.random(random, 40);
      // fractional parts in (0.1, 0.4): a parabola's error has one sign there
      double delay = random.nextInt(-20, 21) + 0.1 + 0.3 * random.nextDouble();
      CrossCorrelation c = correlate(tones.sample(6_250, 0), tones.sample(6_250, delay));
      CrossCorrelation.Peak peak = c.peak(-40, 40);
      double ours = (peak.lagSamples() - delay) * NS_PER_SAMPLE;
      oursSum += ours;
      oursAbsMax = Math.max(oursAbsMax, Math.abs(ours));
      int l = (int) Math.round(peak.lagSamples());
      double a = c.at(l - 1);
      double b = c.at(l);
      double d = c.at(l + 1);
      double vertex = l + 0.5 * (a - d) / (a - 2 * b + d);
      parabolaSum += (vertex - delay) * NS_PER_SAMPLE;
      assertThat(peak.coefficient()).isGreaterThan(0.98);
    }
    double oursMean = oursSum / trials;
    double parabolaMean = parabolaSum / trials;
    System.out.printf(
        "fractional lag error over %d delays: refined mean %.3f ns (largest %.3f ns), parabola"
            + " mean %.0f ns%n",
        trials, oursMean, oursAbsMax, parabolaMean);
    assertThat(Math.abs(oursMean)).as("mean error of the refined peak, ns").isLessThan(1.0);
    assertThat(oursAbsMax).as("largest error of the refined peak, ns").isLessThan(5.0);
    assertThat(Math.abs(parabolaMean)).as("mean error of the parabola, ns").isGreaterThan(100.0);
  }

  @Test
  void predictedLagVarianceMatchesTheSpreadUnderNoise() {
    SplittableRandom random = new SplittableRandom(5);
    Tones tones = Tones.random(random, 40);
    int length = 4_096;
    float[] clean = tones.sample(length, 0);
    float[] delayed = tones.sample(length, 3.3);
    double sigmaX = 2.0;
    double sigmaY = 3.0;
    int trials = 300;
    double sum = 0;
    double sumSq = 0;
    double predicted = 0;
    int m = CrossCorrelation.fftSize(length, length);
    float[] signalSpectrum = CrossCorrelation.spectrum(clean, m);
    for (int t = 0; t < trials; t++) {
      float[] x = clean.clone();
      float[] y = delayed.clone();
      for (int n = 0; n < length; n++) {
        x[n] += (float) (sigmaX * random.nextGaussian());
        y[n] += (float) (sigmaY * random.nextGaussian());
      }
      CrossCorrelation c = correlate(x, y);
      double lag = c.peak(-10, 10).lagSamples();
      sum += lag;
      sumSq += lag * lag;
      if (t == 0) {
        int bins = c.bins();
        double[] s = new double[bins];
        double[] nx = new double[bins];
        double[] ny = new double[bins];
        for (int i = 0; i < bins; i++) {
          int k = c.firstBin() + i;
          s[i] = sq(signalSpectrum[2 * k]) + sq(signalSpectrum[2 * k + 1]);
          nx[i] = length * sigmaX * sigmaX;
          ny[i] = length * sigmaY * sigmaY;
        }
        double[] parts = c.lagVariance(s, nx, ny, length);
        predicted = parts[0] + parts[1] + parts[2];
      }
    }
    double mean = sum / trials;
    double variance = sumSq / trials - mean * mean;
    assertThat(mean)
        .isCloseTo(3.3, org.assertj.core.data.Offset.offset(4 * Math.sqrt(predicted / trials)));
    // the sample standard deviation of 300 draws is within ±12 % of the truth at 3 sigma
    assertThat(Math.sqrt(variance) / Math.sqrt(predicted)).isBetween(0.85, 1.15);
  }

  @Test
  void refusesAWindowWithoutAnIntegerLag() {
    SplittableRandom random = new SplittableRandom(1);
    Tones tones = Tones.random(random, 10);
    CrossCorrelation c = correlate(tones.sample(1000, 0), tones.sample(1000, 0));
    assertThatThrownBy(() -> c.peak(0.2, 0.8))
        .isInstanceOf(DspException.class)
        .hasMessageContaining("lag window");
  }

  private static double sq(double v) {
    return v * v;
  }
}
