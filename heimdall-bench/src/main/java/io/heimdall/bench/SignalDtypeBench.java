package io.heimdall.bench;

import io.heimdall.dsp.ComplexSignal;
import io.heimdall.dsp.FloatSignal;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The guide's data-type advice ({@code signals.astype(np.float32)}, {@code
 * iq_data.astype(np.complex64)}) as time and memory of bringing one acquisition's raw samples into
 * the working type, the step where the type is chosen.
 *
 * <ul>
 *   <li>IQ: seven receivers × 10 s at 12.5 kHz of {@code .cs16} IQ (875,000 complex samples) to
 *       complex128 (interleaved {@code double[]}, what NumPy's default float64 gives; {@code
 *       complex128Iq}) versus complex64 (heimdall-dsp's {@code ComplexSignal.fromInt16}, the same
 *       loop in float; {@code complex64Iq}).
 *   <li>Real signals: seven 10 s int16 audio signals at 22,050 Hz (1,543,500 samples) to float64
 *       ({@code float64Signal}) versus float32 ({@code float32Signal}, wrapped as a {@code
 *       FloatSignal}).
 * </ul>
 *
 * Memory: {@code run-report.sh} runs with JMH's {@code -prof gc}, whose {@code gc.alloc.rate.norm}
 * is the bytes allocated per operation, here the decoded array: 16 vs 8 bytes per complex sample
 * and 8 vs 4 per real sample, plus a 16-byte array header (and a 24-byte signal object for the
 * float32 forms). Both forms decode from the same int16 input, so the time difference is the cost
 * of writing twice the bytes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignalDtypeBench {
  static final int RECEIVERS = 7;
  static final int IQ_SAMPLES = RECEIVERS * 10 * 12_500;
  static final int AUDIO_SAMPLES = RECEIVERS * 10 * 22_050;
  static final float INT16_SCALE = 32767f;

  /** Raw int16 samples as read from disk: noise at a realistic level, fixed seed. */
  @State(Scope.Benchmark)
  public static class Raw {
    short[] iq;
    short[] audio;

    @Setup
    public void read() {
      Random random = new Random(5);
      iq = new short[2 * IQ_SAMPLES];
      for (int i = 0; i < iq.length; i++) {
        iq[i] = (short) Math.round(random.nextGaussian() * 3000);
      }
      audio = new short[AUDIO_SAMPLES];
      for (int i = 0; i < audio.length; i++) {
        audio[i] = (short) Math.round(random.nextGaussian() * 8000);
      }
    }
  }

  @Benchmark
  public double[] complex128Iq(Raw raw) {
    double[] out = new double[raw.iq.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = raw.iq[i] / 32767.0;
    }
    return out;
  }

  @Benchmark
  public ComplexSignal complex64Iq(Raw raw) {
    return ComplexSignal.fromInt16(raw.iq);
  }

  @Benchmark
  public double[] float64Signal(Raw raw) {
    double[] out = new double[raw.audio.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = raw.audio[i] / 32767.0;
    }
    return out;
  }

  @Benchmark
  public FloatSignal float32Signal(Raw raw) {
    float[] out = new float[raw.audio.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = raw.audio[i] / INT16_SCALE;
    }
    return FloatSignal.wrap(out);
  }
}
