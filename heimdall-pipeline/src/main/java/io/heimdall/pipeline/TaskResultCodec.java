package io.heimdall.pipeline;

import io.heimdall.cache.ValueCodec;
import io.heimdall.core.TaskResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

/**
 * A compact binary form of {@link TaskResult} for the shared cache tier: a format version, then
 * every field in declaration order, nullable ones behind a presence byte. Decoding validates like
 * the record's constructor, so corrupt bytes become a miss.
 */
final class TaskResultCodec implements ValueCodec<TaskResult> {

  static final TaskResultCodec INSTANCE = new TaskResultCodec();
  /** 2 added the covariance and the region level; an older entry is evicted and reloaded. */
  private static final int VERSION = 2;

  private TaskResultCodec() {}

  @Override
  public byte[] encode(TaskResult r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      writeUuid(out, r.id());
      writeUuid(out, r.taskId());
      out.writeUTF(r.status());
      writeDouble(out, r.latitude());
      writeDouble(out, r.longitude());
      writeDouble(out, r.altitudeM());
      writeDouble(out, r.latitudeUncertaintyM());
      writeDouble(out, r.longitudeUncertaintyM());
      writeDouble(out, r.confidence());
      writeDouble(out, r.covarianceEeM2());
      writeDouble(out, r.covarianceEnM2());
      writeDouble(out, r.covarianceNnM2());
      writeDouble(out, r.regionLevel());
      out.writeBoolean(r.algorithmVersion() != null);
      if (r.algorithmVersion() != null) {
        out.writeUTF(r.algorithmVersion());
      }
      writeInt(out, r.processingTimeMs());
      writeInt(out, r.stationsUsed());
      writeInt(out, r.measurementsUsed());
      out.writeLong(r.createdAt().getEpochSecond());
      out.writeInt(r.createdAt().getNano());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public TaskResult decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "cached task result has format " + version + ", expected " + VERSION);
      }
      TaskResult result =
          new TaskResult(
              readUuid(in),
              readUuid(in),
              in.readUTF(),
              readDouble(in),
              readDouble(in),
              readDouble(in),
              readDouble(in),
              readDouble(in),
              readDouble(in),
              readDouble(in),
              readDouble(in),
              readDouble(in),
              readDouble(in),
              in.readBoolean() ? in.readUTF() : null,
              readInt(in),
              readInt(in),
              readInt(in),
              Instant.ofEpochSecond(in.readLong(), in.readInt()));
      if (in.available() != 0) {
        throw new IllegalArgumentException(
            "cached task result has " + in.available() + " trailing bytes");
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("cached task result is truncated", e);
    }
  }

  private static void writeUuid(DataOutputStream out, UUID id) throws IOException {
    out.writeLong(id.getMostSignificantBits());
    out.writeLong(id.getLeastSignificantBits());
  }

  private static UUID readUuid(DataInputStream in) throws IOException {
    return new UUID(in.readLong(), in.readLong());
  }

  private static void writeDouble(DataOutputStream out, Double v) throws IOException {
    out.writeBoolean(v != null);
    if (v != null) {
      out.writeDouble(v);
    }
  }

  private static Double readDouble(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readDouble() : null;
  }

  private static void writeInt(DataOutputStream out, Integer v) throws IOException {
    out.writeBoolean(v != null);
    if (v != null) {
      out.writeInt(v);
    }
  }

  private static Integer readInt(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readInt() : null;
  }
}
