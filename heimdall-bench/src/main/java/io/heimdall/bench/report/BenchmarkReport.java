package io.heimdall.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes {@code docs/BENCHMARKS.md} from one JMH run: every claim of the claims table with its
 * baseline, optimised figure, ratio and error, and its target, then the machine, the JVM, the JMH
 * settings and every result of the run.
 *
 * <pre>
 * java -cp benchmarks.jar io.heimdall.bench.report.BenchmarkReport --results jmh.json --output docs/BENCHMARKS.md
 *     [--claims claims.txt] [--command "how the run was started"] [--duration-seconds N] [--date ISO-8601]
 *     [--failures FILE (one line per benchmark that threw)] [--source "the code that was measured"]
 *     [--peers FILE (JSON lines of the NumPy/SciPy peers, see PeerResults)] [--peer-notes FILE]
 * </pre>
 *
 * Exit code 2 with a one-line message on bad arguments or an unreadable result file.
 */
public final class BenchmarkReport {
  /** The committed claims table, inside the benchmark jar. */
  public static final String CLAIMS_RESOURCE = "/io/heimdall/bench/report/claims.txt";

  private final List<Claim> claims;
  private final List<JmhResult> results;
  private final Map<String, String> context;
  private final List<String> failures;
  private final List<JmhResult> peers;
  private final List<String> peerNotes;

  /**
   * A report without NumPy/SciPy peers.
   *
   * @param claims the claims table
   * @param results the run
   * @param context header facts, in order (date, machine, JVM, command, ...)
   * @param failures benchmarks that threw during the run, one line each with the exception
   */
  public BenchmarkReport(
      List<Claim> claims,
      List<JmhResult> results,
      Map<String, String> context,
      List<String> failures) {
    this(claims, results, context, failures, List.of(), List.of());
  }

  /**
   * @param claims the claims table
   * @param results the JMH run
   * @param context header facts, in order (date, machine, JVM, command, ...)
   * @param failures benchmarks that threw during the run, one line each with the exception
   * @param peers the NumPy/SciPy peers timed in the same run ({@link PeerResults}); claims may use
   *     them as baselines
   * @param peerNotes how the peers ran, or why they did not (one line each)
   */
  public BenchmarkReport(
      List<Claim> claims,
      List<JmhResult> results,
      Map<String, String> context,
      List<String> failures,
      List<JmhResult> peers,
      List<String> peerNotes) {
    this.claims = List.copyOf(claims);
    this.results = List.copyOf(results);
    this.context = new LinkedHashMap<>(context);
    this.failures = List.copyOf(failures);
    this.peers = List.copyOf(peers);
    this.peerNotes = List.copyOf(peerNotes);
  }

  /**
   * @param args see the class description
   */
  public static void main(String[] args) {
    try {
      Map<String, String> options = options(args);
      Path resultsFile = Path.of(require(options, "results"));
      Path output = Path.of(require(options, "output"));
      List<JmhResult> results = JmhResult.read(resultsFile);
      List<Claim> claims =
          Claim.parse(
              options.containsKey("claims")
                  ? Files.readAllLines(Path.of(options.get("claims")))
                  : bundledClaims());
      Map<String, String> context = new LinkedHashMap<>();
      context.put(
          "Date",
          options.getOrDefault(
              "date",
              DateTimeFormatter.ISO_INSTANT.format(Instant.now().atOffset(ZoneOffset.UTC))));
      if (options.containsKey("duration-seconds")) {
        long seconds = Long.parseLong(options.get("duration-seconds"));
        context.put(
            "Run time", String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60));
      }
      context.putAll(machine());
      context.put("JVM", jvm(results));
      context.put("JMH", jmhSettings(results));
      if (options.containsKey("source")) {
        context.put("Source", options.get("source"));
      }
      if (options.containsKey("command")) {
        context.put("Command", "`" + options.get("command") + "`");
      }
      List<String> failures =
          options.containsKey("failures")
              ? Files.readAllLines(Path.of(options.get("failures"))).stream()
                  .filter(l -> !l.isBlank())
                  .toList()
              : List.of();
      List<JmhResult> peers =
          options.containsKey("peers")
              ? PeerResults.read(Path.of(options.get("peers")))
              : List.of();
      List<String> peerNotes =
          options.containsKey("peer-notes")
              ? Files.readAllLines(Path.of(options.get("peer-notes"))).stream()
                  .filter(l -> !l.isBlank())
                  .toList()
              : List.of();
      String markdown =
          new BenchmarkReport(claims, results, context, failures, peers, peerNotes).render();
      Path parent = output.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temporary = Files.createTempFile(parent, ".benchmarks", ".md");
      Files.writeString(temporary, markdown, StandardCharsets.UTF_8);
      readableByAll(temporary);
      Files.move(
          temporary,
          output,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      System.out.println(
          "wrote "
              + output
              + " ("
              + claims.size()
              + " claims, "
              + results.size()
              + " benchmark results)");
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      System.err.println("benchmark report: " + e.getMessage());
      System.exit(2);
    }
  }

  /** Temporary files are created owner-only; the report is an ordinary document. */
  private static void readableByAll(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException notPosix) {
      // the file system has no POSIX permissions: its defaults apply
    }
  }

  /**
   * @return the claims table bundled in the jar
   */
  public static List<String> bundledClaims() {
    try (InputStream in = BenchmarkReport.class.getResourceAsStream(CLAIMS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "claims table " + CLAIMS_RESOURCE + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 == args.length) {
        throw new IllegalArgumentException(
            "expected --name value pairs (--results FILE --output FILE [--claims FILE] [--command"
                + " TEXT] [--duration-seconds N] [--date TEXT] [--failures FILE] [--source TEXT]"
                + " [--peers FILE] [--peer-notes FILE]),"
                + " got '"
                + args[i]
                + "'");
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }

  private static String require(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException(
          "missing --" + name + " (usage: --results jmh.json --output" + " docs/BENCHMARKS.md)");
    }
    return value;
  }

  /**
   * @return the report as Markdown
   */
  public String render() {
    List<JmhResult> all = new ArrayList<>(results);
    all.addAll(peers);
    List<Outcome> outcomes = claims.stream().map(c -> Outcome.evaluate(c, all)).toList();
    StringBuilder md = new StringBuilder();
    md.append("# Heimdall benchmarks: the performance guide's claims, measured\n\n");
    md.append(
        "Generated by `heimdall-bench/run-report.sh` from one JMH run (do not edit by hand; rerun"
            + " the script). `heimdall-bench/run-report.sh` builds"
            + " `heimdall-bench/target/benchmarks.jar` if it is missing or older than the sources,"
            + " runs every benchmark in one JMH invocation and rewrites this file; `--quick` does"
            + " the same with short iterations and without the four benchmarks that seed a million"
            + " rows (about 5 minutes, for development; its errors are wide). After JMH it times"
            + " every NumPy/SciPy peer script in `heimdall-bench/peers/` (baselines named"
            + " `peer.<name>`), or notes why it could not. `--include REGEX"
            + " --output FILE` runs a subset into another file. Claims and their targets live in"
            + " `heimdall-bench/src/main/resources/io/heimdall/bench/report/claims.txt`.\n\n");
    context.forEach((k, v) -> md.append("- **").append(k).append("**: ").append(v).append('\n'));
    md.append('\n');

    md.append("## Claims\n\n");
    md.append(
        "Ratio = how many times better the optimised figure is than its baseline (baseline ÷"
            + " optimised for times and sizes, optimised ÷ baseline for rates), so > 1 means the"
            + " optimisation wins. Errors are the half-widths of JMH's 99.9% confidence intervals;"
            + " the ratio's relative error is the two relative errors added in quadrature."
            + " \"close\" means the target lies within that error.\n\n");
    md.append("| # | Area | Claim | Baseline | Optimised | Ratio | Target | Met |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome o = outcomes.get(i);
      Claim c = o.claim();
      md.append("| ")
          .append(i + 1)
          .append(" | ")
          .append(c.area())
          .append(" | ")
          .append(c.title())
          .append(" | ");
      if (o.problem() != null) {
        md.append("not measured | not measured | – | ")
            .append(c.target() == null ? "–" : c.target())
            .append(" | – |\n");
        continue;
      }
      md.append(o.baseline() == null ? "–" : o.baseline())
          .append(" | ")
          .append(o.optimised())
          .append(" | ")
          .append(o.ratio() == null ? "–" : o.ratio())
          .append(" | ")
          .append(c.target() == null ? "–" : c.target())
          .append(" | ")
          .append(verdict(o))
          .append(" |\n");
    }
    md.append('\n').append(summary(outcomes)).append("\n\n");

    md.append("## What each claim measures\n\n");
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome o = outcomes.get(i);
      Claim c = o.claim();
      md.append(i + 1).append(". **").append(c.title()).append("**");
      if (c.measurable()) {
        md.append(" — baseline `")
            .append(c.baseline() == null ? "none" : c.baseline())
            .append("`, optimised `")
            .append(c.optimised())
            .append("`, metric `")
            .append(c.metric())
            .append("` (")
            .append(c.higherIsBetter() ? "higher" : "lower")
            .append(" is better).");
        if (o.baseline() != null && o.optimised() != null) {
          md.append(" Optimised − baseline: ")
              .append(difference(o.baseline(), o.optimised()))
              .append('.');
        }
        if (!c.note().isEmpty()) {
          md.append(' ').append(c.note());
        }
        if (o.problem() != null) {
          md.append(" **Not measured in this run:** ").append(o.problem()).append('.');
        }
      } else {
        md.append(" — not measurable: ").append(c.note());
      }
      md.append('\n');
    }
    md.append('\n');

    List<Outcome> missing = outcomes.stream().filter(o -> o.problem() != null).toList();
    if (!missing.isEmpty() || !failures.isEmpty()) {
      md.append("## Not measured\n\n");
      for (Outcome o : missing) {
        md.append("- ").append(o.claim().title()).append(": ").append(o.problem()).append('\n');
      }
      for (String failure : failures) {
        md.append("- Benchmark failed during the run: ").append(failure).append('\n');
      }
      md.append('\n');
    }

    md.append("## NumPy/SciPy peers\n\n");
    if (peerNotes.isEmpty() && peers.isEmpty()) {
      md.append("No peer was timed in this run.\n");
    }
    for (String note : peerNotes) {
      md.append("- ").append(note).append('\n');
    }
    for (JmhResult peer : peers) {
      md.append("- `")
          .append(peer.benchmark())
          .append("`: ")
          .append(peer.primary())
          .append(" (")
          .append(peer.settings())
          .append(")\n");
    }
    md.append('\n');

    md.append("## Every result of the run\n\n");
    md.append("| Benchmark | Parameters | Score | Secondary |\n|---|---|---|---|\n");
    for (JmhResult r : all) {
      String secondary =
          r.secondary().entrySet().stream()
              .filter(e -> shownInAppendix(e.getKey()))
              .map(e -> e.getKey().replace("·", "") + " " + e.getValue())
              .collect(Collectors.joining("; "));
      md.append("| ")
          .append(r.benchmark())
          .append(" | ")
          .append(r.describeParams())
          .append(" | ")
          .append(r.primary())
          .append(" | ")
          .append(secondary)
          .append(" |\n");
    }
    return md.toString();
  }

  /**
   * @return e.g. "24 of 30 claims measured; targets met: 6 of 7 (1 close to its bound)."
   */
  static String summary(List<Outcome> outcomes) {
    long measured = outcomes.stream().filter(o -> o.problem() == null).count();
    List<Outcome.Verdict> verdicts =
        outcomes.stream().map(Outcome::verdict).filter(v -> v != null).toList();
    long met = verdicts.stream().filter(Outcome.Verdict::met).count();
    long close = verdicts.stream().filter(Outcome.Verdict::close).count();
    return measured
        + " of "
        + outcomes.size()
        + " claims measured; targets met: "
        + met
        + " of "
        + verdicts.size()
        + " measured targets"
        + (close == 0 ? "" : " (" + close + " close to the bound)")
        + ".";
  }

  /**
   * The absolute change, e.g. the time gzip adds or the bytes field selection saves; errors in
   * quadrature.
   */
  static Figure difference(Figure baseline, Figure optimised) {
    return new Figure(
        optimised.value() - baseline.value(),
        Math.hypot(optimised.error(), baseline.error()),
        optimised.unit());
  }

  /**
   * Of the GC profiler's figures only the bytes allocated per operation; every other secondary
   * result.
   */
  private static boolean shownInAppendix(String name) {
    String plain = name.replace("·", "");
    return !plain.startsWith("gc.") || plain.equals("gc.alloc.rate.norm");
  }

  private static String verdict(Outcome o) {
    Outcome.Verdict v = o.verdict();
    if (v == null) {
      return "–";
    }
    String measured =
        o.claim().target().subject() == Target.Subject.RATIO ? "" : " (" + v.measured() + ")";
    return (v.met() ? "yes" : "**no**") + measured + (v.close() ? ", close" : "");
  }

  /**
   * @return CPU model, cores and memory of this machine, from /proc where available
   */
  static Map<String, String> machine() {
    Map<String, String> machine = new LinkedHashMap<>();
    String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name");
    machine.put(
        "Machine",
        (cpu == null ? System.getProperty("os.arch") : cpu)
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores available to the JVM, "
            + memory()
            + ", "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.version"));
    return machine;
  }

  private static String memory() {
    String total = firstValue(Path.of("/proc/meminfo"), "MemTotal");
    if (total == null) {
      return "memory unknown";
    }
    long kib = Long.parseLong(total.replaceAll("[^0-9]", ""));
    return String.format(Locale.ROOT, "%.1f GiB memory", kib / 1024.0 / 1024.0);
  }

  private static String firstValue(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
          return line.substring(colon + 1).strip();
        }
      }
    } catch (IOException | UncheckedIOException unavailable) {
      return null;
    }
    return null;
  }

  /** The JVM JMH forked, with the vendor of this one (the runner script uses the same java). */
  static String jvm(List<JmhResult> results) {
    Set<String> jvms =
        results.stream().map(JmhResult::jvm).collect(Collectors.toCollection(LinkedHashSet::new));
    return String.join("; ", jvms) + ", vendor " + System.getProperty("java.vm.vendor");
  }

  /**
   * The distinct JMH settings of the run, most common first, with how many benchmarks used each.
   */
  static String jmhSettings(List<JmhResult> results) {
    Map<String, Long> counts =
        results.stream()
            .collect(
                Collectors.groupingBy(
                    JmhResult::settings, LinkedHashMap::new, Collectors.counting()));
    List<String> parts = new ArrayList<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> parts.add(e.getKey() + " (" + e.getValue() + " results)"));
    return results.size() + " results; " + String.join("; ", parts);
  }
}
