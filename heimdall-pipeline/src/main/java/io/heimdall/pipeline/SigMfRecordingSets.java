package io.heimdall.pipeline;

import io.heimdall.HeimdallException;
import io.heimdall.InvalidInputException;
import io.heimdall.core.Task;
import io.heimdall.dsp.sigmf.GeoPoint;
import io.heimdall.dsp.sigmf.SigMf;
import io.heimdall.dsp.sigmf.SigMfMetadata;
import io.heimdall.dsp.sigmf.SigMfRecording;
import io.heimdall.locate.Station;
import io.heimdall.pipeline.simulation.Geodesy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Tasks whose recordings are a directory of SigMF files, one per receiver, on a path every worker
 * can read (a shared volume). The task's name is {@value #NAME_PREFIX} followed by the directory's
 * absolute path; each recording's {@code core:geolocation} picks its receiver (the nearest one
 * within {@value #MAX_RECEIVER_DISTANCE_M} m). A recording that cannot be read fails the task's
 * attempt with a message naming the file, and the queue retries it until its attempts run out.
 * Thread-safe.
 */
public final class SigMfRecordingSets implements RecordingSource {

  /** Prefix of the names of tasks made by {@link #task}; the directory's path follows it. */
  public static final String NAME_PREFIX = "sigmf:";

  /** How far a recording's position may lie from the receiver it is matched to, in metres. */
  public static final double MAX_RECEIVER_DISTANCE_M = 1_000;

  private final List<Station> receivers;

  /**
   * Reads recording sets for the given receivers.
   *
   * @param receivers the localiser's receivers, which recordings are matched to
   */
  public SigMfRecordingSets(List<Station> receivers) {
    this.receivers = List.copyOf(receivers);
  }

  /**
   * A new task (status submitted) for the recordings in {@code directory}; the recordings are read
   * by the worker that claims it, not now, but the directory must hold at least one.
   *
   * @param directory a directory of {@code .sigmf-meta} / {@code .sigmf-data} pairs
   * @param createdAt the task's creation time
   * @return the task, frequencies from the recordings' metadata
   * @throws InvalidInputException if the directory holds no readable SigMF metadata
   */
  public static Task task(Path directory, Instant createdAt) {
    Path dir = directory.toAbsolutePath().normalize();
    List<Path> metas = metadataFiles(dir);
    List<Double> frequencies = new ArrayList<>();
    for (Path meta : metas) {
      SigMfMetadata metadata;
      try {
        metadata = SigMf.readMetadata(meta);
      } catch (IOException e) {
        throw new InvalidInputException("cannot read " + meta + ": " + e.getMessage(), e);
      }
      if (metadata.frequencyHz().isPresent()) {
        frequencies.add(metadata.frequencyHz().getAsDouble() / 1e6);
      }
    }
    return Task.builder()
        .name(NAME_PREFIX + dir)
        .frequenciesMhz(frequencies)
        .createdAt(createdAt)
        .build();
  }

  /**
   * Whether a task was made by {@link #task}.
   *
   * @param task a task
   * @return whether its name starts with {@value #NAME_PREFIX}
   */
  public static boolean isRecordingSet(Task task) {
    return task.name() != null && task.name().startsWith(NAME_PREFIX);
  }

  @Override
  public List<IqRecording> recordings(Task task) {
    if (!isRecordingSet(task)) {
      throw new InvalidInputException(
          "task "
              + task.id()
              + " is not a recording set: its name is '"
              + task.name()
              + "', expected '"
              + NAME_PREFIX
              + "<directory>'");
    }
    Path dir = Path.of(task.name().substring(NAME_PREFIX.length()));
    List<IqRecording> recordings = new ArrayList<>();
    for (Path meta : metadataFiles(dir)) {
      SigMfRecording recording;
      try {
        recording = SigMf.read(meta);
      } catch (IOException e) {
        throw new HeimdallException("cannot read recording " + meta + ": " + e.getMessage(), e);
      } catch (HeimdallException e) {
        throw new InvalidInputException("corrupt recording " + meta + ": " + e.getMessage(), e);
      }
      SigMfMetadata metadata = recording.metadata();
      GeoPoint position =
          metadata
              .geolocation()
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          "recording "
                              + meta
                              + " has no core:geolocation; expected the receiver's"
                              + " position"));
      double frequencyHz =
          metadata
              .frequencyHz()
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          "recording "
                              + meta
                              + " has no core:frequency; expected the centre"
                              + " frequency in Hz"));
      recordings.add(
          new IqRecording(
              receiverAt(position, meta),
              frequencyHz / 1e6,
              metadata.sampleRateHz(),
              recording.samples().toInterleavedArray()));
    }
    return recordings;
  }

  private Station receiverAt(GeoPoint position, Path meta) {
    Station nearest = null;
    double best = Double.POSITIVE_INFINITY;
    for (Station r : receivers) {
      double d =
          Geodesy.distanceMetres(
              position.latitude(), position.longitude(), r.latitude(), r.longitude());
      if (d < best) {
        best = d;
        nearest = r;
      }
    }
    if (nearest == null || best > MAX_RECEIVER_DISTANCE_M) {
      throw new InvalidInputException(
          "recording "
              + meta
              + " was made at "
              + position.latitude()
              + ", "
              + position.longitude()
              + ", not within "
              + MAX_RECEIVER_DISTANCE_M
              + " m of a receiver of the localiser");
    }
    return nearest;
  }

  private static List<Path> metadataFiles(Path dir) {
    Objects.requireNonNull(dir, "directory");
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException(
          "recording set " + dir + " is not a directory; expected a directory of SigMF files");
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> metas =
          files
              .filter(p -> p.getFileName().toString().endsWith(SigMf.META_EXTENSION))
              .sorted()
              .toList();
      if (metas.isEmpty()) {
        throw new InvalidInputException(
            "recording set " + dir + " holds no " + SigMf.META_EXTENSION + " file");
      }
      return metas;
    } catch (IOException e) {
      throw new HeimdallException("cannot list recording set " + dir + ": " + e.getMessage(), e);
    }
  }
}
