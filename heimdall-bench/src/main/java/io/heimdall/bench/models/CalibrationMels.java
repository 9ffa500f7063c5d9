package io.heimdall.bench.models;

import io.heimdall.dsp.MelSpectrogram;
import io.heimdall.dsp.PowerToDb;
import io.heimdall.inference.ReferenceModels;
import java.util.Random;

/**
 * Representative inputs of the reference CNN: 10 s mel spectrograms in dB (librosa defaults, {@code
 * power_to_db(ref=max)}, so values in [-80, 0]) of synthetic recordings at 22,050 Hz, each a random
 * mix of what a receiver chain hands the model: an FM-modulated carrier, steady tones, a chirp,
 * bursts, and noise at a random level. Seeded: sample {@code i} of seed {@code s} is always the
 * same.
 */
public final class CalibrationMels {

  static final int SAMPLE_RATE = 22_050;
  static final int SAMPLES = 10 * SAMPLE_RATE;

  private CalibrationMels() {}

  /**
   * @param count number of spectrograms
   * @param seed random seed (use different seeds for calibration and held-out sets)
   * @return {@code count} rows of {@code 128·431} dB values, row-major {@code [band][frame]}
   */
  public static float[][] generate(int count, long seed) {
    MelSpectrogram mel = MelSpectrogram.builder().build();
    PowerToDb db = PowerToDb.relativeToMax();
    Random random = new Random(seed);
    float[][] out = new float[count][];
    for (int s = 0; s < count; s++) {
      float[] spectrogram = mel.compute(recording(random));
      if (spectrogram.length != ReferenceModels.MEL_BANDS * ReferenceModels.MEL_FRAMES) {
        throw new IllegalStateException("unexpected mel size " + spectrogram.length);
      }
      out[s] = db.applyInPlace(spectrogram);
    }
    return out;
  }

  private static float[] recording(Random random) {
    float[] x = new float[SAMPLES];
    double noise = Math.pow(10, -1 - 2 * random.nextDouble());
    double carrier = 200 + 3_000 * random.nextDouble();
    double deviation = 50 + 500 * random.nextDouble();
    double modulation = 1 + 20 * random.nextDouble();
    double tone = 100 + 8_000 * random.nextDouble();
    double chirpFrom = 100 + 2_000 * random.nextDouble();
    double chirpRate = 500 * random.nextDouble();
    double burstPeriod = 0.2 + random.nextDouble();
    double[] gains = {random.nextDouble(), 0.3 * random.nextDouble(), 0.3 * random.nextDouble()};
    double phase = 0;
    for (int i = 0; i < SAMPLES; i++) {
      double t = (double) i / SAMPLE_RATE;
      phase +=
          2
              * Math.PI
              * (carrier + deviation * Math.sin(2 * Math.PI * modulation * t))
              / SAMPLE_RATE;
      boolean burstOn = (t % burstPeriod) < burstPeriod / 3;
      double value =
          gains[0] * Math.sin(phase)
              + gains[1] * Math.sin(2 * Math.PI * tone * t)
              + (burstOn ? gains[2] : 0) * Math.sin(2 * Math.PI * (chirpFrom + chirpRate * t) * t)
              + noise * random.nextGaussian();
      x[i] = (float) value;
    }
    return x;
  }
}
