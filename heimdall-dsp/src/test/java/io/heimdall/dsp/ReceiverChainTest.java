package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ReceiverChainTest {

  static float[] realTone(double hz, double fs, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) Math.sin(2 * Math.PI * hz * i / fs);
    }
    return x;
  }

  /** Frequency of the largest bin of a Hann-windowed FFT, refined by parabolic interpolation. */
  static double dominantHz(float[] x, double fs) {
    int n = Integer.highestOneBit(x.length);
    float[] frame = new float[n];
    float[] window = Window.HANN.periodic(n);
    for (int i = 0; i < n; i++) {
      frame[i] = x[i] * window[i];
    }
    FftPlan plan = FftPlan.of(n);
    float[] power = new float[plan.realBins()];
    plan.realForward(frame, 0);
    plan.powerFromPacked(frame, 0, power, 0);
    int k = FftPlanTest.argMax(power);
    double a = Math.log(power[k - 1]);
    double b = Math.log(power[k]);
    double c = Math.log(power[k + 1]);
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * fs / n;
  }

  static double rms(float[] x, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += (double) x[i] * x[i];
    }
    return Math.sqrt(sum / (to - from));
  }

  @Test
  void resamplingPreservesAToneFrequencyAndAmplitude() {
    Resampler resampler = Resampler.between(12_500, 22_050);
    assertThat(resampler.up()).isEqualTo(441);
    assertThat(resampler.down()).isEqualTo(250);
    float[] in = realTone(1_234, 12_500, 125_000);
    float[] out = resampler.process(in);
    assertThat(out).hasSize(220_500);
    assertThat(dominantHz(out, 22_050)).isCloseTo(1_234, within(0.5));
    assertThat(rms(out, 1_000, 219_000)).isCloseTo(Math.sqrt(0.5), within(0.002));
  }

  @Test
  void decimationKeepsInBandAndRejectsOutOfBandTones() {
    double fs = 48_000;
    Resampler decimator = Resampler.decimator(8);
    float[] inBand = decimator.process(realTone(1_000, fs, 48_000));
    assertThat(inBand).hasSize(6_000);
    assertThat(dominantHz(inBand, fs / 8)).isCloseTo(1_000, within(0.5));
    assertThat(rms(inBand, 200, 5_800)).isCloseTo(Math.sqrt(0.5), within(0.003));
    // 5 kHz is above the output Nyquist (3 kHz): without the filter it would alias to 1 kHz
    float[] outOfBand = decimator.process(realTone(5_000, fs, 48_000));
    double attenuationDb = 20 * Math.log10(rms(outOfBand, 200, 5_800) / Math.sqrt(0.5));
    assertThat(attenuationDb).isLessThan(-40);
  }

  @Test
  void complexResamplingFiltersIAndQAlike() {
    ComplexSignal iq = IqTest.tone(-2_000, 0.5, 48_000, 4_800, 0, 1);
    ComplexSignal out = Resampler.decimator(4).process(iq);
    assertThat(out.length()).isEqualTo(1_200);
    double phaseStep = Math.atan2(out.im(601), out.re(601)) - Math.atan2(out.im(600), out.re(600));
    assertThat(phaseStep).isCloseTo(-2 * Math.PI * 2_000 / 12_000, within(1e-3));
    assertThat(Math.hypot(out.re(600), out.im(600))).isCloseTo(0.5, within(1e-3));
  }

  @Test
  void fmDemodulationRecoversTheModulatingTone() {
    double fs = 48_000;
    double deviation = 3_000;
    double audioHz = 700;
    int n = 24_000;
    float[] iq = new float[2 * n];
    for (int i = 0; i < n; i++) {
      // phase = 2π·Δf·∫sin(2π·fa·t) dt, with a carrier offset of 1 kHz and a starting phase
      double t = i / fs;
      double phase =
          2 * Math.PI * 1_000 * t
              + 0.3
              + deviation / audioHz * (1 - Math.cos(2 * Math.PI * audioHz * t));
      iq[2 * i] = (float) (0.8 * Math.cos(phase));
      iq[2 * i + 1] = (float) (0.8 * Math.sin(phase));
    }
    float[] audio = FmDemodulator.of(fs, 5_000).demodulate(ComplexSignal.wrapInterleaved(iq));
    assertThat(audio).hasSize(n);
    double mean = 0;
    for (float v : audio) {
      mean += v;
    }
    mean /= n;
    // carrier offset → DC of 1000/5000; the tone swings ±3000/5000 around it
    assertThat(mean).isCloseTo(0.2, within(0.005));
    double correlation = 0;
    double norm = 0;
    for (int i = 1; i < n; i++) {
      double expected = 0.6 * Math.sin(2 * Math.PI * audioHz * (i - 0.5) / fs);
      correlation += (audio[i] - mean) * expected;
      norm += expected * expected;
    }
    assertThat(correlation / norm).isCloseTo(1.0, within(0.01));
    assertThat(dominantHz(audio, fs)).isCloseTo(audioHz, within(1.0));
  }

  @Test
  void badReceiverParametersAreNamed() {
    assertThatThrownBy(() -> Resampler.rational(0, 3))
        .hasMessageContaining("upsampling factor must be > 0, got 0");
    assertThatThrownBy(() -> Resampler.between(12_500.5, 22_050))
        .hasMessageContaining("whole sample rates");
    assertThatThrownBy(() -> FmDemodulator.of(10_000, 6_000))
        .hasMessageContaining("exceeds the Nyquist frequency 5000.0 Hz");
    assertThatThrownBy(
            () ->
                FmDemodulator.of(10_000, 1_000)
                    .demodulate(ComplexSignal.wrapInterleaved(new float[0])))
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> Resampler.decimator(2).process(new float[0]))
        .hasMessageContaining("empty");
  }

  @Test
  void stftFramesAndPowerOfARealSignal() {
    float[] x = realTone(1_000, 8_000, 1_000);
    Stft stft = Stft.builder().nFft(64).hop(16).window(Window.HAMMING).build();
    assertThat(stft.frames(1_000)).isEqualTo(1 + 1_000 / 16);
    float[] frames = stft.windowedFrames(FloatSignal.wrap(x));
    float[] window = Window.HAMMING.periodic(64);
    // frame 10 starts at 10·16 − 32 = 128
    assertThat(frames[10 * 64 + 5]).isEqualTo(x[133] * window[5]);
    // frame 0 starts in the zero padding
    assertThat(frames[3]).isZero();
    float[] power = stft.spectrogram(FloatSignal.wrap(x), Stft.Spectrum.POWER);
    float[] magnitude = stft.spectrogram(FloatSignal.wrap(x), Stft.Spectrum.MAGNITUDE);
    int frameCount = stft.frames(1_000);
    // 1 kHz at 8 kHz with 64 points: bin 8
    float[] column = new float[33];
    for (int k = 0; k < 33; k++) {
      column[k] = power[k * frameCount + 20];
      assertThat(magnitude[k * frameCount + 20])
          .isCloseTo((float) Math.sqrt(column[k]), within(1e-3f));
    }
    assertThat(FftPlanTest.argMax(column)).isEqualTo(8);
  }

  @Test
  void windowsHaveTheirDefiningValues() {
    float[] symmetricHann = Window.HANN.symmetric(5);
    assertThat(symmetricHann).containsExactly(0f, 0.5f, 1f, 0.5f, 0f);
    float[] periodicHann = Window.HANN.periodic(4);
    assertThat(periodicHann[0]).isZero();
    assertThat(periodicHann[2]).isEqualTo(1f);
    assertThat(Window.HAMMING.symmetricDouble(3)[0]).isCloseTo(0.08, within(1e-15));
    assertThat(Window.HAMMING.symmetricDouble(3)[1]).isCloseTo(1.0, within(1e-15));
    assertThat(Window.BLACKMAN.symmetricDouble(3)[0]).isCloseTo(0.0, within(1e-15));
    assertThat(Window.BLACKMAN.periodicDouble(4)[2]).isCloseTo(1.0, within(1e-15));
    assertThat(Window.HANN.periodic(1)).containsExactly(1f);
    // a periodic window of n is the symmetric window of n + 1 without its last point
    double[] periodic = Window.BLACKMAN.periodicDouble(64);
    double[] symmetric = Window.BLACKMAN.symmetricDouble(65);
    for (int i = 0; i < 64; i++) {
      assertThat(periodic[i]).isEqualTo(symmetric[i]);
    }
  }
}
