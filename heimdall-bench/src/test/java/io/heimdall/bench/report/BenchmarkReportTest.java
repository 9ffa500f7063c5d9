package io.heimdall.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Benchmark;

class BenchmarkReportTest {
  private static List<JmhResult> results;
  private static List<Claim> claims;
  private static List<Outcome> outcomes;

  @BeforeAll
  static void evaluateSample() throws IOException, URISyntaxException {
    results = JmhResult.read(resource("sample-jmh.json"));
    claims = Claim.parse(Files.readAllLines(resource("claims-sample.txt")));
    outcomes = claims.stream().map(c -> Outcome.evaluate(c, results)).toList();
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(BenchmarkReportTest.class.getResource(name).toURI());
  }

  private static Outcome outcome(String title) {
    return outcomes.stream().filter(o -> o.claim().title().equals(title)).findFirst().orElseThrow();
  }

  @Test
  void readsJmhJsonIncludingParamsThreadsSecondaryMetricsAndNaNErrors() {
    assertThat(results).hasSize(17);
    JmhResult json = results.get(9);
    assertThat(json.benchmark()).isEqualTo("SampleBench.json");
    assertThat(json.params()).containsExactly(Map.entry("payload", "page"));
    assertThat(json.primary().value()).isEqualTo(50.0);
    assertThat(json.primary().error()).isNaN();
    assertThat(json.secondary().get("payloadBytes").value()).isEqualTo(2_000_000.0);
    assertThat(results.get(11).threads()).isEqualTo(8);
    assertThat(results.get(0).settings())
        .isEqualTo("JMH 1.37, mode avgt, forks 1, warm-up 3 × 1 s, measurement 5 × 1 s");
  }

  @Test
  void ratioOfTimesIsBaselineOverOptimisedWithRelativeErrorsInQuadrature() {
    Outcome o = outcome("N+1 vs eager");
    assertThat(o.ratio().value()).isCloseTo(25.0, within(1e-12));
    // 10/100 and 0.2/4 relative: sqrt(0.1² + 0.05²) = 0.1118
    assertThat(o.ratio().error()).isCloseTo(25.0 * Math.sqrt(0.01 + 0.0025), within(1e-12));
    assertThat(o.verdict().met()).isTrue();
    assertThat(o.verdict().close()).isFalse();
  }

  @Test
  void ratioOfRatesIsOptimisedOverBaselineAndAMissedTargetIsReported() {
    Outcome o = outcome("throughput");
    assertThat(o.ratio().value()).isCloseTo(2.5, within(1e-12));
    assertThat(o.ratio().error()).isCloseTo(2.5 * Math.hypot(0.05, 0.1), within(1e-12));
    assertThat(o.verdict().met()).isFalse();
  }

  @Test
  void costTargetBoundsTheInverseRatioAndFlagsATargetWithinTheError() {
    Outcome o = outcome("Caffeine vs hit");
    assertThat(o.verdict().measured().value()).isCloseTo(1.4, within(1e-12));
    assertThat(o.verdict().measured().error())
        .isCloseTo(1.4 * Math.hypot(0.1, 1.0 / 14), within(1e-12));
    assertThat(o.verdict().met()).isTrue();
    assertThat(o.verdict().close()).isTrue();
  }

  @Test
  void absoluteTargetConvertsTimePerOperationToARate() {
    Outcome o = outcome("COPY rate");
    assertThat(o.ratio()).isNull();
    assertThat(o.verdict().measured().unit()).isEqualTo("ops/s");
    assertThat(o.verdict().measured().value()).isCloseTo(125_000.0, within(1e-6));
    assertThat(o.verdict().measured().error()).isCloseTo(6_250.0, within(1e-6));
    assertThat(o.verdict().met()).isTrue();
  }

  @Test
  void aParamNamedThreadsWinsOverTheJmhThreadCount() {
    Outcome o = outcome("workers");
    assertThat(o.baseline().value()).isEqualTo(200.0);
    assertThat(o.optimised().value()).isEqualTo(110.0);
    assertThat(o.verdict().met()).isTrue();
  }

  @Test
  void baselineInAnotherTimeUnitIsConvertedBeforeTheRatio() {
    Outcome o = outcome("across units");
    assertThat(o.baseline().unit()).isEqualTo("us/op");
    assertThat(o.baseline().value()).isCloseTo(2_000.0, within(1e-9));
    assertThat(o.ratio().value()).isCloseTo(500.0, within(1e-9));
  }

  @Test
  void divisorGivesPerItemFigures() {
    Outcome o = outcome("single vs batch");
    assertThat(o.optimised().value()).isCloseTo(10.0, within(1e-12));
    assertThat(o.optimised().error()).isCloseTo(0.5, within(1e-12));
    assertThat(o.ratio().value()).isCloseTo(1.2, within(1e-12));
  }

  @Test
  void differenceTargetSubtractsAndAddsErrorsInQuadrature() {
    Outcome o = outcome("batcher overhead");
    assertThat(o.verdict().measured().value()).isCloseTo(14.0, within(1e-12));
    assertThat(o.verdict().measured().error()).isCloseTo(Math.hypot(3.0, 0.1), within(1e-12));
    assertThat(o.verdict().met()).isTrue();
  }

  @Test
  void counterQuotientIsExactAndTakesTheGivenUnit() {
    Outcome o = outcome("gzip bytes");
    assertThat(o.baseline()).isEqualTo(new Figure(20_000.0, 0, "B"));
    assertThat(o.optimised()).isEqualTo(new Figure(5_000.0, 0, "B"));
    assertThat(o.ratio().value()).isEqualTo(4.0);
    assertThat(o.ratio().error()).isZero();
    assertThat(outcome("hot key loads").ratio().value()).isEqualTo(1.0);
  }

  @Test
  void missingAmbiguousAndUnmeasurableClaimsAreReportedNotFailed() {
    assertThat(outcome("ambiguous").problem()).contains("matches 2 results");
    assertThat(outcome("absent").problem()).contains("SampleBench.missing was not in this run");
    assertThat(outcome("int8").problem()).isEqualTo("no quantised model");
  }

  @Test
  void rendersTheClaimsTableTheNotMeasuredSectionAndEveryResult() {
    String md =
        new BenchmarkReport(
                claims,
                results,
                Map.of("Machine", "test box"),
                List.of("SampleBench.broken (batch = 2): java.lang.IllegalStateException: boom"))
            .render();
    assertThat(md)
        .contains("- **Machine**: test box")
        .contains(
            "| 1 | Database | N+1 vs eager | 100 ± 10.0 µs/op | 4.00 ± 0.200 µs/op | 25.0 ± 2.80 ×"
                + " | ≥ 20× | yes |")
        .contains(
            "| COPY rate | – | 8.00 ± 0.400 µs/op | – | ≥ 100,000 ops/s | yes (125,000 ± 6,250"
                + " ops/s) |")
        .contains(
            "| throughput | 2,000 ± 100 ops/s | 5,000 ± 500 ops/s | 2.50 ± 0.280 × | ≥ 3× | **no**"
                + " |")
        .contains("cost ≤ 1.5× baseline | yes (1.40 ± 0.172 ×), close |")
        .contains("| 20,000 B | 5,000 B | 4.00 × |")
        .contains(
            "10 of 13 claims measured; targets met: 5 of 6 measured targets (1 close to the"
                + " bound).")
        .contains("Optimised − baseline: -15,000 B.")
        .contains("Optimised − baseline: -96.0 ± 10.0 µs/op. three statements")
        .contains("## Not measured")
        .contains("- int8: no quantised model")
        .contains(
            "- Benchmark failed during the run: SampleBench.broken (batch = 2):"
                + " java.lang.IllegalStateException: boom")
        .contains("| SampleBench.hot | threads=8 | 3.00 ± 0.100 µs/op | loads 800 |")
        .contains(
            "| SampleBench.copy |  | 8.00 ± 0.400 µs/op | gc.alloc.rate.norm 1,024 ± 0.500 B/op |")
        .doesNotContain("gc.count")
        .doesNotContain("MB/sec");
  }

  @Test
  void writesTheReportFileFromTheCommandLine(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("docs/BENCHMARKS.md");
    BenchmarkReport.main(
        new String[] {
          "--results",
          resource("sample-jmh.json").toString(),
          "--claims",
          resource("claims-sample.txt").toString(),
          "--output",
          out.toString(),
          "--date",
          "2026-11-26",
          "--source",
          "commit abc1234"
        });
    String md = Files.readString(out);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-r--r--");
    assertThat(md)
        .contains("- **Date**: 2026-11-26")
        .contains("- **Source**: commit abc1234")
        .contains("- **Machine**: ")
        .contains("- **JVM**: OpenJDK")
        .contains("- **JMH**: 17 results; JMH 1.37, mode avgt, forks 1");
  }

  @Test
  void rejectsMalformedClaimsSelectorsTargetsAndResultFiles(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> Claim.parse(List.of("a | b | X.y | X.z | score | faster |  | n")))
        .hasMessageContaining("line 1")
        .hasMessageContaining("better must be 'lower' or 'higher'");
    assertThatThrownBy(() -> Claim.parse(List.of("a | b | X.y | X.z | score | lower")))
        .hasMessageContaining("expected 8 fields");
    assertThatThrownBy(() -> Claim.parse(List.of("a | b | - | - | score | lower |  | ")))
        .hasMessageContaining("must say why");
    assertThatThrownBy(() -> Selector.parse("nomethod(batch=1)"))
        .hasMessageContaining("Class.method");
    assertThatThrownBy(() -> Selector.parse("A.b(batch)")).hasMessageContaining("not name=value");
    assertThatThrownBy(() -> Target.parse("ratio >= 2 ms/op")).hasMessageContaining("take no unit");
    assertThatThrownBy(() -> Target.parse("optimised <= 2")).hasMessageContaining("need a unit");
    assertThatThrownBy(() -> new Figure(1, 0, "#").in("us/op")).hasMessageContaining("neither");
    Path notJmh = Files.writeString(dir.resolve("x.json"), "{\"benchmark\": 1}");
    assertThatThrownBy(() -> JmhResult.read(notJmh)).hasMessageContaining("not a JMH JSON result");
  }

  /**
   * The committed table must parse and name only benchmark methods that exist in this module, and
   * peers ({@code peer.<name>}) whose script {@code peers/<name>.py} exists.
   */
  @Test
  void bundledClaimsNameExistingBenchmarkMethods() {
    List<Claim> bundled = Claim.parse(BenchmarkReport.bundledClaims());
    assertThat(bundled).hasSizeGreaterThan(20);
    bundled.stream()
        .flatMap(c -> Stream.of(c.baseline(), c.optimised()))
        .filter(s -> s != null)
        .forEach(
            s -> {
              if (s.benchmark().startsWith(PeerResults.PREFIX)) {
                String script = s.benchmark().substring(PeerResults.PREFIX.length()) + ".py";
                // surefire runs in the module's directory
                assertThat(Path.of("peers", script)).as("peer script of %s", s).isRegularFile();
                return;
              }
              String[] parts = s.benchmark().split("\\.");
              Class<?> type;
              try {
                type = Class.forName("io.heimdall.bench." + parts[0]);
              } catch (ClassNotFoundException e) {
                throw new AssertionError(
                    "claims name " + s + " but io.heimdall.bench." + parts[0] + " does not exist");
              }
              assertThat(
                      Arrays.stream(type.getMethods())
                          .filter(m -> m.getName().equals(parts[1]))
                          .filter(m -> m.isAnnotationPresent(Benchmark.class))
                          .map(Method::getName))
                  .as("@Benchmark method %s", s)
                  .isNotEmpty();
            });
  }

  @Test
  void figuresFormatWithThreeSignificantDigits() {
    assertThat(Figure.format(1234.5)).isEqualTo("1,235");
    assertThat(Figure.format(12.345)).isEqualTo("12.3");
    assertThat(Figure.format(0.012345)).isEqualTo("0.0123");
    assertThat(new Figure(2.5, Double.NaN, "ms/op").toString()).isEqualTo("2.50 ms/op");
    assertThat(new Figure(2.0, 4.6e-6, "×").toString()).isEqualTo("2.00 ± <0.001 ×");
    assertThat(new Figure(1500, 0.01, "B/op").toString()).isEqualTo("1,500 ± <0.1 B/op");
    assertThat(new Figure(8, 0.4, "us/op").in("ops/s").value()).isCloseTo(125_000, within(1e-6));
  }
}
