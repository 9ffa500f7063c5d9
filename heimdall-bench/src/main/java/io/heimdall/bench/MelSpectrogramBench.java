package io.heimdall.bench;

import io.heimdall.dsp.FeatureExtractor;
import io.heimdall.dsp.FloatSignal;
import io.heimdall.dsp.MelFilterbank;
import io.heimdall.dsp.MelSpectrogram;
import io.heimdall.dsp.Window;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jtransforms.fft.FloatFFT_1D;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The model input: a 10 s signal at 22,050 Hz to its 128 × 431 mel spectrogram (librosa defaults).
 *
 * <ul>
 *   <li>{@code single10s}: heimdall-dsp's {@link MelSpectrogram} into a reused array, one thread,
 *       on a plain JVM (one scalar JTransforms FFT per frame). Target ≤ 2.5 ms.
 *   <li>{@code single10sVector}: the same on a JVM started with {@code --add-modules
 *       jdk.incubator.vector}, where power-of-two FFTs run sixteen frames at a time in SIMD lanes.
 *       Compared with {@code peers/mel.py} (librosa's algorithm in NumPy, timed in the same run by
 *       {@code run-report.sh}): target ≥ 4× faster.
 *   <li>{@code naiveSingle10s}: the same result the way a Python loop computes it: per frame a
 *       fresh windowed frame, a full complex spectrum ({@code np.fft.rfft}), a fresh power vector
 *       and the dense 128 × 1025 filterbank product ({@code mel_basis @ power}). The FFT plan is
 *       reused, as NumPy caches it.
 *   <li>{@code batch64}: 64 such signals into one direct {@code [64, 128, 431]} buffer by a {@link
 *       FeatureExtractor} with {@code threads} workers (1 or 2). Target: 2 threads ≥ 1.7× faster
 *       than 1.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MelSpectrogramBench {

  static final int SAMPLE_RATE = 22_050;
  static final int SAMPLES = 10 * SAMPLE_RATE;
  static final int BATCH = 64;

  /** A 10 s test signal: two tones and noise, fixed seed. */
  static float[] signal(long seed) {
    Random random = new Random(seed);
    float[] x = new float[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      double t = (double) i / SAMPLE_RATE;
      x[i] =
          (float)
              (0.5 * Math.sin(2 * Math.PI * 440 * t)
                  + 0.2 * Math.sin(2 * Math.PI * 3_000 * t)
                  + 0.05 * random.nextGaussian());
    }
    return x;
  }

  /** One signal, the spectrogram, and the inputs of the naive loop. */
  @State(Scope.Benchmark)
  public static class Single {
    MelSpectrogram mel;
    FloatSignal signal;
    float[] out;
    float[] window;
    float[] denseBasis;
    FloatFFT_1D fft;

    @Setup
    public void setUp() {
      mel = MelSpectrogram.builder().build();
      signal = FloatSignal.wrap(signal(1));
      out = new float[mel.outputSize(SAMPLES)];
      window = Window.HANN.periodic(2048);
      denseBasis =
          MelFilterbank.create(SAMPLE_RATE, 2048, 128, 0, SAMPLE_RATE / 2.0, false).toDense();
      fft = new FloatFFT_1D(2048);
    }
  }

  @Benchmark
  public float[] single10s(Single s) {
    s.mel.computeInto(s.signal, s.out, 0);
    return s.out;
  }

  @Benchmark
  @Fork(jvmArgsAppend = "--add-modules=jdk.incubator.vector")
  public float[] single10sVector(Single s) {
    s.mel.computeInto(s.signal, s.out, 0);
    return s.out;
  }

  @Benchmark
  public float[] naiveSingle10s(Single s) {
    int nFft = 2048;
    int hop = 512;
    int bins = nFft / 2 + 1;
    int nMels = 128;
    float[] x = s.signal.toArray();
    int frames = 1 + x.length / hop;
    float[] result = new float[nMels * frames];
    for (int t = 0; t < frames; t++) {
      float[] frame = new float[nFft];
      for (int j = 0; j < nFft; j++) {
        int index = t * hop - nFft / 2 + j;
        frame[j] = index >= 0 && index < x.length ? x[index] * s.window[j] : 0f;
      }
      float[] spectrum = new float[2 * nFft];
      System.arraycopy(frame, 0, spectrum, 0, nFft);
      s.fft.realForwardFull(spectrum);
      float[] power = new float[bins];
      for (int k = 0; k < bins; k++) {
        power[k] = spectrum[2 * k] * spectrum[2 * k] + spectrum[2 * k + 1] * spectrum[2 * k + 1];
      }
      for (int m = 0; m < nMels; m++) {
        float sum = 0;
        for (int k = 0; k < bins; k++) {
          sum += s.denseBasis[m * bins + k] * power[k];
        }
        result[m * frames + t] = sum;
      }
    }
    return result;
  }

  /** 64 signals and an extractor with {@code threads} workers (its own daemon threads). */
  @State(Scope.Benchmark)
  public static class Batch {
    @Param({"1", "2"})
    int threads;

    List<float[]> signals;
    FeatureExtractor extractor;
    FloatBuffer out;

    @Setup(Level.Trial)
    public void setUp() {
      signals = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        signals.add(signal(100 + i));
      }
      extractor =
          FeatureExtractor.builder(MelSpectrogram.builder().build()).parallelism(threads).build();
      long[] shape = extractor.outputShape(BATCH, SAMPLES);
      out =
          ByteBuffer.allocateDirect((int) (shape[0] * shape[1] * shape[2] * Float.BYTES))
              .order(ByteOrder.nativeOrder())
              .asFloatBuffer();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      extractor.close();
    }
  }

  @Benchmark
  public FloatBuffer batch64(Batch b) {
    b.extractor.extractInto(b.signals, b.out);
    return b.out;
  }
}
