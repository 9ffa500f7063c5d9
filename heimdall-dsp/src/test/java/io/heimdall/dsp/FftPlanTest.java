package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FftPlanTest {

  static float[] noise(int n, long seed) {
    Random random = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }

  /** Direct O(n²) DFT in float64: the reference. Returns interleaved bins 0..n-1. */
  static double[] naiveDft(float[] interleaved, int n) {
    double[] out = new double[2 * n];
    for (int k = 0; k < n; k++) {
      double re = 0;
      double im = 0;
      for (int j = 0; j < n; j++) {
        double angle = -2 * Math.PI * ((long) k * j % n) / n;
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        re += interleaved[2 * j] * c - interleaved[2 * j + 1] * s;
        im += interleaved[2 * j] * s + interleaved[2 * j + 1] * c;
      }
      out[2 * k] = re;
      out[2 * k + 1] = im;
    }
    return out;
  }

  static float[] asComplex(float[] real) {
    float[] out = new float[2 * real.length];
    for (int i = 0; i < real.length; i++) {
      out[2 * i] = real[i];
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 7, 64, 100, 243, 1000, 1021, 2048})
  void realSpectrumMatchesTheDefinition(int n) {
    float[] x = noise(n, n);
    double[] expected = naiveDft(asComplex(x), n);
    FftPlan plan = FftPlan.of(n);
    float[] out = new float[2 * plan.realBins()];
    plan.realSpectrum(x, 0, out, 0);
    double tolerance = 1e-5 * Math.sqrt(n) * Math.max(1, Math.log(n));
    for (int k = 0; k < plan.realBins(); k++) {
      assertThat((double) out[2 * k])
          .as("Re X[%d]", k)
          .isCloseTo(expected[2 * k], within(tolerance));
      assertThat((double) out[2 * k + 1])
          .as("Im X[%d]", k)
          .isCloseTo(expected[2 * k + 1], within(tolerance));
    }
    float[] power = new float[plan.realBins()];
    float[] packed = x.clone();
    plan.realForward(packed, 0);
    plan.powerFromPacked(packed, 0, power, 0);
    for (int k = 0; k < plan.realBins(); k++) {
      double p = expected[2 * k] * expected[2 * k] + expected[2 * k + 1] * expected[2 * k + 1];
      assertThat((double) power[k])
          .as("|X[%d]|²", k)
          .isCloseTo(p, within(tolerance * Math.sqrt(p) * 3 + 1e-6));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 100, 1021, 1024})
  void complexForwardMatchesTheDefinition(int n) {
    float[] x = noise(2 * n, 7L * n);
    double[] expected = naiveDft(x, n);
    float[] actual = x.clone();
    FftPlan.of(n).complexForward(actual, 0);
    double tolerance = 1e-5 * Math.sqrt(n) * Math.log(n);
    for (int i = 0; i < 2 * n; i++) {
      assertThat((double) actual[i]).isCloseTo(expected[i], within(tolerance));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 1000, 1021, 2048, 16384})
  void inverseUndoesForward(int n) {
    FftPlan plan = FftPlan.of(n);
    float[] real = noise(n, 3);
    float[] roundTrip = real.clone();
    plan.realForward(roundTrip, 0);
    plan.realInverse(roundTrip, 0);
    float[] complex = noise(2 * n, 4);
    float[] complexRoundTrip = complex.clone();
    plan.complexForward(complexRoundTrip, 0);
    plan.complexInverse(complexRoundTrip, 0);
    for (int i = 0; i < n; i++) {
      assertThat(roundTrip[i]).isCloseTo(real[i], within(1e-5f));
      assertThat(complexRoundTrip[2 * i]).isCloseTo(complex[2 * i], within(1e-5f));
      assertThat(complexRoundTrip[2 * i + 1]).isCloseTo(complex[2 * i + 1], within(1e-5f));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {512, 2048, 1000})
  void parsevalHolds(int n) {
    float[] x = noise(2 * n, 11);
    double timeEnergy = 0;
    for (float v : x) {
      timeEnergy += (double) v * v;
    }
    float[] spectrum = x.clone();
    FftPlan.of(n).complexForward(spectrum, 0);
    double frequencyEnergy = 0;
    for (float v : spectrum) {
      frequencyEnergy += (double) v * v;
    }
    assertThat(frequencyEnergy / n).isCloseTo(timeEnergy, within(timeEnergy * 1e-5));

    float[] real = noise(n, 12);
    double realEnergy = 0;
    for (float v : real) {
      realEnergy += (double) v * v;
    }
    FftPlan plan = FftPlan.of(n);
    float[] power = new float[plan.realBins()];
    float[] packed = real.clone();
    plan.realForward(packed, 0);
    plan.powerFromPacked(packed, 0, power, 0);
    double oneSided = power[0] + (n % 2 == 0 ? power[n / 2] : 0);
    for (int k = 1; k < (n + 1) / 2; k++) {
      oneSided += 2.0 * power[k];
    }
    assertThat(oneSided / n).isCloseTo(realEnergy, within(realEnergy * 1e-5));
  }

  @Test
  void aPureToneLandsInItsBin() {
    int n = 2048;
    int bin = 93;
    float[] tone = new float[n];
    float[] complexTone = new float[2 * n];
    for (int j = 0; j < n; j++) {
      double phase = 2 * Math.PI * bin * j / n;
      tone[j] = (float) Math.cos(phase);
      complexTone[2 * j] = (float) Math.cos(-phase);
      complexTone[2 * j + 1] = (float) Math.sin(-phase);
    }
    FftPlan plan = FftPlan.of(n);
    float[] power = new float[plan.realBins()];
    plan.realForward(tone, 0);
    plan.powerFromPacked(tone, 0, power, 0);
    assertThat(argMax(power)).isEqualTo(bin);
    assertThat(power[bin]).isCloseTo((n / 2f) * (n / 2f), within(1f * n));
    // e^{-j2π·93·t/n} is a negative frequency: bin n − 93
    plan.complexForward(complexTone, 0);
    float[] magnitude = new float[n];
    for (int k = 0; k < n; k++) {
      magnitude[k] =
          complexTone[2 * k] * complexTone[2 * k] + complexTone[2 * k + 1] * complexTone[2 * k + 1];
    }
    assertThat(argMax(magnitude)).isEqualTo(n - bin);
  }

  @Test
  void batchedTransformsEqualOneAtATime() {
    int n = 256;
    int count = 5;
    float[] frames = noise(2 * n * count, 5);
    float[] batched = frames.clone();
    FftPlan plan = FftPlan.of(n);
    plan.complexForward(batched, 0, count);
    for (int f = 0; f < count; f++) {
      float[] single = java.util.Arrays.copyOfRange(frames, 2 * n * f, 2 * n * (f + 1));
      plan.complexForward(single, 0);
      assertThat(java.util.Arrays.copyOfRange(batched, 2 * n * f, 2 * n * (f + 1)))
          .containsExactly(single);
    }
    plan.complexInverse(batched, 0, count);
    for (int i = 0; i < frames.length; i++) {
      assertThat(batched[i]).isCloseTo(frames[i], within(1e-5f));
    }
    float[] reals = noise(n * count, 6);
    float[] realBatched = reals.clone();
    plan.realForward(realBatched, 0, count);
    float[] second = java.util.Arrays.copyOfRange(reals, n, 2 * n);
    plan.realForward(second, 0);
    assertThat(java.util.Arrays.copyOfRange(realBatched, n, 2 * n)).containsExactly(second);
  }

  @Test
  void plansAreCachedAndSafeToShareBetweenThreads() throws Exception {
    assertThat(FftPlan.of(4096)).isSameAs(FftPlan.of(4096));
    int n = 4096;
    float[] x = noise(n, 21);
    float[] expected = x.clone();
    FftPlan.of(n).realForward(expected, 0);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(
            pool.submit(
                () -> {
                  boolean same = true;
                  for (int rep = 0; rep < 200; rep++) {
                    float[] y = x.clone();
                    FftPlan.of(n).realForward(y, 0);
                    same &= java.util.Arrays.equals(y, expected);
                  }
                  return same;
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void largeTransformsLeaveNoNonDaemonThreadBehind() {
    FftPlan plan = FftPlan.of(1 << 17);
    float[] x = noise(2 << 17, 1);
    plan.complexForward(x, 0);
    plan.realForward(x, 0);
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.isAlive() && !t.isDaemon())
        .extracting(Thread::getName)
        .allMatch(
            name -> name.equals("main") || name.startsWith("surefire"),
            "only main/surefire threads are non-daemon");
    assertThat(org.visnow.jlargearrays.ConcurrencyUtils.getNumberOfThreads()).isEqualTo(1);
  }

  @Test
  void rejectsBadSizesAndRanges() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> FftPlan.of(0))
        .isInstanceOf(DspException.class)
        .hasMessageContaining("FFT size must be > 0, got 0");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> FftPlan.of(8).realForward(new float[10], 4))
        .isInstanceOf(DspException.class)
        .hasMessageContaining("[4, 12)");
  }

  static int argMax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}
