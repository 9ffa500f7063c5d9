package io.heimdall.bench;

import io.heimdall.dsp.MelFilterbank;
import io.heimdall.dsp.Window;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jtransforms.fft.DoubleFFT_1D;
import org.jtransforms.fft.FloatFFT_1D;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The guide's "float32 instead of float64, complex64 instead of complex128" for the DSP itself: the
 * same algorithm, loop for loop, in both precisions, so the ratio is the precision's alone.
 *
 * <ul>
 *   <li>{@code melFloat64} vs {@code melFloat32}: a 10 s signal at 22,050 Hz to 128 × 431 mels
 *       (window, real FFT, power, sparse filterbank, per frame). Working set per call: signal
 *       1,764,000 vs 882,000 bytes, spectrogram 441,344 vs 220,672 bytes.
 *   <li>{@code stftComplex128} vs {@code stftComplex64}: 1 s of IQ at 48 kHz, 1024-point two-sided
 *       STFT, hop 256, 184 frames, magnitudes. Working set: IQ 768,000 vs 384,000 bytes, magnitudes
 *       1,507,328 vs 753,664 bytes.
 * </ul>
 *
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} shows the output array allocated per call
 * (twice the bytes in double precision).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class DspPrecisionBench {

  static final int SAMPLE_RATE = 22_050;
  static final int SAMPLES = 10 * SAMPLE_RATE;
  static final int N_FFT = 2048;
  static final int HOP = 512;
  static final int N_MELS = 128;
  static final int IQ_SAMPLES = 48_000;
  static final int IQ_FFT = 1024;
  static final int IQ_HOP = 256;

  float[] signal32;
  double[] signal64;
  float[] iq64;
  double[] iq128;
  float[] window32;
  double[] window64;
  float[] iqWindow32;
  double[] iqWindow64;
  int[] firstBin;
  int[] weightStart;
  float[] weights32;
  double[] weights64;
  FloatFFT_1D fft32;
  DoubleFFT_1D fft64;
  FloatFFT_1D iqFft32;
  DoubleFFT_1D iqFft64;

  @Setup
  public void setUp() {
    Random random = new Random(8);
    signal32 = new float[SAMPLES];
    signal64 = new double[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      signal64[i] =
          0.5 * Math.sin(2 * Math.PI * 440.0 * i / SAMPLE_RATE) + 0.05 * random.nextGaussian();
      signal32[i] = (float) signal64[i];
    }
    iq64 = new float[2 * IQ_SAMPLES];
    iq128 = new double[2 * IQ_SAMPLES];
    for (int i = 0; i < iq128.length; i++) {
      iq128[i] = 0.3 * random.nextGaussian();
      iq64[i] = (float) iq128[i];
    }
    window64 = Window.HANN.periodicDouble(N_FFT);
    window32 = Window.HANN.periodic(N_FFT);
    iqWindow64 = Window.HANN.periodicDouble(IQ_FFT);
    iqWindow32 = Window.HANN.periodic(IQ_FFT);
    sparseFilterbank();
    fft32 = new FloatFFT_1D(N_FFT);
    fft64 = new DoubleFFT_1D(N_FFT);
    iqFft32 = new FloatFFT_1D(IQ_FFT);
    iqFft64 = new DoubleFFT_1D(IQ_FFT);
  }

  private void sparseFilterbank() {
    int bins = N_FFT / 2 + 1;
    float[] dense =
        MelFilterbank.create(SAMPLE_RATE, N_FFT, N_MELS, 0, SAMPLE_RATE / 2.0, false).toDense();
    firstBin = new int[N_MELS];
    weightStart = new int[N_MELS + 1];
    int count = 0;
    for (float w : dense) {
      count += w > 0 ? 1 : 0;
    }
    weights32 = new float[count];
    weights64 = new double[count];
    int used = 0;
    for (int m = 0; m < N_MELS; m++) {
      weightStart[m] = used;
      firstBin[m] = -1;
      for (int k = 0; k < bins; k++) {
        float w = dense[m * bins + k];
        if (w > 0) {
          firstBin[m] = firstBin[m] < 0 ? k : firstBin[m];
          weights32[used] = w;
          weights64[used] = w;
          used++;
        }
      }
    }
    weightStart[N_MELS] = used;
  }

  @Benchmark
  public float[] melFloat32() {
    int frames = 1 + SAMPLES / HOP;
    int bins = N_FFT / 2 + 1;
    float[] out = new float[N_MELS * frames];
    float[] frame = new float[N_FFT];
    float[] power = new float[bins];
    for (int t = 0; t < frames; t++) {
      for (int j = 0; j < N_FFT; j++) {
        int index = t * HOP - N_FFT / 2 + j;
        frame[j] = index >= 0 && index < SAMPLES ? signal32[index] * window32[j] : 0f;
      }
      fft32.realForward(frame);
      power[0] = frame[0] * frame[0];
      power[bins - 1] = frame[1] * frame[1];
      for (int k = 1; k < bins - 1; k++) {
        power[k] = frame[2 * k] * frame[2 * k] + frame[2 * k + 1] * frame[2 * k + 1];
      }
      for (int m = 0; m < N_MELS; m++) {
        float sum = 0;
        for (int w = weightStart[m], k = firstBin[m]; w < weightStart[m + 1]; w++, k++) {
          sum += weights32[w] * power[k];
        }
        out[m * frames + t] = sum;
      }
    }
    return out;
  }

  @Benchmark
  public double[] melFloat64() {
    int frames = 1 + SAMPLES / HOP;
    int bins = N_FFT / 2 + 1;
    double[] out = new double[N_MELS * frames];
    double[] frame = new double[N_FFT];
    double[] power = new double[bins];
    for (int t = 0; t < frames; t++) {
      for (int j = 0; j < N_FFT; j++) {
        int index = t * HOP - N_FFT / 2 + j;
        frame[j] = index >= 0 && index < SAMPLES ? signal64[index] * window64[j] : 0.0;
      }
      fft64.realForward(frame);
      power[0] = frame[0] * frame[0];
      power[bins - 1] = frame[1] * frame[1];
      for (int k = 1; k < bins - 1; k++) {
        power[k] = frame[2 * k] * frame[2 * k] + frame[2 * k + 1] * frame[2 * k + 1];
      }
      for (int m = 0; m < N_MELS; m++) {
        double sum = 0;
        for (int w = weightStart[m], k = firstBin[m]; w < weightStart[m + 1]; w++, k++) {
          sum += weights64[w] * power[k];
        }
        out[m * frames + t] = sum;
      }
    }
    return out;
  }

  @Benchmark
  public float[] stftComplex64() {
    int frames = 1 + (IQ_SAMPLES - IQ_FFT) / IQ_HOP;
    float[] out = new float[IQ_FFT * frames];
    float[] frame = new float[2 * IQ_FFT];
    for (int t = 0; t < frames; t++) {
      int base = 2 * t * IQ_HOP;
      for (int j = 0; j < IQ_FFT; j++) {
        frame[2 * j] = iq64[base + 2 * j] * iqWindow32[j];
        frame[2 * j + 1] = iq64[base + 2 * j + 1] * iqWindow32[j];
      }
      iqFft32.complexForward(frame);
      for (int k = 0; k < IQ_FFT; k++) {
        out[k * frames + t] =
            (float) Math.sqrt(frame[2 * k] * frame[2 * k] + frame[2 * k + 1] * frame[2 * k + 1]);
      }
    }
    return out;
  }

  @Benchmark
  public double[] stftComplex128() {
    int frames = 1 + (IQ_SAMPLES - IQ_FFT) / IQ_HOP;
    double[] out = new double[IQ_FFT * frames];
    double[] frame = new double[2 * IQ_FFT];
    for (int t = 0; t < frames; t++) {
      int base = 2 * t * IQ_HOP;
      for (int j = 0; j < IQ_FFT; j++) {
        frame[2 * j] = iq128[base + 2 * j] * iqWindow64[j];
        frame[2 * j + 1] = iq128[base + 2 * j + 1] * iqWindow64[j];
      }
      iqFft64.complexForward(frame);
      for (int k = 0; k < IQ_FFT; k++) {
        out[k * frames + t] =
            Math.sqrt(frame[2 * k] * frame[2 * k] + frame[2 * k + 1] * frame[2 * k + 1]);
      }
    }
    return out;
  }
}
