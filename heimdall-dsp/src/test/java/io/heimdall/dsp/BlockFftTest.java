package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.heimdall.dsp.internal.BlockFft;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vector kernel (sixteen frames per call, one per SIMD lane) against JTransforms' real FFT and,
 * for the smaller sizes, a float64 DFT. Surefire starts this JVM with {@code --add-modules
 * jdk.incubator.vector}, so on a CPU with AVX2 or wider the kernel is there.
 */
class BlockFftTest {

  private static final int FRAMES = BlockFft.FRAMES;

  @Test
  void theVectorKernelIsAvailableOnThisJvm() {
    // surefire adds the incubator module; every x86-64 machine we build on has AVX2 at least
    assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
    assertThat(BlockFft.forSize(2048)).isNotNull();
    assertThat(BlockFft.forSize(2048).size()).isEqualTo(2048);
  }

  @Test
  void sizesThatAreNotPowersOfTwoOrBelowEightHaveNoKernel() {
    assertThat(BlockFft.forSize(4)).isNull();
    assertThat(BlockFft.forSize(1000)).isNull();
    assertThat(BlockFft.forSize(2047)).isNull();
  }

  /**
   * Every power of two from 8 to 8192: sixteen noise frames (different per lane, a hop that is not
   * the frame length, a window that is not flat) against JTransforms' packed real FFT of the same
   * windowed frames; bins compared relative to the largest power of that frame.
   */
  @ParameterizedTest
  @ValueSource(ints = {8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192})
  void powerSpectraMatchJTransformsForEveryPowerOfTwo(int n) {
    powerSpectraMatchJTransforms(n, n / 4 + 3);
  }

  /**
   * Hops that divide the frame, do not, exceed it (gaps between frames) or are one sample: the
   * kernel reads each block through a transposition cut at the hop. The signal ends where the
   * last frame does, so a read past it fails.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 7, 64, 128, 256, 300, 1000})
  void powerSpectraMatchJTransformsForAnyHop(int hop) {
    powerSpectraMatchJTransforms(256, hop);
  }

  private static void powerSpectraMatchJTransforms(int n, int hop) {
    BlockFft kernel = BlockFft.forSize(n);
    assertThat(kernel).isNotNull();
    float[] signal = noise(15 * hop + n + 5, n + hop);
    float[] window = Window.HANN.periodic(n);
    int first = 5;
    int bins = n / 2 + 1;
    float[] power = new float[bins * FRAMES];
    kernel.power(signal, first, hop, window, new float[kernel.scratchSize(hop)], power);

    FftPlan plan = FftPlan.of(n);
    float[] frame = new float[n];
    float[] expected = new float[bins];
    for (int j = 0; j < FRAMES; j++) {
      for (int i = 0; i < n; i++) {
        frame[i] = signal[first + j * hop + i] * window[i];
      }
      plan.realForward(frame, 0);
      plan.powerFromPacked(frame, 0, expected, 0);
      float max = 0;
      for (float value : expected) {
        max = Math.max(max, value);
      }
      for (int k = 0; k < bins; k++) {
        assertThat(power[k * FRAMES + j])
            .as("n %d, frame %d, bin %d", n, j, k)
            .isCloseTo(expected[k], within(2e-6f * max));
      }
    }
  }

  /**
   * Complex segments of every power of two from 4 to 4096 points (kernel sizes 8 to 8192): sixteen
   * noise segments read from an interleaved signal at a step that is not the segment length, added
   * to sums that already hold values, against JTransforms' complex FFT of the same segments.
   */
  @ParameterizedTest
  @ValueSource(ints = {4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096})
  void complexPowerSpectraAddToTheSumsAsJTransformsComputesThem(int points) {
    BlockFft kernel = BlockFft.forSize(2 * points);
    int step = points / 2 + 1;
    int first = 6;
    float[] iq = noise(first + 2 * (15 * step + points) + 4, points);
    float[] window = Window.HANN.periodic(points);
    float[] sums = new float[points * FRAMES];
    for (int i = 0; i < sums.length; i++) {
      sums[i] = i % 7;
    }
    kernel.accumulateComplexPower(
        iq, first, 2 * step, window, new float[kernel.scratchSize(2 * step)], sums);

    FftPlan plan = FftPlan.of(points);
    float[] segment = new float[2 * points];
    for (int j = 0; j < FRAMES; j++) {
      for (int i = 0; i < points; i++) {
        segment[2 * i] = iq[first + 2 * (j * step + i)] * window[i];
        segment[2 * i + 1] = iq[first + 2 * (j * step + i) + 1] * window[i];
      }
      plan.complexForward(segment, 0);
      double max = 0;
      for (int k = 0; k < points; k++) {
        max = Math.max(max, power(segment, k));
      }
      for (int k = 0; k < points; k++) {
        int at = k * FRAMES + j;
        assertThat((double) sums[at] - at % 7)
            .as("points %d, segment %d, bin %d", points, j, k)
            .isCloseTo(power(segment, k), within(2e-6 * max + 1e-6 * (at % 7)));
      }
    }
  }

  private static double power(float[] interleaved, int k) {
    double re = interleaved[2 * k];
    double im = interleaved[2 * k + 1];
    return re * re + im * im;
  }

  /** librosa's mel bank (128 bands, 1,025 bins) on a block of noise: the same bits both ways. */
  @Test
  void vectorBandSumsAreTheScalarLoopsBits() {
    MelFilterbank bank = MelSpectrogram.builder().sampleRate(22_050).build().filterbank();
    float[] power = noise(1_025 * FRAMES, 11);
    for (int i = 0; i < power.length; i++) {
      power[i] *= power[i];
    }
    int stride = 40;
    float[] vector = new float[128 * stride + 3];
    float[] scalar = new float[128 * stride + 3];
    bank.applyToBlock(power, vector, 3, stride, BlockFft.forSize(2048));
    bank.applyToBlock(power, scalar, 3, stride, null);
    assertThat(vector).isEqualTo(scalar);
    assertThat(vector[3 + 40 * stride + 5]).isPositive();
  }

  /** The small sizes against the definition in float64, so a shared error of both FFTs shows. */
  @ParameterizedTest
  @ValueSource(ints = {8, 16, 32, 64, 128, 256})
  void powerSpectraMatchTheDefinition(int n) {
    BlockFft kernel = BlockFft.forSize(n);
    float[] signal = noise(16 * n, 7 * n);
    float[] window = new float[n];
    java.util.Arrays.fill(window, 1f);
    int bins = n / 2 + 1;
    float[] power = new float[bins * FRAMES];
    kernel.power(signal, 0, n, window, new float[kernel.scratchSize(n)], power);
    for (int j = 0; j < FRAMES; j++) {
      double[] expected = new double[bins];
      double max = 0;
      for (int k = 0; k < bins; k++) {
        double re = 0;
        double im = 0;
        for (int i = 0; i < n; i++) {
          double angle = -2 * Math.PI * ((long) k * i % n) / n;
          re += signal[j * n + i] * Math.cos(angle);
          im += signal[j * n + i] * Math.sin(angle);
        }
        expected[k] = re * re + im * im;
        max = Math.max(max, expected[k]);
      }
      for (int k = 0; k < bins; k++) {
        assertThat((double) power[k * FRAMES + j])
            .as("n %d, frame %d, bin %d", n, j, k)
            .isCloseTo(expected[k], within(2e-6 * max));
      }
    }
  }

  /**
   * Builds with the vector kernel switched off ({@value BlockFft#DISABLE_PROPERTY}=false), so a
   * test can reach the scalar JTransforms path on this JVM too.
   */
  static MelSpectrogram scalarPath(MelSpectrogram.Builder builder) {
    System.setProperty(BlockFft.DISABLE_PROPERTY, "false");
    try {
      return builder.build();
    } finally {
      System.clearProperty(BlockFft.DISABLE_PROPERTY);
    }
  }

  static float[] noise(int size, long seed) {
    Random random = new Random(seed);
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }
}
