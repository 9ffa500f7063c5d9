package io.heimdall.dsp;

import java.nio.file.Path;

/**
 * A sample file whose size is not a whole number of samples: truncated, or not of the stated
 * sample format. Nothing is read from it, not even the whole samples before the cut.
 */
public final class PartialSampleException extends RecordingFormatException {
  private static final long serialVersionUID = 1L;

  /** Size of the file in bytes. */
  private final long bytes;

  /** Bytes of one complex sample in the file's format. */
  private final int bytesPerSample;

  /**
   * Creates the exception.
   *
   * @param file the sample file
   * @param bytes its size in bytes
   * @param bytesPerSample bytes of one complex sample in its format
   * @param format names the format, e.g. {@code "cs16"} or {@code "SigMF ci16_le"}
   */
  public PartialSampleException(Path file, long bytes, int bytesPerSample, String format) {
    this(file, bytes, bytesPerSample, format, "I/Q");
  }

  /**
   * Creates the exception for samples of another kind than complex I/Q.
   *
   * @param file the sample file
   * @param bytes its size in bytes
   * @param bytesPerSample bytes of one sample in its format
   * @param format names the format, e.g. {@code "f32"}
   * @param kind what one sample is, e.g. {@code "I/Q"} or {@code "real"}
   */
  public PartialSampleException(
      Path file, long bytes, int bytesPerSample, String format, String kind) {
    super(
        file,
        file
            + " has "
            + bytes
            + " bytes, not a multiple of "
            + bytesPerSample
            + " (one "
            + format
            + " "
            + kind
            + " sample): truncated or not "
            + format);
    this.bytes = bytes;
    this.bytesPerSample = bytesPerSample;
  }

  /**
   * Size of the file.
   *
   * @return bytes
   */
  public long bytes() {
    return bytes;
  }

  /**
   * Size of one complex sample in the file's format.
   *
   * @return bytes per I/Q pair
   */
  public int bytesPerSample() {
    return bytesPerSample;
  }
}
