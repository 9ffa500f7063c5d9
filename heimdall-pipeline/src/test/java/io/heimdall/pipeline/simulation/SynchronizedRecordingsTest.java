package io.heimdall.pipeline.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.heimdall.dsp.FmDemodulator;
import io.heimdall.dsp.sigmf.SigMf;
import io.heimdall.dsp.sigmf.SigMfRecording;
import io.heimdall.locate.Localizer;
import io.heimdall.locate.LocationEstimate;
import io.heimdall.locate.Method;
import io.heimdall.locate.Reading;
import io.heimdall.locate.SearchArea;
import io.heimdall.locate.tdoa.TdoaLocalizer;
import io.heimdall.locate.tdoa.TimedRecording;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.sf.geographiclib.GeodesicMask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time differences of arrival on synchronised recordings around the demo's seven receivers, against
 * the received-power localiser on the same transmissions.
 */
class SynchronizedRecordingsTest {

  private static final SearchArea TURIN = new SearchArea(45.0703, 7.6869, 40_000);
  private static final TdoaLocalizer TDOA = TdoaLocalizer.builder().build();

  @Test
  void tdoaIsTensOfMetresAndFiftyTimesBetterThanReceivedPower() {
    SynchronizedRecordings sim = SynchronizedRecordings.builder().seed(3).build();
    int count = 60;
    List<SynchronizedRecordings.Transmission> transmissions = new ArrayList<>();
    List<List<Reading>> powers = new ArrayList<>();
    double[] tdoa = new double[count];
    for (int i = 0; i < count; i++) {
      SynchronizedRecordings.Transmission t = sim.simulate(i);
      transmissions.add(t);
      powers.add(t.powers());
      LocationEstimate e = TDOA.locate(TURIN, t.recordings());
      assertThat(e.method()).isEqualTo(Method.TDOA);
      tdoa[i] = t.transmitter().errorMetres(e.latitude(), e.longitude());
    }
    double[] power = new double[count];
    double[] hybrid = new double[count];
    try (Localizer bayes = Localizer.builder().build()) {
      List<LocationEstimate> estimates = bayes.locateAll(TURIN, powers);
      for (int i = 0; i < count; i++) {
        SynchronizedRecordings.Transmission t = transmissions.get(i);
        LocationEstimate p = estimates.get(i);
        power[i] = t.transmitter().errorMetres(p.latitude(), p.longitude());
        LocationEstimate h = TDOA.locateHybrid(TURIN, t.recordings(), p);
        assertThat(h.method()).isEqualTo(Method.HYBRID);
        hybrid[i] = t.transmitter().errorMetres(h.latitude(), h.longitude());
      }
    }
    double medianTdoa = quantile(tdoa, 0.5);
    double medianPower = quantile(power, 0.5);
    System.out.printf(
        "TDOA error m: median %.1f p95 %.1f max %.1f; hybrid median %.1f; received power median"
            + " %.0f p95 %.0f; ratio %.0f%n",
        medianTdoa,
        quantile(tdoa, 0.95),
        quantile(tdoa, 1),
        quantile(hybrid, 0.5),
        medianPower,
        quantile(power, 0.95),
        medianPower / medianTdoa);
    assertThat(medianTdoa).as("TDOA median error, m").isLessThanOrEqualTo(100);
    assertThat(medianPower / medianTdoa).as("received power over TDOA").isGreaterThanOrEqualTo(50);
    assertThat(quantile(tdoa, 1)).as("worst TDOA error, m").isLessThanOrEqualTo(1_000);
    assertThat(quantile(hybrid, 0.5)).as("hybrid median error, m").isLessThanOrEqualTo(100);
  }

  @Test
  void regionsCoverTheTruthAtTheirLevel() {
    // half-second recordings keep 240 transmissions fast; their variances are computed for them
    SynchronizedRecordings sim =
        SynchronizedRecordings.builder().seed(5).durationSeconds(0.5).build();
    int count = 240;
    int inside = 0;
    for (int i = 0; i < count; i++) {
      SynchronizedRecordings.Transmission t = sim.simulate(i);
      LocationEstimate e = TDOA.locate(TURIN, t.recordings());
      assertThat(e.region().level()).isEqualTo(0.9);
      assertThat(e.confidence()).isEqualTo(0.9);
      if (e.covers(t.transmitter().latitude(), t.transmitter().longitude())) {
        inside++;
      }
    }
    double coverage = (double) inside / count;
    System.out.printf("TDOA region coverage at 0.9: %.3f over %d%n", coverage, count);
    assertThat(coverage).as("coverage of the 0.9 regions").isBetween(0.85, 0.95);
  }

  @Test
  void nanosecondTimesAndPositionsSurviveSigMf(@TempDir Path dir) throws Exception {
    SynchronizedRecordings sim =
        SynchronizedRecordings.builder().seed(9).durationSeconds(0.5).build();
    SynchronizedRecordings.Transmission t = sim.simulate(4);
    List<Path> files = sim.writeSigMf(dir, t);
    List<TimedRecording> read = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      SigMfRecording recording = SigMf.read(files.get(i));
      TimedRecording original = t.recordings().get(i);
      TimedRecording back = TimedRecording.fromSigMf(original.station().id(), recording);
      assertThat(back.start()).isEqualTo(original.start());
      assertThat(back.start().getNano() % 1_000).isNotZero();
      assertThat(back.station().latitude()).isEqualTo(original.station().latitude());
      assertThat(back.station().longitude()).isEqualTo(original.station().longitude());
      assertThat(recording.metadata().frequencyHz().getAsDouble())
          .isEqualTo(t.transmitter().frequencyMhz() * 1e6);
      read.add(back);
    }
    LocationEstimate fromMemory = TDOA.locate(TURIN, t.recordings());
    LocationEstimate fromFiles = TDOA.locate(TURIN, read);
    assertThat(fromFiles.latitude()).isCloseTo(fromMemory.latitude(), within(1e-9));
    assertThat(fromFiles.longitude()).isCloseTo(fromMemory.longitude(), within(1e-9));
  }

  @Test
  void receiversStartApartWithTheirOwnLoOffsets() {
    SynchronizedRecordings sim =
        SynchronizedRecordings.builder().seed(2).durationSeconds(0.5).snrDb(50, 50).build();
    SynchronizedRecordings.Transmission t = sim.simulate(0);
    FmDemodulator demodulator = FmDemodulator.of(12_500, 2_500);
    Set<Object> starts = new HashSet<>();
    Set<Long> offsets = new HashSet<>();
    for (int r = 0; r < t.recordings().size(); r++) {
      TimedRecording recording = t.recordings().get(r);
      SynchronizedRecordings.Reception truth = t.receptions().get(r);
      starts.add(recording.start());
      assertThat(recording.subMicrosecond()).isTrue();
      assertThat(Math.abs(truth.timingErrorNs())).isLessThan(200);
      // the audio's mean frequency is the carrier's offset: the tones average out
      float[] audio = demodulator.demodulate(recording.samples());
      double mean = 0;
      for (float v : audio) {
        mean += v;
      }
      mean = mean / audio.length * 2_500;
      assertThat(mean).isCloseTo(truth.loOffsetHz(), within(5.0));
      offsets.add(Math.round(truth.loOffsetHz()));
    }
    assertThat(starts).hasSize(t.recordings().size());
    assertThat(offsets).hasSize(t.recordings().size());
  }

  @Test
  void dropsAReceiverThatHeardOnlyNoise() {
    SynchronizedRecordings sim =
        SynchronizedRecordings.builder().seed(4).durationSeconds(0.5).build();
    SynchronizedRecordings.Transmission t = sim.simulate(1);
    List<TimedRecording> recordings = new ArrayList<>(t.recordings());
    TimedRecording deaf = recordings.get(4);
    java.util.SplittableRandom random = new java.util.SplittableRandom(8);
    float[] noise = new float[2 * deaf.samples().length()];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) (1e-4 * random.nextGaussian());
    }
    recordings.set(
        4,
        new TimedRecording(
            deaf.station(),
            deaf.start(),
            deaf.sampleRateHz(),
            io.heimdall.dsp.ComplexSignal.wrapInterleaved(noise)));
    LocationEstimate e = TDOA.locate(TURIN, recordings);
    assertThat(e.receivers()).isEqualTo(6);
    assertThat(t.transmitter().errorMetres(e.latitude(), e.longitude())).isLessThan(300);
  }

  @Test
  void refusesWhenEveryPeakIsAmbiguous() {
    // a single tone correlates equally well a period (4.3 samples) later: no lag can be trusted
    SynchronizedRecordings sim =
        SynchronizedRecordings.builder()
            .seed(4)
            .durationSeconds(0.5)
            .tones(1)
            .audioBandHz(2_900, 2_901)
            .build();
    SynchronizedRecordings.Transmission t = sim.simulate(0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TDOA.locate(TURIN, t.recordings()))
        .isInstanceOf(io.heimdall.locate.tdoa.TdoaInputException.class)
        .hasMessageContaining("usable time difference")
        .hasMessageContaining("ambiguous peak");
  }

  /** The squared Mahalanobis distance of the truth from the estimate, in its local axes. */


  private static double quantile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }
}
