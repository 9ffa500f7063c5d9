package io.heimdall.dsp;

import java.nio.FloatBuffer;

/**
 * Scores a recording from the mel spectrogram of its demodulated audio: the share of audio energy
 * in the voice band, rescaled so that noise alone scores 0 and clean speech 1.
 *
 * <p>Why this works: after an FM discriminator, a strong carrier gives back the transmitted audio
 * (voice, 300 Hz–3 kHz), while a weak one gives discriminator noise, whose spectrum rises with
 * audio frequency and fills the band up to the recording's Nyquist frequency. With Slaney
 * normalisation a mel band holds the mean power density over its band, so band energy is the mel
 * value times the band's width.
 */
public final class SignalQuality {

  /** Lower edge of the voice band, in Hz. */
  public static final double VOICE_LOW_HZ = 300;

  /** Upper edge of the voice band, in Hz. */
  public static final double VOICE_HIGH_HZ = 3_000;

  /** Upper edge of the reference band: the highest audio frequency narrow-band FM carries. */
  public static final double REFERENCE_HIGH_HZ = 6_000;

  /**
   * Voice-band share of discriminator noise alone, measured on noise-only recordings at 12.5 kHz
   * (SignalQualityTest checks it).
   */
  public static final double NOISE_SHARE = 0.52;

  private final int bands;
  private final double[] centres;
  private final double[] widths;

  /**
   * Prepares the band centres and widths of a filterbank.
   *
   * @param filterbank the filterbank the spectrograms are computed with
   */
  public SignalQuality(MelFilterbank filterbank) {
    double[] edges = filterbank.bandEdgesHz();
    this.bands = filterbank.melBands();
    this.centres = new double[bands];
    this.widths = new double[bands];
    for (int i = 0; i < bands; i++) {
      centres[i] = edges[i + 1];
      widths[i] = (edges[i + 2] - edges[i]) / 2;
    }
  }

  /**
   * The voice-band share of one spectrogram's energy, {@code [n_mels, frames]} at {@code offset} in
   * {@code mel}, among bands up to {@code min(6 kHz, 0.45·iqSampleRate)}.
   *
   * @param mel spectrograms, row-major {@code [n_mels, frames]} each
   * @param offset index of the spectrogram's first value
   * @param frames frames of the spectrogram
   * @param iqSampleRateHz sample rate of the recording the audio was demodulated from
   * @return the share, in [0, 1]
   */
  public double voiceShare(FloatBuffer mel, int offset, int frames, double iqSampleRateHz) {
    double referenceHigh = Math.min(REFERENCE_HIGH_HZ, 0.45 * iqSampleRateHz);
    double voice = 0;
    double reference = 0;
    for (int band = 0; band < bands; band++) {
      double f = centres[band];
      if (f < VOICE_LOW_HZ || f >= referenceHigh) {
        continue;
      }
      double sum = 0;
      int row = offset + band * frames;
      for (int t = 0; t < frames; t++) {
        sum += mel.get(row + t);
      }
      double energy = sum * widths[band];
      reference += energy;
      if (f < VOICE_HIGH_HZ) {
        voice += energy;
      }
    }
    return reference > 0 ? voice / reference : 0;
  }

  /**
   * {@link #voiceShare} rescaled to [0, 1]: 0 at the noise share and below, 1 for pure voice.
   *
   * @param mel spectrograms, row-major {@code [n_mels, frames]} each
   * @param offset index of the spectrogram's first value
   * @param frames frames of the spectrogram
   * @param iqSampleRateHz sample rate of the recording the audio was demodulated from
   * @return the score, in [0, 1]
   */
  public double score(FloatBuffer mel, int offset, int frames, double iqSampleRateHz) {
    double share = voiceShare(mel, offset, frames, iqSampleRateHz);
    return Math.max(0, Math.min(1, (share - NOISE_SHARE) / (1 - NOISE_SHARE)));
  }
}
