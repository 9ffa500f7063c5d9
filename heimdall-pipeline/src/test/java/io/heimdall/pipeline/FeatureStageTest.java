package io.heimdall.pipeline;

import io.heimdall.dsp.ComplexSignal;
import io.heimdall.dsp.ReceiverChain;
import io.heimdall.pipeline.simulation.TransmissionSimulator;
import io.heimdall.pipeline.simulation.SimulatedTransmission;
import io.heimdall.pipeline.simulation.ReceptionTruth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureStageTest {

  private static final FeatureStage STAGE = new FeatureStage(-10, 2_500, 10);

  private static FloatBuffer buffer(int recordings) {
    return ByteBuffer.allocateDirect(recordings * 4 * STAGE.melSize())
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  @Test
  void tenSecondsBecomeTheModelsMelInput() {
    assertThat(STAGE.melSize()).isEqualTo(128 * 431);
  }

  @Test
  void powerMatchesTheSimulatedReceptionAndEveryReadingIsNamed() {
    TransmissionSimulator sim = TransmissionSimulator.builder().seed(5).build();
    SimulatedTransmission t = sim.simulate(2);
    List<StationReading> readings = STAGE.extract(t.recordings(), buffer(7));
    assertThat(readings).hasSize(7);
    for (int r = 0; r < 7; r++) {
      ReceptionTruth truth = t.truths().get(r);
      StationReading reading = readings.get(r);
      assertThat(reading.station()).isEqualTo(truth.receiver());
      assertThat(reading.frequencyMhz()).isEqualTo(t.transmitter().frequencyMhz());
      // measured power is the signal's, noise removed; a receiver that barely hears the
      // transmitter reports an upper bound, never more than signal plus noise
      double snrDb = truth.receivedPowerDbm() - truth.noisePowerDbm();
      double signalPlusNoise =
          10
              * Math.log10(
                  Math.pow(10, truth.receivedPowerDbm() / 10)
                      + Math.pow(10, truth.noisePowerDbm() / 10));
      if (snrDb > 10) {
        assertThat(reading.powerDbm())
            .as(reading.station().id())
            .isCloseTo(truth.receivedPowerDbm(), within(0.3));
      } else {
        assertThat(reading.powerDbm()).as(reading.station().id()).isLessThan(signalPlusNoise + 0.3);
      }
      assertThat(reading.signalQuality()).isBetween(0.0, 1.0);
    }
  }

  @Test
  void eachRecordingsSpectrogramLandsAtItsOwnOffsetAsTheReceiverChainComputesIt() {
    TransmissionSimulator sim = TransmissionSimulator.builder().seed(9).build();
    List<IqRecording> recordings = sim.simulate(0).recordings().subList(1, 4);
    FloatBuffer out = buffer(3);
    List<StationReading> readings = STAGE.extract(recordings, out);
    ReceiverChain chain = ReceiverChain.builder().sampleRateHz(12_500).build();
    for (int r = 0; r < recordings.size(); r++) {
      float[] expected = new float[chain.melSize()];
      ReceiverChain.Features features =
          chain.process(ComplexSignal.wrapInterleaved(recordings.get(r).iq()), expected, 0);
      assertThat(readings.get(r).signalQuality()).isEqualTo(features.quality());
      assertThat(readings.get(r).detected()).isEqualTo(features.metrics().detected());
      for (int i = 0; i < expected.length; i += 997) {
        assertThat(out.get(r * STAGE.melSize() + i)).isEqualTo(expected[i]);
      }
    }
  }

  @Test
  void qualityIsNilForNoiseAndFullForStrongSignals() {
    TransmissionSimulator silent = TransmissionSimulator.builder().txPowerDbm(-200, -200).build();
    for (StationReading reading : STAGE.extract(silent.simulate(1).recordings(), buffer(7))) {
      assertThat(reading.signalQuality())
          .as("noise only at " + reading.station().id())
          .isLessThan(0.1);
    }
    TransmissionSimulator loud =
        TransmissionSimulator.builder().txPowerDbm(70, 70).shadowingSigmaDb(0).build();
    for (StationReading reading : STAGE.extract(loud.simulate(1).recordings(), buffer(7))) {
      assertThat(reading.signalQuality())
          .as("strong at " + reading.station().id())
          .isGreaterThan(0.95);
    }
  }

  @Test
  void qualityRisesWithSignalToNoiseRatio() {
    // one receiver, the same transmission at rising power: the score must not fall (around the
    // FM threshold, below about 10 dB, clicks make it 0 rather than noise's slightly positive
    // share, so the sweep starts above it)
    double previous = -1;
    for (double txDbm = 2; txDbm <= 30; txDbm += 4) {
      TransmissionSimulator sim =
          TransmissionSimulator.builder()
              .txPowerDbm(txDbm, txDbm)
              .shadowingSigmaDb(0)
              .durationSeconds(10)
              .build();
      double q =
          STAGE
              .extract(List.of(sim.simulate(3).recordings().get(2)), buffer(1))
              .get(0)
              .signalQuality();
      assertThat(q).as("quality at %s dBm", txDbm).isGreaterThanOrEqualTo(previous - 0.02);
      previous = q;
    }
    assertThat(previous).isGreaterThan(0.9);
  }
}
