package io.heimdall.pipeline.simulation;

import io.heimdall.pipeline.IqRecording;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransmissionSimulatorTest {

  /** Short recordings keep the suite fast; physics does not depend on the length. */
  private static final TransmissionSimulator SIM =
      TransmissionSimulator.builder().seed(42).durationSeconds(2).build();

  @Test
  void sameSeedAndIndexGiveTheSameTransmission() {
    SimulatedTransmission a = SIM.simulate(7);
    SimulatedTransmission b =
        TransmissionSimulator.builder().seed(42).durationSeconds(2).build().simulate(7);
    assertThat(b.transmitter()).isEqualTo(a.transmitter());
    for (int r = 0; r < a.recordings().size(); r++) {
      assertThat(b.recordings().get(r).iq()).containsExactly(a.recordings().get(r).iq());
    }
    assertThat(SIM.simulate(8).transmitter().latitude()).isNotEqualTo(a.transmitter().latitude());
    assertThat(SIM.transmitter(7)).as("cheap description, same draws").isEqualTo(a.transmitter());
  }

  @Test
  void transmittersAreAroundTurinOnTwoMetreChannels() {
    Set<Double> frequencies = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Transmitter t = SIM.transmitter(i);
      assertThat(Geodesy.distanceMetres(45.0703, 7.6869, t.latitude(), t.longitude()))
          .isLessThanOrEqualTo(40_000.0 + 1e-6);
      assertThat(t.frequencyMhz()).isBetween(144.0, 146.0);
      double channel = (t.frequencyMhz() - 144.0) / 0.0125;
      assertThat(channel).isCloseTo(Math.rint(channel), within(1e-6));
      assertThat(t.txPowerDbm()).isBetween(27.0, 40.0);
      frequencies.add(t.frequencyMhz());
    }
    assertThat(frequencies).hasSizeGreaterThan(100);
  }

  @Test
  void everyReceiverRecordsAtTwelvePointFiveKilohertz() {
    SimulatedTransmission t = SIM.simulate(0);
    assertThat(t.recordings()).hasSize(7);
    for (int r = 0; r < 7; r++) {
      IqRecording rec = t.recordings().get(r);
      assertThat(rec.station()).isEqualTo(ReferenceStations.ALL.get(r));
      assertThat(rec.sampleRateHz()).isEqualTo(12_500);
      assertThat(rec.samples()).isEqualTo(25_000);
      assertThat(rec.centerFrequencyMhz()).isEqualTo(t.transmitter().frequencyMhz());
      assertThat(t.truths().get(r).distanceMetres())
          .isCloseTo(
              Geodesy.distanceMetres(
                  t.transmitter().latitude(),
                  t.transmitter().longitude(),
                  rec.station().latitude(),
                  rec.station().longitude()),
              within(1e-6));
    }
  }

  @Test
  void pathLossIsFreeSpaceToOneKilometreThenLogDistance() {
    double c = 299_792_458.0;
    double f = 145e6;
    double freeSpace1km = 20 * Math.log10(4 * Math.PI * 1_000 * f / c);
    assertThat(SIM.pathLossDb(1_000, 145)).isCloseTo(freeSpace1km, within(0.01));
    assertThat(SIM.pathLossDb(500, 145))
        .isCloseTo(20 * Math.log10(4 * Math.PI * 500 * f / c), within(0.01));
    assertThat(SIM.pathLossDb(10_000, 145)).isCloseTo(freeSpace1km + 32, within(0.01));
    assertThat(SIM.pathLossDb(100_000, 145)).isCloseTo(freeSpace1km + 64, within(0.01));
  }

  @Test
  void recordedPowerIsSignalPlusNoiseAtTheCalibration() {
    SimulatedTransmission t = SIM.simulate(3);
    for (int r = 0; r < 7; r++) {
      ReceptionTruth truth = t.truths().get(r);
      double expectedMw =
          Math.pow(10, truth.receivedPowerDbm() / 10) + Math.pow(10, truth.noisePowerDbm() / 10);
      double measuredDbm =
          SIM.fullScaleDbm() + 10 * Math.log10(meanPower(t.recordings().get(r).iq()));
      assertThat(measuredDbm)
          .as("receiver %d", r)
          .isCloseTo(10 * Math.log10(expectedMw), within(0.1));
    }
  }

  @Test
  void noiseAloneHasTheThermalFloorOfTheBandwidth() {
    TransmissionSimulator quiet =
        TransmissionSimulator.builder().durationSeconds(2).txPowerDbm(-250, -250).build();
    double kTbNf = -174 + 10 * Math.log10(12_500) + 6;
    assertThat(quiet.noisePowerDbm()).isCloseTo(kTbNf, within(1e-9));
    float[] iq = quiet.simulate(1).recordings().get(0).iq();
    double measuredDbm = quiet.fullScaleDbm() + 10 * Math.log10(meanPower(iq));
    assertThat(measuredDbm).isCloseTo(kTbNf, within(0.1));
  }

  @Test
  void carrierSitsAtTheTrueFrequencyOffset() {
    // mean instantaneous frequency of the strongest recording = its offset (the audio has no DC)
    SimulatedTransmission t = SIM.simulate(11);
    int strongest = 0;
    for (int r = 1; r < 7; r++) {
      if (t.truths().get(r).snrDb() > t.truths().get(strongest).snrDb()) {
        strongest = r;
      }
    }
    float[] iq = t.recordings().get(strongest).iq();
    double re = 0;
    double im = 0;
    for (int n = 1; n < iq.length / 2; n++) {
      re += (double) iq[2 * n] * iq[2 * n - 2] + (double) iq[2 * n + 1] * iq[2 * n - 1];
      im += (double) iq[2 * n + 1] * iq[2 * n - 2] - (double) iq[2 * n] * iq[2 * n - 1];
    }
    double measuredHz = Math.atan2(im, re) * 12_500 / (2 * Math.PI);
    assertThat(t.truths().get(strongest).snrDb()).isGreaterThan(20);
    assertThat(measuredHz).isCloseTo(t.truths().get(strongest).frequencyOffsetHz(), within(15.0));
    assertThat(Math.abs(t.truths().get(strongest).frequencyOffsetHz()))
        .isLessThan(300 + 1.5 * 146 + 1e-9);
  }

  @Test
  void nearerReceiversHearMoreOnAverage() {
    // shadowing is random, but over many transmissions power must fall with distance
    double nearSum = 0;
    double farSum = 0;
    int near = 0;
    int far = 0;
    for (int i = 0; i < 100; i++) {
      for (ReceptionTruth truth : SIM.simulate(i).truths()) {
        if (truth.distanceMetres() < 20_000) {
          nearSum += truth.receivedPowerDbm();
          near++;
        } else if (truth.distanceMetres() > 100_000) {
          farSum += truth.receivedPowerDbm();
          far++;
        }
      }
    }
    assertThat(nearSum / near).isGreaterThan(farSum / far + 20);
  }

  @Test
  void badSettingsAreNamed() {
    assertThatThrownBy(() -> TransmissionSimulator.builder().sampleRateHz(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sample rate")
        .hasMessageContaining("0.0");
    assertThatThrownBy(() -> TransmissionSimulator.builder().radiusMetres(-1).build())
        .hasMessageContaining("radius");
    assertThatThrownBy(() -> TransmissionSimulator.builder().fmDeviationHz(5_000).build())
        .hasMessageContaining("FM deviation");
    assertThatThrownBy(() -> TransmissionSimulator.builder().txPowerDbm(40, 30).build())
        .hasMessageContaining("tx power");
    assertThatThrownBy(() -> SIM.simulate(-1)).hasMessageContaining("-1");
    assertThatThrownBy(
            () ->
                TransmissionSimulator.builder()
                    .receivers(java.util.List.of(io.heimdall.locate.Station.of("x", "x", 95, 0)))
                    .build())
        .hasMessageContaining("latitude");
  }

  private static double meanPower(float[] iq) {
    double sum = 0;
    for (float v : iq) {
      sum += (double) v * v;
    }
    return sum / (iq.length / 2);
  }
}
