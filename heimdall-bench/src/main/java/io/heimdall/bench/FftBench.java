package io.heimdall.bench;

import io.heimdall.dsp.FftPlan;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jtransforms.fft.FloatFFT_1D;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A 2048-point real FFT (the mel spectrogram's transform) and a 10 s spectrogram's 431 of them.
 *
 * <ul>
 *   <li>{@code real2048Planned}: heimdall-dsp's cached {@link FftPlan}, in place on a reused array
 *       (the copy of the input into it, ~0.1 µs, is included). Target ≤ 8 µs.
 *   <li>{@code real2048FreshArrays}: one FFT at a time the Python-loop way: a fresh input array and
 *       a fresh full complex output ({@code np.fft.rfft(frame)} returns a new array), plan reused.
 *   <li>{@code real2048FreshPlan}: a new JTransforms plan per call (twiddle tables rebuilt).
 *   <li>{@code frames431Batched} vs {@code frames431OneAtATime}: all frames of a 10 s spectrogram
 *       transformed in one contiguous array by one planned batch call, versus fresh arrays per
 *       frame.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class FftBench {

  static final int N = 2048;
  static final int FRAMES = 431;

  float[] input;
  float[] work;
  float[] frames;
  float[] batch;
  FftPlan plan;
  FloatFFT_1D cachedPlan;

  @Setup
  public void setUp() {
    Random random = new Random(3);
    input = new float[N];
    for (int i = 0; i < N; i++) {
      input[i] = (float) random.nextGaussian();
    }
    frames = new float[N * FRAMES];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = (float) random.nextGaussian();
    }
    work = new float[N];
    batch = new float[N * FRAMES];
    plan = FftPlan.of(N);
    cachedPlan = new FloatFFT_1D(N);
  }

  @Benchmark
  public float[] real2048Planned() {
    System.arraycopy(input, 0, work, 0, N);
    plan.realForward(work, 0);
    return work;
  }

  @Benchmark
  public float[] real2048FreshArrays() {
    float[] spectrum = new float[2 * N];
    System.arraycopy(input, 0, spectrum, 0, N);
    cachedPlan.realForwardFull(spectrum);
    return spectrum;
  }

  @Benchmark
  public float[] real2048FreshPlan() {
    float[] data = input.clone();
    new FloatFFT_1D(N).realForward(data);
    return data;
  }

  @Benchmark
  public float[] frames431Batched() {
    System.arraycopy(frames, 0, batch, 0, batch.length);
    plan.realForward(batch, 0, FRAMES);
    return batch;
  }

  @Benchmark
  public float frames431OneAtATime() {
    float sum = 0;
    for (int f = 0; f < FRAMES; f++) {
      float[] spectrum = new float[2 * N];
      System.arraycopy(frames, f * N, spectrum, 0, N);
      cachedPlan.realForwardFull(spectrum);
      sum += spectrum[2];
    }
    return sum;
  }
}
