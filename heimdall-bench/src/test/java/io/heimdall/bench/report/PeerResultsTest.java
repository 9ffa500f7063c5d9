package io.heimdall.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peer scripts' JSON lines as baselines of claims, next to JMH results of the same run. */
class PeerResultsTest {

  @Test
  void readsPeerLinesAsMillisecondResultsWithoutErrorBars(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("peers.jsonl");
    Files.writeString(
        file,
        "{\"benchmark\": \"peer.mel\", \"avgt_ms\": 10.5, \"runs\": 100}\n\n"
            + "{\"benchmark\":\"peer.receiver_chain\",\"avgt_ms\":78,\"runs\":20}\n");
    List<JmhResult> peers = PeerResults.read(file);
    assertThat(peers)
        .extracting(JmhResult::benchmark)
        .containsExactly("peer.mel", "peer.receiver_chain");
    assertThat(peers.get(0).primary()).isEqualTo(new Figure(10.5, 0, "ms/op"));
    assertThat(peers.get(1).settings()).isEqualTo("peer script, mean of 20 runs");
  }

  @Test
  void rejectsLinesThatAreNotPeerResultsNamingTheLine() {
    assertThatThrownBy(
            () ->
                PeerResults.parse(
                    "{\"benchmark\": \"mel\", \"avgt_ms\": 1, \"runs\": 1}", "f line 3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("f line 3")
        .hasMessageContaining("peer.<name>");
    assertThatThrownBy(() -> PeerResults.parse("{\"benchmark\": \"peer.mel\", \"runs\": 5}", "f"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PeerResults.parse("not json", "f"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not JSON");
  }

  @Test
  void aPeerIsTheBaselineOfAClaimAgainstAJmhResultInAnotherUnit() {
    JmhResult jmh =
        new JmhResult(
            "MelBench.single",
            Map.of(),
            1,
            new Figure(2_000, 100, "us/op"),
            Map.of(),
            "JMH 1.37",
            "OpenJDK 17");
    JmhResult peer =
        PeerResults.parse("{\"benchmark\":\"peer.mel\",\"avgt_ms\":10,\"runs\":50}", "f");
    List<Claim> claims =
        Claim.parse(
            List.of(
                "DSP | NumPy mel vs ours | peer.mel | MelBench.single | score | lower | ratio >= 4"
                    + " |",
                "DSP | absent peer | peer.chain | MelBench.single | score | lower | ratio >= 10"
                    + " |"));
    BenchmarkReport report =
        new BenchmarkReport(
            claims,
            List.of(jmh),
            Map.of(),
            List.of(),
            List.of(peer),
            List.of("Peers timed with Python 3.13, NumPy 2.4, SciPy 1.17"));
    Outcome outcome = Outcome.evaluate(claims.get(0), List.of(jmh, peer));
    assertThat(outcome.baseline()).isEqualTo(new Figure(10_000, 0, "us/op"));
    assertThat(outcome.ratio().value()).isCloseTo(5.0, within(1e-12));
    assertThat(outcome.ratio().error()).isCloseTo(0.25, within(1e-12));
    assertThat(outcome.verdict().met()).isTrue();
    String md = report.render();
    assertThat(md)
        .contains(
            "| 1 | DSP | NumPy mel vs ours | 10,000 µs/op | 2,000 ± 100 µs/op | 5.00 ± 0.250 ×")
        .contains("- absent peer: peer.chain was not in this run")
        .contains("## NumPy/SciPy peers")
        .contains("- Peers timed with Python 3.13, NumPy 2.4, SciPy 1.17")
        .contains("- `peer.mel`: 10.0 ms/op (peer script, mean of 50 runs)")
        .contains("| peer.mel |  | 10.0 ms/op |");
  }
}
