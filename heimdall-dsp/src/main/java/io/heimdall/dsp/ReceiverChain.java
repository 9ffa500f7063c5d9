package io.heimdall.dsp;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The receiver chain of one FM recording, from complex baseband to the model's features: its
 * {@link IqMetrics}; its carrier brought to 0 Hz and FM-demodulated ({@link FmDemodulator}, the
 * angle of x[n]·conj(x[n−1])); the audio resampled to {@value #AUDIO_RATE_HZ} Hz ({@link
 * Resampler}, {@code resample_poly(441, 250)} from 12.5 kHz) and cut or zero-padded to the
 * model's length; its mel spectrogram ({@link MelSpectrogram}, librosa's defaults: 128 × 431 for
 * 10 s); and the voice-band quality score of that same spectrogram ({@link SignalQuality}).
 *
 * <p>Fast because nothing is computed twice or thrown away: the shift is folded into the
 * discriminator (one subtraction per sample), the angle is a polynomial, the resampler computes
 * only the kept outputs, the audio buffer is reused per thread, and the quality score reads the
 * spectrogram the caller gets. On a JVM started with {@code --add-modules jdk.incubator.vector}
 * the Welch PSD, discriminator, resampler and mel spectrogram run SIMD kernels (about 2.6 ms per
 * 10 s recording on one AVX-512 core instead of 8.6–10.6 ms); without the module the same results
 * come from scalar code, within float rounding. Immutable and thread-safe; each thread reuses its
 * own scratch arrays.
 */
public final class ReceiverChain {

  /** Sample rate of the demodulated audio: the mel spectrogram's rate. */
  public static final double AUDIO_RATE_HZ = 22_050;

  private final double sampleRateHz;
  private final int audioSamples;
  private final FmDemodulator demodulator;
  private final Resampler resampler;
  private final MelSpectrogram mel;
  private final SignalQuality quality;
  private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);

  /**
   * What the chain measured of one recording; the spectrogram went into the caller's array.
   *
   * @param metrics the IQ metrics (power, noise, SNR, frequency offset)
   * @param quality the voice-band quality score of the demodulated audio, in [0, 1]
   */
  public record Features(IqMetrics metrics, double quality) {

    /**
     * Validates the features.
     *
     * @param metrics the IQ metrics
     * @param quality the quality score, in [0, 1]
     * @throws DspException for missing metrics or a quality outside [0, 1]
     */
    public Features {
      if (metrics == null) {
        throw new DspException("features need IQ metrics, got null");
      }
      Checks.between("quality", quality, 0, 1);
    }
  }

  private ReceiverChain(Builder b) {
    this.sampleRateHz = b.sampleRateHz;
    this.demodulator = FmDemodulator.of(b.sampleRateHz, b.fmDeviationHz);
    this.resampler = Resampler.between(b.sampleRateHz, AUDIO_RATE_HZ);
    this.mel = b.mel == null ? MelSpectrogram.builder().sampleRate(AUDIO_RATE_HZ).build() : b.mel;
    if (mel.sampleRate() != AUDIO_RATE_HZ) {
      throw new DspException(
          "mel spectrogram sample rate must be "
              + AUDIO_RATE_HZ
              + " Hz (the audio rate), got "
              + mel.sampleRate());
    }
    this.audioSamples = (int) Math.round(b.audioSeconds * AUDIO_RATE_HZ);
    this.quality = new SignalQuality(mel.filterbank());
  }

  /**
   * A builder with the defaults: 12.5 kHz IQ, 2.5 kHz deviation, 10 s of audio, librosa's mel.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The IQ sample rate the chain takes.
   *
   * @return Hz
   */
  public double sampleRateHz() {
    return sampleRateHz;
  }

  /**
   * Audio samples per recording, after cutting or zero-padding.
   *
   * @return {@code round(audioSeconds·22050)}
   */
  public int audioSamples() {
    return audioSamples;
  }

  /**
   * The mel spectrogram the features are computed with.
   *
   * @return the spectrogram
   */
  public MelSpectrogram mel() {
    return mel;
  }

  /**
   * Floats of one recording's spectrogram.
   *
   * @return {@code n_mels × frames}
   */
  public int melSize() {
    return mel.outputSize(audioSamples);
  }

  /**
   * Frames of one recording's spectrogram.
   *
   * @return {@code 1 + audioSamples/hop} when centred (431 for 10 s)
   */
  public int melFrames() {
    return mel.frames(audioSamples);
  }

  /**
   * Runs the chain on {@code iq}, writing the spectrogram {@code [n_mels][frames]} to {@code
   * melOut} from {@code offset}.
   *
   * @param iq the recording at {@link #sampleRateHz()}
   * @param melOut receives {@link #melSize()} floats
   * @param offset index of the first
   * @return the metrics and quality score
   * @throws DspException for an empty recording or an output range outside {@code melOut}
   * @throws NonFiniteSampleException naming the first non-finite sample
   */
  public Features process(ComplexSignal iq, float[] melOut, int offset) {
    Checks.range("mel output", melOut.length, offset, melSize());
    IqMetrics metrics = IqMetrics.compute(iq, sampleRateHz);
    FloatSignal audio = audioInto(iq, metrics.frequencyOffsetHz(), workspaces.get());
    mel.computeInto(audio, melOut, offset);
    double score = quality.score(FloatBuffer.wrap(melOut), offset, melFrames(), sampleRateHz);
    return new Features(metrics, score);
  }

  /**
   * Runs the chain on {@code iq}, writing the spectrogram {@code [n_mels][frames]} to {@code
   * melOut} from absolute index {@code index} (the buffer's position is not used or changed): with
   * a direct buffer, the features of a batch reach ONNX Runtime without copies.
   *
   * @param iq the recording at {@link #sampleRateHz()}
   * @param melOut receives {@link #melSize()} floats
   * @param index index of the first
   * @return the metrics and quality score
   * @throws DspException for an empty recording or an output range outside {@code melOut}
   * @throws NonFiniteSampleException naming the first non-finite sample
   */
  public Features process(ComplexSignal iq, FloatBuffer melOut, int index) {
    Checks.range("mel output buffer", melOut.limit(), index, melSize());
    IqMetrics metrics = IqMetrics.compute(iq, sampleRateHz);
    FloatSignal audio = audioInto(iq, metrics.frequencyOffsetHz(), workspaces.get());
    mel.computeInto(audio, melOut, index);
    return new Features(metrics, quality.score(melOut, index, melFrames(), sampleRateHz));
  }

  /**
   * The demodulated audio of {@code iq} with its carrier at {@code carrierHz} brought to 0 Hz,
   * resampled to {@value #AUDIO_RATE_HZ} Hz and cut or zero-padded to {@link #audioSamples()}: the
   * signal the spectrogram is made of.
   *
   * @param iq the recording at {@link #sampleRateHz()}
   * @param carrierHz the carrier's offset, e.g. {@link IqMetrics#frequencyOffsetHz()}
   * @return a new array of {@link #audioSamples()} samples
   * @throws DspException for an empty recording or a non-finite carrier
   * @throws NonFiniteSampleException naming the first non-finite sample
   */
  public float[] audio(ComplexSignal iq, double carrierHz) {
    Checks.finite("carrier frequency", carrierHz);
    Checks.nonEmpty("IQ signal", iq.length());
    iq.requireFinite();
    return audioInto(iq, carrierHz, new Workspace()).toArray();
  }

  private FloatSignal audioInto(ComplexSignal iq, double carrierHz, Workspace w) {
    int n = iq.length();
    float[] baseband = w.baseband.atLeast(n);
    demodulator.demodulateInto(iq.array(), 2 * iq.offset(), n, carrierHz, baseband, 0);
    // the model wants a fixed length: the resampler writes exactly audioSamples outputs, running
    // into the filter's tail and then zeros when the recording is shorter
    float[] audio = w.audio.atLeast(audioSamples);
    int available = Math.min(audioSamples, resampler.outputLength(n));
    resampler.processInto(baseband, 0, n, audio, 0, available);
    Arrays.fill(audio, available, audioSamples, 0f);
    return FloatSignal.wrap(audio, 0, audioSamples);
  }

  /** Per-thread buffers for the demodulated and the resampled audio. */
  private static final class Workspace {
    final FloatScratch baseband = new FloatScratch();
    final FloatScratch audio = new FloatScratch();
  }

  /** Builds a {@link ReceiverChain}; each setter replaces the previous value. */
  public static final class Builder {
    private double sampleRateHz = 12_500;
    private double fmDeviationHz = 2_500;
    private double audioSeconds = 10;
    private MelSpectrogram mel;

    private Builder() {}

    /**
     * The IQ sample rate; default 12,500 Hz. Must be a whole number of Hz (the resampler is
     * rational) and at least twice the deviation.
     *
     * @param hz samples per second
     * @return this builder
     */
    public Builder sampleRateHz(double hz) {
      this.sampleRateHz = hz;
      return this;
    }

    /**
     * The FM deviation that maps to ±1 in the audio; default 2,500 Hz (narrow-band FM in 12.5 kHz
     * channels). At most half the IQ sample rate.
     *
     * @param hz peak deviation
     * @return this builder
     */
    public Builder fmDeviationHz(double hz) {
      this.fmDeviationHz = hz;
      return this;
    }

    /**
     * Length of the audio the spectrogram is made of; default 10 s (128 × 431 with librosa's
     * defaults). Longer recordings are cut, shorter ones zero-padded.
     *
     * @param seconds audio length
     * @return this builder
     */
    public Builder audioSeconds(double seconds) {
      this.audioSeconds = seconds;
      return this;
    }

    /**
     * The mel spectrogram; default librosa's defaults at 22,050 Hz. Its sample rate must be
     * 22,050 Hz.
     *
     * @param mel the spectrogram
     * @return this builder
     */
    public Builder mel(MelSpectrogram mel) {
      this.mel = mel;
      return this;
    }

    /**
     * Builds the chain.
     *
     * @return the chain
     * @throws DspException for a sample rate that is not a positive whole number of Hz, a
     *     deviation that is not positive or above fs/2, a non-positive audio length, or a mel
     *     spectrogram at another rate
     */
    public ReceiverChain build() {
      Checks.positive("audio length in seconds", audioSeconds);
      if (Math.round(audioSeconds * AUDIO_RATE_HZ) < 1) {
        throw new DspException(
            "audio length must hold at least one sample at 22050 Hz, got " + audioSeconds + " s");
      }
      return new ReceiverChain(this);
    }
  }
}
