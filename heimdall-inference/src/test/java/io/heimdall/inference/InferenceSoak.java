package io.heimdall.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Native-memory soak, outside the default test run: at least 200,000 inferences through every path
 * (micro-batcher, direct buffers, {@code float[][]}, the CNN) while the process's resident set size
 * is sampled from {@code /proc/self/status}. Flat RSS after warm-up means every native tensor and
 * result is released.
 *
 * <p>Run: {@code mvn -pl heimdall-inference test-compile dependency:build-classpath
 * -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test}, then {@code java -Xms256m -Xmx256m
 * -XX:+AlwaysPreTouch -cp target/test-classes:target/classes:$(cat cp.txt)
 * io.heimdall.inference.InferenceSoak [rounds]} (a fixed, pre-touched heap keeps the Java heap's
 * share of RSS constant, so what moves is native memory). Each round is 12,304 inferences.
 */
public final class InferenceSoak {

  private InferenceSoak() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    float[][] powers = TestModels.powers(4096, 1);
    float[][] mels = TestModels.mels(16, 2);
    FloatTensor directPowers = FloatTensor.allocateDirect(powers.length, powers[0].length);
    java.nio.FloatBuffer fill = directPowers.writableBuffer();
    for (float[] row : powers) {
      fill.put(row);
    }
    long inferences = 0;
    List<String> samples = new ArrayList<>();
    long start = System.nanoTime();
    try (InferenceEngine centroid =
            InferenceEngine.builder(ReferenceModels.weightedCentroid())
                .device(Device.AUTO)
                .build();
        InferenceEngine cnn =
            InferenceEngine.builder(ReferenceModels.localizationCnn()).device(Device.CPU).build();
        MicroBatcher batcher =
            MicroBatcher.builder(centroid)
                .queueCapacity(8192)
                .maxQueueDelay(java.time.Duration.ofMillis(1))
                .build()) {
      samples.add(sample("loaded", 0, start));
      for (int round = 1; round <= rounds; round++) {
        List<CompletableFuture<InferenceResult>> pending = new ArrayList<>(powers.length);
        for (float[] power : powers) {
          pending.add(batcher.submit(power));
        }
        pending.forEach(CompletableFuture::join);
        inferences += powers.length;
        inferences += centroid.run(directPowers).batchSize();
        inferences += centroid.run(powers).batchSize();
        inferences += cnn.run(mels).batchSize();
        if (round == Math.max(1, rounds / 10) || round % Math.max(1, rounds / 5) == 0) {
          samples.add(
              sample(
                  round == Math.max(1, rounds / 10) ? "warm" : "round " + round,
                  inferences,
                  start));
        }
      }
    }
    samples.add(sample("closed", inferences, start));
    samples.forEach(System.out::println);
    System.out.println("inferences: " + inferences);
  }

  private static String sample(String label, long inferences, long start) throws IOException {
    return String.format(
        "%-9s inferences=%8d  t=%6.1fs  %s",
        label, inferences, (System.nanoTime() - start) / 1e9, rss());
  }

  static String rss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return "RSS=" + line.substring(6).trim();
      }
    }
    return "RSS=?";
  }
}
