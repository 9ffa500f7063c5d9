package io.heimdall.bench.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heimdall.inference.ReferenceModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Where the time of the fp32 and the static int8 reference CNN goes, operator by operator: ONNX
 * Runtime's own profiler ({@code SessionOptions.enableProfiling}) over {@value #RUNS} batches of
 * {@value #BATCH}, after {@value #WARM_UP} unprofiled ones, the profile JSON aggregated by operator
 * type and by node. The two models are profiled alternately, {@value #ROUNDS} times each, and each
 * node's time is its fastest over those rounds: on a shared machine a run of either can be twice as
 * slow as the next, and other work only ever adds time. Same session settings as {@code
 * InferenceBench} (CPU, all graph optimisations, ONNX Runtime's default threads).
 *
 * <p>{@code main [output.md]} writes the Markdown tables (default: standard output); a section of
 * the output file headed {@value #KEPT_SECTION} and everything after it is hand-written and kept.
 * Run it under the build lock, e.g. {@code flock /tmp/heimdall-build.lock java -cp
 * heimdall-bench/target/benchmarks.jar io.heimdall.bench.models.StaticInt8Profile
 * heimdall-bench/profiles/cnn-int8-static.md}.
 */
public final class StaticInt8Profile {

  static final int BATCH = 32;
  static final int WARM_UP = 5;
  static final int RUNS = 20;
  static final int ROUNDS = 7;

  /** Heading of the hand-written part of the output file, kept when the file is rewritten. */
  static final String KEPT_SECTION = "## Variants tried";

  private StaticInt8Profile() {}

  /**
   * @param args optional output file
   * @throws OrtException if ONNX Runtime fails
   * @throws IOException if the profile or the output cannot be read or written
   */
  public static void main(String[] args) throws OrtException, IOException {
    Map<String, byte[]> models = new LinkedHashMap<>();
    models.put("fp32", ReferenceModels.localizationCnn());
    models.put("int8", ReferenceModels.localizationCnnInt8Static());
    // per model, per node: op type and the microseconds per batch of each round
    Map<String, Map<String, String>> opOf = new LinkedHashMap<>();
    Map<String, Map<String, List<Double>>> rounds = new LinkedHashMap<>();
    // fp32 total / int8 total of each round: the two ran back to back, so a slow spell of the
    // machine shows in both more often than in one
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      Map<String, Double> roundTotals = new LinkedHashMap<>();
      for (Map.Entry<String, byte[]> model : models.entrySet()) {
        Map<String, String> ops = opOf.computeIfAbsent(model.getKey(), k -> new LinkedHashMap<>());
        Map<String, List<Double>> times =
            rounds.computeIfAbsent(model.getKey(), k -> new LinkedHashMap<>());
        Map<String, Double> byNode = profile(model.getKey(), model.getValue(), ops);
        byNode.forEach(
            (node, micros) -> times.computeIfAbsent(node, k -> new ArrayList<>()).add(micros));
        roundTotals.put(model.getKey(), byNode.values().stream().mapToDouble(v -> v).sum());
      }
      ratios.add(roundTotals.get("fp32") / roundTotals.get("int8"));
    }
    Collections.sort(ratios);
    StringBuilder md = new StringBuilder();
    md.append("# Reference CNN, fp32 vs static int8 (QDQ): ONNX Runtime operator profile\n\n")
        .append("Written by `io.heimdall.bench.models.StaticInt8Profile` (batch ")
        .append(BATCH)
        .append(", ")
        .append(RUNS)
        .append(" profiled runs after ")
        .append(WARM_UP)
        .append(" unprofiled ones, the two models alternately ")
        .append(ROUNDS)
        .append(
            " times, fastest round per node; CPU execution provider, all graph optimisations). CPU:"
                + " ")
        .append(cpu())
        .append(". Kernel time per batch, summed over the nodes of each operator type.\n\n");
    Map<String, Double> totals = new LinkedHashMap<>();
    for (String label : models.keySet()) {
      Map<String, Double> byNode = new LinkedHashMap<>();
      rounds.get(label).forEach((node, times) -> byNode.put(node, Collections.min(times)));
      totals.put(label, tables(label, byNode, opOf.get(label), md));
    }
    md.append("Total kernel time per batch: fp32 ")
        .append(ms(totals.get("fp32")))
        .append(" ms, int8 ")
        .append(ms(totals.get("int8")))
        .append(
            String.format(
                Locale.ROOT,
                " ms (fp32/int8 %.2f); fp32/int8 of the totals of each round: median %.2f, range"
                    + " %.2f–%.2f.%n",
                totals.get("fp32") / totals.get("int8"),
                ratios.get(ROUNDS / 2),
                ratios.get(0),
                ratios.get(ROUNDS - 1)));
    if (args.length > 0) {
      Path out = Path.of(args[0]);
      if (Files.exists(out)) {
        String old = Files.readString(out);
        int kept = old.indexOf("\n" + KEPT_SECTION);
        if (kept >= 0) {
          md.append(old.substring(kept));
        }
      }
      Files.writeString(out, md);
      System.out.println("wrote " + args[0]);
    } else {
      System.out.print(md);
    }
  }

  /**
   * Runs the model with profiling once; returns microseconds per batch by node, and records each
   * node's operator type in {@code opOf}.
   */
  private static Map<String, Double> profile(String label, byte[] model, Map<String, String> opOf)
      throws OrtException, IOException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int size = ReferenceModels.MEL_BANDS * ReferenceModels.MEL_FRAMES;
    FloatBuffer input =
        ByteBuffer.allocateDirect(BATCH * size * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    Random random = new Random(1);
    for (int i = 0; i < BATCH * size; i++) {
      input.put(i, -80 * random.nextFloat());
    }
    Path prefix = Files.createTempFile("heimdall-ort-profile-" + label, "");
    String file;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OnnxTensor tensor =
            OnnxTensor.createTensor(
                env,
                input,
                new long[] {BATCH, ReferenceModels.MEL_BANDS, ReferenceModels.MEL_FRAMES})) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession warm = env.createSession(model, options)) {
        run(warm, tensor, WARM_UP);
      }
      options.enableProfiling(prefix.toString());
      try (OrtSession session = env.createSession(model, options)) {
        run(session, tensor, 1 + RUNS); // the first run of each node is not counted below
        file = session.endProfiling();
      }
    } finally {
      Files.deleteIfExists(prefix);
    }
    JsonNode events = new ObjectMapper().readTree(Files.readAllBytes(Path.of(file)));
    Files.deleteIfExists(Path.of(file));
    Map<String, Double> byNode = new LinkedHashMap<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (JsonNode event : events) {
      String name = event.path("name").asText();
      if (!"Node".equals(event.path("cat").asText()) || !name.endsWith("_kernel_time")) {
        continue;
      }
      String node = name.substring(0, name.length() - "_kernel_time".length());
      if (seen.merge(node, 1, Integer::sum) == 1) {
        continue;
      }
      opOf.put(node, event.path("args").path("op_name").asText());
      byNode.merge(node, event.path("dur").asDouble() / RUNS, Double::sum);
    }
    return byNode;
  }

  /** Appends the tables of one model; returns its total microseconds per batch. */
  private static double tables(
      String label, Map<String, Double> byNode, Map<String, String> opOf, StringBuilder md) {
    Map<String, Double> byOp = new LinkedHashMap<>();
    byNode.forEach((node, micros) -> byOp.merge(opOf.get(node), micros, Double::sum));
    double total = byNode.values().stream().mapToDouble(Double::doubleValue).sum();
    md.append("## ").append(label).append(" by operator type\n\n");
    md.append("| Operator | ms per batch | share |\n|---|---|---|\n");
    byOp.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(
            e ->
                md.append("| ")
                    .append(e.getKey())
                    .append(" | ")
                    .append(ms(e.getValue()))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f%%", 100 * e.getValue() / total))
                    .append(" |\n"));
    md.append("\n## ").append(label).append(" by node (top 10)\n\n");
    md.append("| Node | Operator | ms per batch |\n|---|---|---|\n");
    byNode.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(10)
        .forEach(
            e ->
                md.append("| ")
                    .append(e.getKey())
                    .append(" | ")
                    .append(opOf.get(e.getKey()))
                    .append(" | ")
                    .append(ms(e.getValue()))
                    .append(" |\n"));
    md.append('\n');
    return total;
  }

  private static void run(OrtSession session, OnnxTensor input, int times) throws OrtException {
    for (int i = 0; i < times; i++) {
      session.run(Map.of(ReferenceModels.CNN_INPUT, input)).close();
    }
  }

  private static String ms(double micros) {
    return String.format(Locale.ROOT, "%.3f", micros / 1000);
  }

  private static String cpu() {
    try {
      String flags = "";
      String model = "unknown";
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name") && model.equals("unknown")) {
          model = line.substring(line.indexOf(':') + 1).strip();
        } else if (line.startsWith("flags") && flags.isEmpty()) {
          flags = line;
        }
      }
      return model
          + (flags.contains("avx512_vnni") ? ", AVX-512 VNNI" : "")
          + (flags.contains("amx_int8") ? ", AMX-INT8" : "");
    } catch (IOException e) {
      return System.getProperty("os.arch");
    }
  }
}
