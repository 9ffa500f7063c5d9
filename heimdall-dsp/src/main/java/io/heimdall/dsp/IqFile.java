package io.heimdall.dsp;

import io.heimdall.npy.Npy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads IQ recordings ({@link IqFormat}) into complex64 signals. */
public final class IqFile {

  private IqFile() {}

  /** Reads {@code file}, taking the format from its extension. */
  public static ComplexSignal read(Path file) throws IOException {
    return read(file, IqFormat.fromFileName(file));
  }

  /**
   * Reads {@code file} in {@code format}.
   *
   * @throws DspException if the file is empty or its size is not a whole number of samples
   * @throws io.heimdall.npy.NpyFormatException for a bad {@code .npy} file
   * @throws IOException if the file cannot be read
   */
  public static ComplexSignal read(Path file, IqFormat format) throws IOException {
    if (format == IqFormat.NPY) {
      try {
        return ComplexSignal.fromNpy(Npy.read(file));
      } catch (DspException e) {
        throw new DspException(file + ": " + e.getMessage());
      }
    }
    long size = Files.size(file);
    if (size == 0) {
      throw new DspException(file + " is empty (expected " + format.extension() + " IQ samples)");
    }
    if (size % format.bytesPerSample() != 0) {
      throw new DspException(
          file
              + " has "
              + size
              + " bytes, not a multiple of "
              + format.bytesPerSample()
              + " (one "
              + format.extension()
              + " I/Q sample): truncated or not "
              + format.extension());
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new DspException(
          file + " has " + size + " bytes; recordings over 2 GiB are not supported");
    }
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    return switch (format) {
      case CS16 -> {
        short[] values = new short[bytes.remaining() / Short.BYTES];
        bytes.asShortBuffer().get(values);
        yield ComplexSignal.fromInt16(values);
      }
      case CU8 -> ComplexSignal.fromUint8(bytes.array());
      case CS8 -> ComplexSignal.fromInt8(bytes.array());
      case CF32 -> ComplexSignal.copyOf(bytes.asFloatBuffer());
      case NPY -> throw new AssertionError("handled above");
    };
  }
}
