package io.heimdall.dsp;

import java.util.Arrays;

/**
 * Cuts a signal into windowed frames of {@code frameLength} samples every {@code hop} samples, as
 * librosa does: centred analysis pads {@code frameLength/2} zeros on both sides (librosa's default
 * pad mode "constant"), so frame t covers samples {@code [t·hop − frameLength/2, … + frameLength)}.
 * The padding is never materialised: samples outside the signal read as zero.
 */
final class Framing {

  private final int frameLength;
  private final int hop;
  private final boolean center;
  private final float[] window;

  Framing(float[] window, int hop, boolean center) {
    this.frameLength = window.length;
    this.hop = Checks.positive("hop length", hop);
    this.center = center;
    this.window = window;
  }

  int frameLength() {
    return frameLength;
  }

  int hop() {
    return hop;
  }

  /** The window (shared, not copied: callers only read it). */
  float[] window() {
    return window;
  }

  boolean centered() {
    return center;
  }

  /**
   * Number of frames of a signal of {@code length} samples: {@code 1 + (length + 2·(n/2) − n)/hop}
   * centred, {@code 1 + (length − n)/hop} otherwise.
   *
   * @throws DspException for an empty signal, or one shorter than the frame when not centred
   */
  int frames(int length) {
    Checks.nonEmpty("signal", length);
    if (center) {
      return 1 + (length + 2 * (frameLength / 2) - frameLength) / hop;
    }
    if (length < frameLength) {
      throw new DspException(
          "signal of "
              + length
              + " samples is shorter than n_fft "
              + frameLength
              + " (uncentred analysis needs at least n_fft samples; centred analysis pads)");
    }
    return 1 + (length - frameLength) / hop;
  }

  /**
   * Index in the signal of the first sample of frame {@code t} (negative when it starts in the
   * padding).
   */
  int start(int t) {
    return t * hop - (center ? frameLength / 2 : 0);
  }

  /**
   * Writes frame {@code t} of the real signal, multiplied by the window, to {@code frame[0, n)}.
   */
  void windowed(float[] x, int offset, int length, int t, float[] frame) {
    int start = start(t);
    int from = Math.max(0, -start);
    int to = Math.min(frameLength, length - start);
    Arrays.fill(frame, 0, from, 0f);
    System.arraycopy(x, offset + start + from, frame, from, to - from);
    Arrays.fill(frame, to, frameLength, 0f);
    // same index in both arrays: the JIT vectorises this (x[src + i] * window[i] it would not)
    for (int i = from; i < to; i++) {
      frame[i] *= window[i];
    }
  }

  /**
   * Writes frame {@code t} of the interleaved complex signal (offset and length in complex
   * samples), multiplied by the window, to {@code frame[0, 2n)}.
   */
  void windowedComplex(float[] iq, int offset, int length, int t, float[] frame) {
    int start = start(t);
    int from = Math.max(0, -start);
    int to = Math.min(frameLength, length - start);
    Arrays.fill(frame, 0, 2 * frameLength, 0f);
    int src = 2 * (offset + start);
    for (int i = from; i < to; i++) {
      float w = window[i];
      frame[2 * i] = iq[src + 2 * i] * w;
      frame[2 * i + 1] = iq[src + 2 * i + 1] * w;
    }
  }

  /**
   * The samples no frame reads (the tail after the last frame): they must still be finite, as
   * librosa validates the whole signal.
   */
  void checkUnreadTailFinite(String label, float[] x, int offset, int length, int frames) {
    int end = start(frames - 1) + frameLength;
    if (end < length) {
      for (int i = Math.max(end, 0); i < length; i++) {
        if (!Float.isFinite(x[offset + i])) {
          throw new NonFiniteSampleException(label, i, x[offset + i]);
        }
      }
    }
  }

  /**
   * Called when frame {@code t}'s transform is not finite: finds the non-finite sample it read and
   * throws.
   */
  DspException nonFiniteFrame(String label, float[] x, int offset, int length, int t) {
    int start = start(t);
    for (int i = Math.max(0, start); i < Math.min(length, start + frameLength); i++) {
      if (!Float.isFinite(x[offset + i])) {
        return new NonFiniteSampleException(label, i, x[offset + i]);
      }
    }
    return new DspException(
        label
            + ": the spectrum of frame "
            + t
            + " overflows float32: sample magnitudes are too large"
            + " (expected audio-range values)");
  }
}
