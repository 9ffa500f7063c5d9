package io.heimdall.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.heimdall.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs every example program and checks what it prints. */
class ExamplesTest {

  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void start() {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stop() {
    postgres.close();
  }

  @FunctionalInterface
  interface Example {
    void run(PrintStream out) throws Exception;
  }

  private static String output(Example example) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      example.run(out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void features() throws Exception {
    String out = output(o -> FeatureExtractionExample.run(o, 4));
    assertThat(out)
        .contains("Aquila di Giaveno")
        .contains("Milano Baggio")
        .contains(" dBm")
        .contains("features [4, 128, 431] in a direct buffer (zero-copy ready)");
  }

  @Test
  void batchInference() throws Exception {
    String out = output(o -> BatchInferenceExample.run(o, 16));
    assertThat(out)
        .contains("device CPU")
        .contains("16 locations in one call")
        .contains("mean error");
  }

  @Test
  void microBatcher() throws Exception {
    String out = output(o -> MicroBatcherExample.run(o, 4));
    assertThat(out).contains("400 answers from").contains("mean batch");
  }

  @Test
  void cacheAsideFailsOpenWithoutRedis() throws Exception {
    String local = output(o -> CacheAsideExample.run(o, null));
    assertThat(local)
        .contains("hits 50, misses 50")
        .contains("Redis not configured")
        .contains("station-7 (reloaded)");
    String down = output(o -> CacheAsideExample.run(o, "redis://127.0.0.1:1"));
    assertThat(down).contains("hits 50, misses 50").contains("unreachable (fail-open)");
  }

  @Test
  void daoPagination() throws Exception {
    String out = output(o -> DaoPaginationExample.run(o, postgres.createDatabase("example_dao")));
    assertThat(out)
        .contains("stored 120 tasks, 840 measurements (COPY), 120 results")
        .contains(
            "offset page (limit 50, offset 50): 50 tasks, first 'example 69' with 7 measurements")
        .contains("keyset pages of 50: 3 pages, 120 tasks")
        .contains(
            "field selection (latitude,longitude,confidence): {latitude=45.07, longitude=7.69,"
                + " confidence=0.5}")
        .contains("unknown field rejected")
        .contains("password");
  }

  @Test
  void pipeline() throws Exception {
    String out = output(o -> PipelineExample.run(o, postgres.createDatabase("example_pipeline")));
    assertThat(out)
        .contains("simulated transmission #0")
        .contains("simulated transmission #7")
        .contains("completed=8")
        .contains("failed=0");
  }
}
