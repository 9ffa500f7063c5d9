package io.heimdall.bench;

import io.heimdall.dsp.ComplexSignal;
import io.heimdall.dsp.ReceiverChain;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The whole feature stage of one recording on one thread: a 10 s, 12.5 kHz complex64 FM
 * recording through {@link ReceiverChain} (IQ metrics, shift to 0 Hz, FM demodulation, {@code
 * resample_poly(441, 250)} to 22,050 Hz, the 128 × 431 mel spectrogram, the quality score).
 *
 * <p>Peer: {@code heimdall-bench/peers/receiver_chain.py} runs the same chain with NumPy/SciPy on
 * one thread (the same recording recipe; librosa's mel algorithm in NumPy). Target: at least 10×
 * faster than the peer timed in the same run.
 *
 * <p>{@code recording10s} runs in a JMH fork with {@code --add-modules jdk.incubator.vector} (the
 * SIMD kernels); {@code recording10sPlainJvm} in a fork without it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class ReceiverChainBench {

  static final double SAMPLE_RATE = 12_500;
  static final int SAMPLES = 125_000;

  ReceiverChain chain;
  ComplexSignal recording;
  float[] mel;

  /**
   * The peer's recording: FM of three audio tones (440, 1250, 2100 Hz) at 2.5 kHz deviation,
   * carrier +800 Hz, complex Gaussian noise 20 dB below the carrier, fixed seed.
   */
  static ComplexSignal recording(long seed) {
    Random random = new Random(seed);
    float[] iq = new float[2 * SAMPLES];
    double phase = 0;
    for (int i = 0; i < SAMPLES; i++) {
      double t = i / SAMPLE_RATE;
      double audio =
          0.5 * Math.sin(2 * Math.PI * 440 * t)
              + 0.3 * Math.sin(2 * Math.PI * 1_250 * t + 1)
              + 0.2 * Math.sin(2 * Math.PI * 2_100 * t);
      phase += 2 * Math.PI * (800 + 2_500 * audio) / SAMPLE_RATE;
      iq[2 * i] = (float) (0.3 * Math.cos(phase) + 0.03 * random.nextGaussian());
      iq[2 * i + 1] = (float) (0.3 * Math.sin(phase) + 0.03 * random.nextGaussian());
    }
    return ComplexSignal.wrapInterleaved(iq);
  }

  @Setup
  public void setUp() {
    chain = ReceiverChain.builder().sampleRateHz(SAMPLE_RATE).build();
    recording = recording(1);
    mel = new float[chain.melSize()];
  }

  /**
   * One recording through the whole chain into a reused spectrogram array, with the Vector API
   * kernels.
   */
  @Benchmark
  @Fork(jvmArgsAppend = "--add-modules=jdk.incubator.vector")
  public ReceiverChain.Features recording10s() {
    return chain.process(recording, mel, 0);
  }

  /** The same on a plain JVM: JTransforms FFTs and the scalar loops. */
  @Benchmark
  public ReceiverChain.Features recording10sPlainJvm() {
    return chain.process(recording, mel, 0);
  }
}
