package io.heimdall.locate.tdoa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heimdall.InvalidInputException;
import io.heimdall.dsp.ComplexSignal;
import io.heimdall.dsp.sigmf.GeoPoint;
import io.heimdall.dsp.sigmf.SigMfDatatype;
import io.heimdall.dsp.sigmf.SigMfMetadata;
import io.heimdall.dsp.sigmf.SigMfRecording;
import io.heimdall.locate.Covariance;
import io.heimdall.locate.LocationEstimate;
import io.heimdall.locate.Method;
import io.heimdall.locate.Region;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What TDOA refuses, and how it says so. */
class TdoaLocalizerTest {

  private static final Instant PRECISE = Instant.parse("2026-03-01T10:00:00.123456789Z");
  private static final TdoaLocalizer TDOA = TdoaLocalizer.builder().build();

  private static List<TimedRecording> recordings(int count, Instant start) {
    List<TimedRecording> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(
          new TimedRecording(
              TdoaSolverTest.DEMO.get(i),
              start.plusNanos(i),
              12_500,
              ComplexSignal.wrapInterleaved(new float[2 * 2048])));
    }
    return out;
  }

  private static SigMfMetadata metadata(Instant start, boolean located) {
    SigMfMetadata.Builder b = SigMfMetadata.builder(SigMfDatatype.CF32_LE, 12_500);
    if (start != null) {
      b.datetime(start);
    }
    if (located) {
      b.geolocation(GeoPoint.of(45.0, 7.6));
    }
    return b.build();
  }

  @Test
  void refusesFewerThanFourReceivers() {
    assertThatThrownBy(() -> TDOA.locate(TdoaSolverTest.TURIN, recordings(3, PRECISE)))
        .isInstanceOf(TdoaInputException.class)
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("TDOA needs recordings from at least 4 receivers, got 3");
  }

  @Test
  void refusesATimeWithoutSubMicrosecondDigits() {
    Instant micro = Instant.parse("2026-03-01T10:00:00.123456Z");
    List<TimedRecording> set = recordings(5, PRECISE);
    set.set(2, new TimedRecording(set.get(2).station(), micro, 12_500, set.get(2).samples()));
    assertThatThrownBy(() -> TDOA.locate(TdoaSolverTest.TURIN, set))
        .isInstanceOf(TdoaInputException.class)
        .hasMessageContaining("station 'torino'")
        .hasMessageContaining("no digit below the microsecond")
        .hasMessageNotContaining("\n");
  }

  @Test
  void refusesARecordingWithoutDatetime() {
    SigMfRecording recording =
        new SigMfRecording(
            metadata(null, true), ComplexSignal.wrapInterleaved(new float[2 * 2048]));
    assertThatThrownBy(() -> TimedRecording.fromSigMf("genova", recording))
        .isInstanceOf(TdoaInputException.class)
        .hasMessageContaining("recording 'genova' has no captures[0].core:datetime");
  }

  @Test
  void qualifiesOnlyFourOrMorePreciselyTimedLocatedRecordings() {
    SigMfMetadata good = metadata(PRECISE, true);
    assertThat(TdoaLocalizer.qualifies(List.of(good, good, good, good))).isTrue();
    assertThat(TdoaLocalizer.qualifies(List.of(good, good, good))).isFalse();
    SigMfMetadata millis = metadata(Instant.parse("2026-03-01T10:00:00.123Z"), true);
    assertThat(TdoaLocalizer.qualifies(List.of(good, good, millis, good))).isFalse();
    assertThat(TdoaLocalizer.qualifies(List.of(good, good, metadata(null, true), good))).isFalse();
    assertThat(TdoaLocalizer.qualifies(List.of(good, good, metadata(PRECISE, false), good)))
        .isFalse();
    assertThatThrownBy(
            () -> TdoaLocalizer.requireQualified(List.of(good, good, metadata(null, true), good)))
        .hasMessage(
            "recording 3 of 4 has no captures[0].core:datetime; TDOA needs the UTC time of its"
                + " first sample to the nanosecond");
  }

  @Test
  void hybridRefusesTheUncalibratedCentroid() {
    Covariance c = new Covariance(1e6, 0, 1e6);
    LocationEstimate centroid =
        new LocationEstimate(45, 7.6, c, Region.of(c, 0.9), Double.NaN, 1e3, 7, Method.CENTROID);
    assertThatThrownBy(
            () -> TDOA.locateHybrid(TdoaSolverTest.TURIN, recordings(5, PRECISE), centroid))
        .isInstanceOf(TdoaInputException.class)
        .hasMessage("hybrid needs the received-power estimate of method bayes, got centroid");
  }

  @Test
  void hybridIsThePrecisionWeightedProductOfTheTwoGaussians() {
    Covariance tight = new Covariance(100, 0, 400);
    Covariance broad = new Covariance(1e6, 0, 1e6);
    LocationEstimate time =
        new LocationEstimate(45, 7.6, tight, Region.of(tight, 0.9), 0.9, 22, 7, Method.TDOA);
    double[] north1km = TdoaSolver.toGeographic(45, 7.6, 0, 1_000);
    LocationEstimate power =
        new LocationEstimate(
            north1km[0], north1km[1], broad, Region.of(broad, 0.9), 0.9, 900, 7, Method.BAYES);
    LocationEstimate hybrid = TdoaLocalizer.combine(time, power, 0.9, 7);
    assertThat(hybrid.method()).isEqualTo(Method.HYBRID);
    // north: 1/(1/400 + 1/1e6) = 399.84 m², mean 1000·399.84/1e6 = 0.39984 m north
    assertThat(hybrid.covariance().northNorth())
        .isCloseTo(399.84, org.assertj.core.data.Offset.offset(0.01));
    assertThat(hybrid.covariance().eastEast())
        .isCloseTo(99.99, org.assertj.core.data.Offset.offset(0.01));
    double[] moved = TdoaSolver.toPlane(45, 7.6, hybrid.latitude(), hybrid.longitude());
    assertThat(moved[1]).isCloseTo(0.39984, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(moved[0]).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-6));
  }
}
