package io.heimdall.pipeline;

import io.heimdall.dsp.ComplexSignal;
import io.heimdall.dsp.MelSpectrogram;
import io.heimdall.dsp.ReceiverChain;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The receiver chain of each of one transmission's recordings ({@link ReceiverChain}: IQ metrics,
 * the carrier brought to 0 Hz, FM demodulation, resampling to 22.05 kHz, the mel spectrogram and
 * its quality score), one chain per sample rate. Thread-safe; the spectrograms go into the
 * caller's buffer.
 */
final class FeatureStage {

  private final double fullScaleDbm;
  private final double fmDeviationHz;
  private final double audioSeconds;
  private final MelSpectrogram mel;
  private final ConcurrentMap<Double, ReceiverChain> chains = new ConcurrentHashMap<>();

  FeatureStage(double fullScaleDbm, double fmDeviationHz, double audioSeconds) {
    this.fullScaleDbm = fullScaleDbm;
    this.fmDeviationHz = fmDeviationHz;
    this.audioSeconds = audioSeconds;
    this.mel = MelSpectrogram.builder().sampleRate(ReceiverChain.AUDIO_RATE_HZ).build();
  }

  /** Floats of one recording's spectrogram ({@code n_mels × frames}). */
  int melSize() {
    return mel.outputSize((int) Math.round(audioSeconds * ReceiverChain.AUDIO_RATE_HZ));
  }

  /**
   * Measures every recording and writes their spectrograms to {@code melOut} from index 0.
   *
   * @return one reading per recording, in order
   */
  List<StationReading> extract(List<IqRecording> recordings, FloatBuffer melOut) {
    List<StationReading> readings = new ArrayList<>(recordings.size());
    for (int i = 0; i < recordings.size(); i++) {
      IqRecording recording = recordings.get(i);
      ReceiverChain chain = chains.computeIfAbsent(recording.sampleRateHz(), this::chainFor);
      ReceiverChain.Features features =
          chain.process(ComplexSignal.wrapInterleaved(recording.iq()), melOut, i * melSize());
      readings.add(
          new StationReading(
              recording.station(),
              recording.centerFrequencyMhz(),
              features.metrics().powerDbm(fullScaleDbm),
              features.metrics().snrDb(),
              features.metrics().frequencyOffsetHz(),
              features.quality(),
              features.metrics().detected()));
    }
    return readings;
  }

  private ReceiverChain chainFor(double sampleRateHz) {
    return ReceiverChain.builder()
        .sampleRateHz(sampleRateHz)
        .fmDeviationHz(fmDeviationHz)
        .audioSeconds(audioSeconds)
        .mel(mel)
        .build();
  }
}
