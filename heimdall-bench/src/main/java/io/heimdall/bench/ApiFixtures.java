package io.heimdall.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.heimdall.core.Priority;
import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskStatus;
import io.heimdall.core.TaskWithDetails;
import io.heimdall.inference.Receiver;
import io.heimdall.inference.ReferenceModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * Deterministic API payloads for the response benchmarks: completed tasks around Turin with their
 * result and one measurement per reference receiver, the JSON an HTTP API would send for them, and
 * that JSON gzipped as a compression middleware would.
 */
final class ApiFixtures {
  /** The reference receivers' names, in the localiser's order. */
  static final String[] STATIONS =
      ReferenceModels.RECEIVERS.stream().map(Receiver::name).toArray(String[]::new);

  private static final Instant EPOCH = Instant.parse("2026-11-26T12:00:00Z");

  /** Dates as ISO-8601 strings and Optional as its value or null, as a Python API renders them. */
  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .registerModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private ApiFixtures() {}

  /**
   * @param count tasks
   * @param seed random seed: the same seed gives the same tasks
   * @return completed tasks, each with a result and one measurement per station, newest first
   */
  static List<TaskWithDetails> completedTasks(int count, long seed) {
    Random random = new Random(seed);
    List<TaskWithDetails> tasks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Instant created = EPOCH.minus(Duration.ofSeconds(30L * i));
      Instant completed = created.plusMillis(800 + random.nextInt(400));
      UUID taskId = new UUID(seed, i);
      Task task =
          new Task(
              taskId,
              "user-" + random.nextInt(20),
              TaskStatus.COMPLETED,
              List.of(144.0 + random.nextInt(160) * 0.0125),
              10,
              12_500,
              "scan " + i,
              Priority.NORMAL,
              created,
              created.plusMillis(50),
              completed,
              null);
      tasks.add(
          new TaskWithDetails(
              task,
              Optional.of(result(taskId, random, completed)),
              measurements(taskId, random, created, task.frequenciesMhz().get(0))));
    }
    return tasks;
  }

  /**
   * @param count results
   * @param seed random seed
   * @return results of {@link #completedTasks(int, long)}
   */
  static List<TaskResult> results(int count, long seed) {
    return completedTasks(count, seed).stream().map(t -> t.result().orElseThrow()).toList();
  }

  private static TaskResult result(UUID taskId, Random random, Instant created) {
    return TaskResult.builder(
            taskId, 45.07 + random.nextGaussian() * 0.05, 7.68 + random.nextGaussian() * 0.05)
        .id(new UUID(~taskId.getMostSignificantBits(), taskId.getLeastSignificantBits()))
        .altitudeM(240.0 + random.nextInt(300))
        .uncertaintyM(150.0 + random.nextDouble() * 900, 150.0 + random.nextDouble() * 900)
        .confidence(random.nextDouble())
        .algorithmVersion("weighted-centroid-1.0")
        .processingTimeMs(40 + random.nextInt(60))
        .stationsUsed(STATIONS.length)
        .measurementsUsed(STATIONS.length)
        .createdAt(created)
        .build();
  }

  private static List<SignalMeasurement> measurements(
      UUID taskId, Random random, Instant created, double frequencyMhz) {
    List<SignalMeasurement> out = new ArrayList<>(STATIONS.length);
    for (int s = 0; s < STATIONS.length; s++) {
      long id = (taskId.getLeastSignificantBits() + 1) * STATIONS.length + s;
      out.add(
          new SignalMeasurement(
              id,
              taskId,
              STATIONS[s],
              frequencyMhz + random.nextGaussian() * 1e-4,
              -110.0 + random.nextDouble() * 50,
              random.nextDouble() * 360,
              2.0 + random.nextDouble() * 8,
              random.nextDouble(),
              random.nextDouble() * 30,
              created.toEpochMilli() * 1000 + random.nextInt(1_000_000),
              null,
              created));
    }
    return out;
  }

  /**
   * @param value a response body
   * @return its JSON
   */
  static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON", e);
    }
  }

  /**
   * Compresses as an HTTP server's gzip filter does: a new deflater per response.
   *
   * @param body the response body
   * @param level deflate level, 1 (fastest) to 9 (smallest)
   * @return the gzip stream
   */
  static byte[] gzip(byte[] body, int level) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream gzip =
        new GZIPOutputStream(out, 8192) {
          {
            def.setLevel(level);
          }
        }) {
      gzip.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException("gzip to memory failed", e);
    }
    return out.toByteArray();
  }
}
