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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Where the time of the fp32 and the static int8 reference CNN goes, operator by operator: ONNX
 * Runtime's own profiler ({@code SessionOptions.enableProfiling}) over {@value #RUNS} batches of
 * {@value #BATCH}, after {@value #WARM_UP} unprofiled ones, the profile JSON aggregated by operator
 * type and by node. Same session settings as {@code InferenceBench} (CPU, all graph optimisations,
 * ONNX Runtime's default threads).
 *
 * <p>{@code main [output.md]} writes the Markdown tables (default: standard output). Run it under
 * the build lock, e.g. {@code flock /tmp/heimdall-build.lock java -cp
 * heimdall-bench/target/benchmarks.jar io.heimdall.bench.models.StaticInt8Profile
 * heimdall-bench/profiles/cnn-int8-static.md}.
 */
public final class StaticInt8Profile {

  static final int BATCH = 32;
  static final int WARM_UP = 5;
  static final int RUNS = 20;

  private StaticInt8Profile() {}

  /**
   * @param args optional output file
   * @throws OrtException if ONNX Runtime fails
   * @throws IOException if the profile or the output cannot be read or written
   */
  public static void main(String[] args) throws OrtException, IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Reference CNN, fp32 vs static int8 (QDQ): ONNX Runtime operator profile\n\n")
        .append("Written by `io.heimdall.bench.models.StaticInt8Profile` (batch ")
        .append(BATCH)
        .append(", ")
        .append(RUNS)
        .append(" profiled runs after ")
        .append(WARM_UP)
        .append(" unprofiled ones, CPU execution provider, all graph optimisations). CPU: ")
        .append(cpu())
        .append(". Kernel time per batch, summed over the nodes of each operator type.\n\n");
    Map<String, double[]> fp32 = profile("fp32", ReferenceModels.localizationCnn(), md);
    Map<String, double[]> int8 = profile("int8", ReferenceModels.localizationCnnInt8Static(), md);
    md.append("Total kernel time per batch: fp32 ")
        .append(ms(total(fp32)))
        .append(" ms, int8 ")
        .append(ms(total(int8)))
        .append(" ms.\n");
    if (args.length > 0) {
      Files.writeString(Path.of(args[0]), md);
      System.out.println("wrote " + args[0]);
    } else {
      System.out.print(md);
    }
  }

  private static double total(Map<String, double[]> byNode) {
    return byNode.values().stream().mapToDouble(v -> v[0]).sum();
  }

  /** Runs the model with profiling; appends its tables; returns microseconds per batch by node. */
  private static Map<String, double[]> profile(String label, byte[] model, StringBuilder md)
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
    // per node: [microseconds, calls, op type index]; the first run of each node is skipped
    Map<String, double[]> byNode = new LinkedHashMap<>();
    Map<String, String> opOf = new LinkedHashMap<>();
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
      byNode.computeIfAbsent(node, k -> new double[2])[0] += event.path("dur").asDouble() / RUNS;
      byNode.get(node)[1] += 1;
    }
    Map<String, Double> byOp = new LinkedHashMap<>();
    byNode.forEach((node, v) -> byOp.merge(opOf.get(node), v[0], Double::sum));
    double total = total(byNode);
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
    md.append("\n## ").append(label).append(" by node (top 8)\n\n");
    md.append("| Node | Operator | ms per batch |\n|---|---|---|\n");
    List<Map.Entry<String, double[]>> nodes =
        byNode.entrySet().stream()
            .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
            .limit(8)
            .toList();
    for (Map.Entry<String, double[]> e : nodes) {
      md.append("| ")
          .append(e.getKey())
          .append(" | ")
          .append(opOf.get(e.getKey()))
          .append(" | ")
          .append(ms(e.getValue()[0]))
          .append(" |\n");
    }
    md.append('\n');
    return byNode;
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
