package io.heimdall.dsp.sigmf;

import io.heimdall.dsp.ComplexSignal;
import io.heimdall.dsp.DspException;
import io.heimdall.dsp.IqFile;
import io.heimdall.dsp.PartialSampleException;
import io.heimdall.dsp.RecordingFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads and writes SigMF recordings: {@code NAME.sigmf-meta} (JSON) next to {@code
 * NAME.sigmf-data} (samples). Reading takes any of the two paths, or {@code NAME}; writing replaces
 * both files atomically, the data first, so a reader never sees metadata without its samples.
 */
public final class SigMf {

  /** Extension of the metadata file. */
  public static final String META_EXTENSION = ".sigmf-meta";

  /** Extension of the sample file. */
  public static final String DATA_EXTENSION = ".sigmf-data";

  private SigMf() {}

  /**
   * Reads a recording: its metadata and its samples scaled to ±1 full scale.
   *
   * @param path {@code NAME.sigmf-meta}, {@code NAME.sigmf-data} or {@code NAME}
   * @return the metadata and the samples
   * @throws SigMfMetadataException if the metadata is malformed, misses a required field or holds
   *     a value Heimdall does not read
   * @throws PartialSampleException if the data file is not a whole number of samples
   * @throws RecordingFormatException if the data file is empty
   * @throws IOException if either file cannot be read (e.g. does not exist)
   */
  public static SigMfRecording read(Path path) throws IOException {
    SigMfMetadata metadata = readMetadata(path);
    Path data = dataFile(path);
    SigMfDatatype type = metadata.datatype();
    String label = "SigMF " + type.sigmfName();
    long size = Files.size(data);
    if (size == 0) {
      throw new RecordingFormatException(
          data, data + " is empty (expected " + label + " I/Q samples, as global.core:datatype says)");
    }
    if (size % type.bytesPerSample() != 0) {
      throw new PartialSampleException(data, size, type.bytesPerSample(), label);
    }
    return new SigMfRecording(metadata, IqFile.read(data, type.format()));
  }

  /**
   * Reads only the metadata of a recording.
   *
   * @param path {@code NAME.sigmf-meta}, {@code NAME.sigmf-data} or {@code NAME}
   * @return the metadata
   * @throws SigMfMetadataException if the metadata is malformed, misses a required field or holds
   *     a value Heimdall does not read
   * @throws IOException if the file cannot be read
   */
  public static SigMfMetadata readMetadata(Path path) throws IOException {
    Path meta = metaFile(path);
    return SigMfJson.parse(meta, Files.readAllBytes(meta));
  }

  /**
   * Writes {@code samples} as {@code metadata.datatype()}, with {@code metadata}. Integer types
   * are rounded to the nearest code and clipped to the type's range (full scale ±1).
   *
   * @param path {@code NAME.sigmf-meta}, {@code NAME.sigmf-data} or {@code NAME}; both files are
   *     written, replacing any existing ones
   * @param metadata the metadata to write
   * @param samples the samples
   * @return the path of the metadata file
   * @throws DspException for an empty signal
   * @throws io.heimdall.dsp.NonFiniteSampleException naming the first NaN or infinity
   * @throws IOException if a file cannot be written; no partial file is left behind
   */
  public static Path write(Path path, SigMfMetadata metadata, ComplexSignal samples)
      throws IOException {
    if (samples.length() == 0) {
      throw new DspException("SigMF samples are empty (expected at least one sample)");
    }
    samples.requireFinite();
    Path meta = metaFile(path);
    writeAtomically(dataFile(path), encode(samples, metadata.datatype()));
    writeAtomically(meta, SigMfJson.render(metadata));
    return meta;
  }

  /** The samples in {@code type}'s little-endian layout. */
  static byte[] encode(ComplexSignal samples, SigMfDatatype type) {
    float[] iq = samples.toInterleavedArray();
    ByteBuffer out =
        ByteBuffer.allocate(Math.multiplyExact(iq.length / 2, type.bytesPerSample()))
            .order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case CF32_LE -> out.asFloatBuffer().put(iq);
      case CI16_LE -> {
        for (float v : iq) {
          out.putShort((short) clip(Math.round(v * 32768.0), -32768, 32767));
        }
      }
      case CI8 -> {
        for (float v : iq) {
          out.put((byte) clip(Math.round(v * 128.0), -128, 127));
        }
      }
      case CU8 -> {
        for (float v : iq) {
          out.put((byte) clip(Math.round(v * 128.0 + 127.5), 0, 255));
        }
      }
    }
    return out.array();
  }

  private static long clip(long value, long min, long max) {
    return Math.max(min, Math.min(max, value));
  }

  private static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path temp =
        Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".tmp");
    try {
      Files.write(temp, bytes);
      try {
        Files.move(
            temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Path metaFile(Path path) {
    return sibling(path, META_EXTENSION);
  }

  private static Path dataFile(Path path) {
    return sibling(path, DATA_EXTENSION);
  }

  /** {@code NAME + extension} for any of {@code NAME}, {@code NAME.sigmf-meta}, {@code NAME.sigmf-data}. */
  private static Path sibling(Path path, String extension) {
    String name = path.getFileName().toString();
    for (String known : new String[] {META_EXTENSION, DATA_EXTENSION}) {
      if (name.endsWith(known)) {
        name = name.substring(0, name.length() - known.length());
        break;
      }
    }
    return path.resolveSibling(name + extension);
  }
}
