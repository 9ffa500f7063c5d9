package io.heimdall.pipeline.simulation;

import java.util.SplittableRandom;

/**
 * What the simulated transmitters send and the receivers add: voice-like audio, its FM complex
 * baseband, and complex Gaussian noise. The scenario (where, how strong, which offsets) is the
 * {@link TransmissionSimulator}'s; this class only synthesises signals.
 */
final class VoiceMessages {

  /** The CTCSS sub-tone under every message, in Hz. */
  private static final double CTCSS_HZ = 88.5;

  private VoiceMessages() {}

  /**
   * A voice-like audio message in [-1, 1] at the IQ sample rate: a harmonic series on a slowly
   * wandering pitch, weighted by two formants, gated by a syllabic envelope, over a CTCSS tone.
   */
  static float[] voiceLikeAudio(SplittableRandom random, int samples, double sampleRateHz) {
    double pitchHz = TransmissionSimulator.uniform(random, 100, 220);
    double formant1 = TransmissionSimulator.uniform(random, 450, 800);
    double formant2 = TransmissionSimulator.uniform(random, 1100, 2000);
    double syllableHz = TransmissionSimulator.uniform(random, 3, 5);
    double syllablePhase = TransmissionSimulator.uniform(random, 0, 2 * Math.PI);
    double vibratoPhase = TransmissionSimulator.uniform(random, 0, 2 * Math.PI);
    int harmonics = (int) Math.min(40, Math.floor(3000 / (pitchHz * 1.1)));
    double[] weights = new double[harmonics + 1];
    for (int k = 1; k <= harmonics; k++) {
      double f = k * pitchHz;
      weights[k] =
          Math.exp(-square((f - formant1) / 200))
              + 0.6 * Math.exp(-square((f - formant2) / 300))
              + 0.05;
    }

    float[] audio = new float[samples];
    double theta = 0;
    double peak = 0;
    for (int n = 0; n < samples; n++) {
      double t = n / sampleRateHz;
      double f0 = pitchHz * (1 + 0.08 * Math.sin(2 * Math.PI * 0.4 * t + vibratoPhase));
      theta += 2 * Math.PI * f0 / sampleRateHz;
      // sin(k·θ) for every harmonic by the Chebyshev recurrence: one sin and one cos per sample
      double twoCos = 2 * Math.cos(theta);
      double previous = 0;
      double current = Math.sin(theta);
      double voiced = 0;
      for (int k = 1; k <= harmonics; k++) {
        voiced += weights[k] * current;
        double next = twoCos * current - previous;
        previous = current;
        current = next;
      }
      double envelope =
          0.15 + 0.85 * Math.max(0, Math.sin(2 * Math.PI * syllableHz * t + syllablePhase));
      double value = envelope * voiced + 0.5 * Math.sin(2 * Math.PI * CTCSS_HZ * t);
      audio[n] = (float) value;
      peak = Math.max(peak, Math.abs(value));
    }
    float normalise = (float) (1 / peak);
    for (int n = 0; n < samples; n++) {
      audio[n] *= normalise;
    }
    return audio;
  }

  /** Unit-amplitude complex baseband of frequency-modulated audio. */
  static float[] fmModulate(float[] audio, double deviationHz, double sampleRateHz) {
    float[] baseband = new float[2 * audio.length];
    double phase = 0;
    double radiansPerUnit = 2 * Math.PI * deviationHz / sampleRateHz;
    for (int n = 0; n < audio.length; n++) {
      phase += radiansPerUnit * audio[n];
      if (phase > Math.PI) {
        phase -= 2 * Math.PI;
      } else if (phase < -Math.PI) {
        phase += 2 * Math.PI;
      }
      baseband[2 * n] = (float) Math.cos(phase);
      baseband[2 * n + 1] = (float) Math.sin(phase);
    }
    return baseband;
  }

  /** Complex Gaussian noise of unit power (each component of variance 1/2). */
  static float[] gaussianNoise(SplittableRandom random, int complexSamples) {
    float[] noise = new float[2 * complexSamples];
    double sigma = Math.sqrt(0.5);
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) (sigma * random.nextGaussian());
    }
    return noise;
  }

  private static double square(double x) {
    return x * x;
  }
}
