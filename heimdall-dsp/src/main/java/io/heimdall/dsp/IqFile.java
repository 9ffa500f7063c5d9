package io.heimdall.dsp;

import io.heimdall.npy.Npy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads IQ recordings ({@link IqFormat}) into complex64 signals. Integer formats are scaled to ±1
 * full scale as SigMF readers do: int16 / 32768, int8 / 128, unsigned 8-bit (v − 127.5) / 128.
 */
public final class IqFile {

  private IqFile() {}

  /**
   * Reads {@code file}, taking the format from its extension.
   *
   * @param file a raw IQ file or {@code .npy}
   * @return the samples
   * @throws DspException if the extension names no known format
   * @throws RecordingFormatException if the file is empty or not what its format says
   * @throws PartialSampleException if its size is not a whole number of samples
   * @throws io.heimdall.npy.NpyFormatException for a bad {@code .npy} file
   * @throws IOException if the file cannot be read
   */
  public static ComplexSignal read(Path file) throws IOException {
    return read(file, IqFormat.fromFileName(file));
  }

  /**
   * Reads {@code file} in {@code format}.
   *
   * @param file a raw IQ file or {@code .npy}
   * @param format how its bytes are laid out
   * @return the samples
   * @throws RecordingFormatException if the file is empty or not what its format says
   * @throws PartialSampleException if its size is not a whole number of samples
   * @throws io.heimdall.npy.NpyFormatException for a bad {@code .npy} file
   * @throws IOException if the file cannot be read
   */
  public static ComplexSignal read(Path file, IqFormat format) throws IOException {
    if (format == IqFormat.NPY) {
      try {
        return ComplexSignal.fromNpy(Npy.read(file));
      } catch (DspException e) {
        throw new RecordingFormatException(file, file + ": " + e.getMessage(), e);
      }
    }
    return decode(file, format, format.extension());
  }

  /**
   * Reads a headerless little-endian file of real float32 samples ({@code .f32}), e.g. audio.
   *
   * @param file the file
   * @return the samples
   * @throws RecordingFormatException if the file is empty or over 2 GiB
   * @throws PartialSampleException if its size is not a whole number of float32 samples
   * @throws IOException if the file cannot be read
   */
  public static FloatSignal readReal(Path file) throws IOException {
    ByteBuffer bytes = checkedBytes(file, Float.BYTES, "f32", "real");
    float[] samples = new float[bytes.remaining() / Float.BYTES];
    bytes.asFloatBuffer().get(samples);
    return FloatSignal.wrap(samples);
  }

  /** Reads a headerless little-endian sample file after checking its size. */
  private static ComplexSignal decode(Path file, IqFormat format, String label) throws IOException {
    ByteBuffer bytes = checkedBytes(file, format.bytesPerSample(), label, "I/Q");
    return switch (format) {
      case CS16 -> {
        short[] values = new short[bytes.remaining() / Short.BYTES];
        bytes.asShortBuffer().get(values);
        yield ComplexSignal.fromInt16(values);
      }
      case CU8 -> ComplexSignal.fromUint8(bytes.array());
      case CS8 -> ComplexSignal.fromInt8(bytes.array());
      case CF32 -> ComplexSignal.copyOf(bytes.asFloatBuffer());
      case NPY -> throw new AssertionError("handled by read");
    };
  }

  /** The whole file, little-endian, once its size is a whole number of samples of a kind. */
  private static ByteBuffer checkedBytes(Path file, int bytesPerSample, String label, String kind)
      throws IOException {
    long size = Files.size(file);
    if (size == 0) {
      throw new RecordingFormatException(
          file, file + " is empty (expected " + label + " " + kind + " samples)");
    }
    if (size % bytesPerSample != 0) {
      throw new PartialSampleException(file, size, bytesPerSample, label, kind);
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new RecordingFormatException(
          file, file + " has " + size + " bytes; recordings over 2 GiB are not supported");
    }
    return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
  }
}
