package io.heimdall.pipeline;

import io.heimdall.dsp.ComplexSignal;
import io.heimdall.dsp.SignalQuality;
import io.heimdall.dsp.FeatureExtractor;
import io.heimdall.dsp.FmDemodulator;
import io.heimdall.dsp.IqMetrics;
import io.heimdall.dsp.MelSpectrogram;
import io.heimdall.dsp.Resampler;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The receiver chain and features of one transmission's recordings: IQ metrics of each recording;
 * its carrier brought to 0 Hz, FM-demodulated and resampled to 22.05 kHz, cut or zero-padded to the
 * model's audio length; then the mel spectrograms of all of them in one batch, and a quality score
 * per recording from its spectrogram. Thread-safe; the mel output goes into the caller's buffer.
 */
final class FeatureStage implements AutoCloseable {

  static final double AUDIO_RATE_HZ = 22_050;

  private final double fullScaleDbm;
  private final double fmDeviationHz;
  private final int audioSamples;
  private final MelSpectrogram mel;
  private final FeatureExtractor extractor;
  private final SignalQuality quality;
  private final ConcurrentMap<Double, ReceiverChain> chains = new ConcurrentHashMap<>();

  private record ReceiverChain(FmDemodulator demodulator, Resampler resampler) {}

  FeatureStage(double fullScaleDbm, double fmDeviationHz, double audioSeconds) {
    this.fullScaleDbm = fullScaleDbm;
    this.fmDeviationHz = fmDeviationHz;
    this.audioSamples = (int) Math.round(audioSeconds * AUDIO_RATE_HZ);
    this.mel = MelSpectrogram.builder().sampleRate(AUDIO_RATE_HZ).build();
    // one lane per pipeline worker: the workers already keep every core busy
    this.extractor = FeatureExtractor.builder(mel).parallelism(1).build();
    this.quality = new SignalQuality(mel.filterbank());
  }

  /** Floats of one recording's spectrogram ({@code n_mels × frames}). */
  int melSize() {
    return mel.outputSize(audioSamples);
  }

  /** Shape of the spectrograms of {@code recordings} recordings. */
  long[] melShape(int recordings) {
    return extractor.outputShape(recordings, audioSamples);
  }

  /**
   * Measures every recording and writes their spectrograms to {@code melOut} from index 0.
   *
   * @return one reading per recording, in order
   */
  List<StationReading> extract(List<IqRecording> recordings, FloatBuffer melOut) {
    List<float[]> audio = new ArrayList<>(recordings.size());
    List<IqMetrics> metrics = new ArrayList<>(recordings.size());
    for (IqRecording recording : recordings) {
      double rate = recording.sampleRateHz();
      ComplexSignal iq = ComplexSignal.wrapInterleaved(recording.iq());
      IqMetrics m = IqMetrics.compute(iq, rate);
      ReceiverChain chain = chains.computeIfAbsent(rate, this::chainFor);
      float[] demodulated =
          chain.demodulator().demodulate(iq.shifted(-m.frequencyOffsetHz(), rate));
      audio.add(fitted(chain.resampler().process(demodulated)));
      metrics.add(m);
    }
    extractor.extractInto(audio, melOut);
    int frames = (int) melShape(1)[2];
    List<StationReading> readings = new ArrayList<>(recordings.size());
    for (int i = 0; i < recordings.size(); i++) {
      IqRecording recording = recordings.get(i);
      IqMetrics m = metrics.get(i);
      readings.add(
          new StationReading(
              recording.receiver().name(),
              recording.centerFrequencyMhz(),
              m.powerDbm(fullScaleDbm),
              m.snrDb(),
              m.frequencyOffsetHz(),
              quality.score(melOut, i * melSize(), frames, recording.sampleRateHz())));
    }
    return readings;
  }

  private ReceiverChain chainFor(double sampleRateHz) {
    return new ReceiverChain(
        FmDemodulator.of(sampleRateHz, fmDeviationHz),
        Resampler.between(sampleRateHz, AUDIO_RATE_HZ));
  }

  /** The model wants a fixed length: cut longer audio, zero-pad shorter. */
  private float[] fitted(float[] audio) {
    return audio.length == audioSamples ? audio : Arrays.copyOf(audio, audioSamples);
  }

  @Override
  public void close() {
    extractor.close();
  }
}
