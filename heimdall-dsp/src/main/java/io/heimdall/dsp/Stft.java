package io.heimdall.dsp;

import java.util.Objects;

/**
 * Short-time Fourier transform of real or complex signals, framed like librosa ({@link
 * MelSpectrogram} documents the centring). Outputs are row-major {@code [bins][frames]}: real
 * signals give the one-sided {@code n_fft/2 + 1} bins; complex signals give all {@code n_fft} bins
 * in NumPy's FFT order (bin k is frequency {@code k·fs/n_fft}, bins from n_fft/2 up are negative).
 * Immutable and thread-safe.
 */
public final class Stft {

  /** What each output value holds. */
  public enum Spectrum {
    /** |X|². */
    POWER,
    /** |X|. */
    MAGNITUDE
  }

  private final int nFft;
  private final Framing framing;
  private final FftPlan plan;

  private Stft(Builder b) {
    this.nFft = Checks.positive("n_fft", b.nFft);
    int hop = b.hop == 0 ? Math.max(1, nFft / 4) : b.hop;
    this.framing = new Framing(b.window.periodic(nFft), hop, b.center);
    this.plan = FftPlan.of(nFft);
  }

  /**
   * A builder: n_fft 2048, hop n_fft/4, periodic Hann, centred (librosa's defaults).
   *
   * @return a new builder with librosa's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Number of frames of a signal of {@code length} samples.
   *
   * @param length number of samples of the signal, at least 1
   * @return {@code 1 + length / hop} when centred, {@code 1 + (length - n_fft) / hop} when not
   * @throws DspException if the signal is empty, or shorter than n_fft when frames are not centred
   */
  public int frames(int length) {
    return framing.frames(length);
  }

  /**
   * The FFT length.
   *
   * @return the FFT and frame length in samples (default 2048)
   */
  public int nFft() {
    return nFft;
  }

  /**
   * The hop length.
   *
   * @return the number of samples between the starts of consecutive frames (default n_fft/4)
   */
  public int hop() {
    return framing.hop();
  }

  /**
   * The windowed frames {@code [frames][n_fft]} of a real signal, row-major.
   *
   * @param signal the real signal
   * @return a new array of {@code frames(signal.length()) * n_fft} values: each frame (zero-padded
   *     at the edges when centred) multiplied by the window
   * @throws DspException if the signal is empty, or shorter than n_fft when frames are not centred
   */
  public float[] windowedFrames(FloatSignal signal) {
    int frames = frames(signal.length());
    float[] out = new float[frames * nFft];
    float[] frame = new float[nFft];
    for (int t = 0; t < frames; t++) {
      framing.windowed(signal.array(), signal.offset(), signal.length(), t, frame);
      System.arraycopy(frame, 0, out, t * nFft, nFft);
    }
    return out;
  }

  /**
   * The one-sided spectrogram {@code [n_fft/2+1][frames]} of a real signal.
   *
   * @param signal the real signal; every sample must be finite
   * @param spectrum whether each value is the power |X|² or the magnitude |X|
   * @return a new row-major array of {@code (n_fft/2 + 1) * frames} values, bin by bin
   * @throws DspException if the signal is empty, or shorter than n_fft when frames are not centred
   * @throws NonFiniteSampleException naming the first NaN or infinite sample
   */
  public float[] spectrogram(FloatSignal signal, Spectrum spectrum) {
    float[] x = signal.array();
    int frames = frames(signal.length());
    framing.checkUnreadTailFinite("signal", x, signal.offset(), signal.length(), frames);
    int bins = plan.realBins();
    float[] out = new float[bins * frames];
    float[] frame = new float[nFft];
    float[] power = new float[bins];
    for (int t = 0; t < frames; t++) {
      framing.windowed(x, signal.offset(), signal.length(), t, frame);
      plan.realForward(frame, 0);
      if (!Float.isFinite(frame[0])) {
        throw framing.nonFiniteFrame("signal", x, signal.offset(), signal.length(), t);
      }
      plan.powerFromPacked(frame, 0, power, 0);
      for (int k = 0; k < bins; k++) {
        out[k * frames + t] = finish(power[k], spectrum);
      }
    }
    return out;
  }

  /**
   * The two-sided spectrogram {@code [n_fft][frames]} of a complex signal (NumPy bin order).
   *
   * @param signal the complex signal; every sample must be finite
   * @param spectrum whether each value is the power |X|² or the magnitude |X|
   * @return a new row-major array of {@code n_fft * frames} values, bin by bin in NumPy's FFT
   *     order
   * @throws DspException if the signal is empty, or shorter than n_fft when frames are not centred
   * @throws NonFiniteSampleException naming the first NaN or infinite sample
   */
  public float[] spectrogram(ComplexSignal signal, Spectrum spectrum) {
    signal.requireFinite();
    int frames = frames(signal.length());
    float[] out = new float[nFft * frames];
    float[] frame = new float[2 * nFft];
    for (int t = 0; t < frames; t++) {
      framing.windowedComplex(signal.array(), signal.offset(), signal.length(), t, frame);
      plan.complexForward(frame, 0);
      for (int k = 0; k < nFft; k++) {
        float re = frame[2 * k];
        float im = frame[2 * k + 1];
        out[k * frames + t] = finish(re * re + im * im, spectrum);
      }
    }
    return out;
  }

  private static float finish(float power, Spectrum spectrum) {
    return spectrum == Spectrum.POWER ? power : (float) Math.sqrt(power);
  }

  /** Configures an {@link Stft}. */
  public static final class Builder {
    private int nFft = 2048;
    private int hop;
    private Window window = Window.HANN;
    private boolean center = true;

    private Builder() {}

    /**
     * FFT and frame length (default 2048).
     *
     * @param nFft FFT and frame length in samples, greater than 0 (checked by {@link #build()})
     * @return this builder
     */
    public Builder nFft(int nFft) {
      this.nFft = nFft;
      return this;
    }

    /**
     * Hop length (default n_fft/4).
     *
     * @param hop number of samples between the starts of consecutive frames, greater than 0
     * @return this builder
     * @throws DspException if {@code hop <= 0}
     */
    public Builder hop(int hop) {
      if (hop <= 0) {
        throw new DspException("hop length must be > 0, got " + hop);
      }
      this.hop = hop;
      return this;
    }

    /**
     * Window type, used periodic (default Hann).
     *
     * @param window the window applied to every frame, in its periodic form
     * @return this builder
     * @throws NullPointerException if {@code window} is null
     */
    public Builder window(Window window) {
      this.window = Objects.requireNonNull(window, "window");
      return this;
    }

    /**
     * Centre frames with n_fft/2 zeros of padding (default true).
     *
     * @param center true to pad the signal with n_fft/2 zeros at each end so frame {@code t} is
     *     centred on sample {@code t * hop}; false to start the first frame at sample 0
     * @return this builder
     */
    public Builder center(boolean center) {
      this.center = center;
      return this;
    }

    /**
     * Validates and builds the transform.
     *
     * @return a new immutable, thread-safe transform
     * @throws DspException if n_fft is not greater than 0
     */
    public Stft build() {
      return new Stft(this);
    }
  }
}
