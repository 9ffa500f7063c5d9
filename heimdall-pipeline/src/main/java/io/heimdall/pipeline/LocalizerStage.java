package io.heimdall.pipeline;

import io.heimdall.InvalidInputException;
import io.heimdall.locate.Localizer;
import io.heimdall.locate.LocationEstimate;
import io.heimdall.locate.SearchArea;
import io.heimdall.locate.Station;
import io.micrometer.core.instrument.Timer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The features and localisation of one transmission: the receiver chain of each recording, then
 * the readings (a received power, or the noise floor of a receiver that heard nothing) through the
 * {@link Localizer} over the search area. Stations are matched by {@link Station#id()}.
 */
final class LocalizerStage {

  private final List<Station> stations;
  private final Map<String, Station> stationsById = new HashMap<>();
  private final SearchArea area;
  private final FeatureStage features;
  private final Localizer localizer;
  private final Timer dspTimer;
  private final Timer inferenceTimer;

  LocalizerStage(
      List<Station> stations,
      SearchArea area,
      FeatureStage features,
      Localizer localizer,
      Timer dspTimer,
      Timer inferenceTimer) {
    this.stations = List.copyOf(stations);
    for (Station station : stations) {
      stationsById.put(station.id(), station);
    }
    this.area = area;
    this.features = features;
    this.localizer = localizer;
    this.dspTimer = dspTimer;
    this.inferenceTimer = inferenceTimer;
  }

  List<Station> stations() {
    return stations;
  }

  Localizer localizer() {
    return localizer;
  }

  Localization localize(List<IqRecording> recordings, FloatBuffer featureBuffer) {
    check(recordings);
    long t0 = System.nanoTime();
    List<StationReading> readings = features.extract(recordings, featureBuffer);
    dspTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);

    long t1 = System.nanoTime();
    List<io.heimdall.locate.Reading> input = new ArrayList<>(readings.size());
    for (StationReading reading : readings) {
      input.add(reading.toReading());
    }
    LocationEstimate estimate = localizer.locate(area, input);
    inferenceTimer.record(System.nanoTime() - t1, TimeUnit.NANOSECONDS);
    return new Localization(estimate, readings);
  }

  /**
   * Room for the spectrograms of one transmission. On the heap: the localiser reads powers, not
   * spectrograms, so nothing here goes to ONNX Runtime and a direct buffer would only add native
   * memory to manage.
   */
  FloatBuffer allocateFeatures() {
    return FloatBuffer.allocate(Math.multiplyExact(stations.size(), features.melSize()));
  }

  /** Checks that the recordings fit the stations before any work is done. */
  private void check(List<IqRecording> recordings) {
    if (recordings == null || recordings.isEmpty()) {
      throw new InvalidInputException("a transmission needs at least one recording, got none");
    }
    if (recordings.size() > stations.size()) {
      throw new InvalidInputException(
          "got "
              + recordings.size()
              + " recordings, but the pipeline knows "
              + stations.size()
              + " stations (one recording each)");
    }
    Map<String, IqRecording> seen = new HashMap<>();
    double sampleRate = recordings.get(0).sampleRateHz();
    for (IqRecording recording : recordings) {
      String id = recording.station().id();
      if (!stationsById.containsKey(id)) {
        throw new InvalidInputException(
            "recording from unknown station '" + id + "'; the pipeline knows " + stationsById.keySet());
      }
      if (seen.put(id, recording) != null) {
        throw new InvalidInputException(
            "two recordings from station '" + id + "'; expected at most one each");
      }
      if (recording.sampleRateHz() != sampleRate) {
        throw new InvalidInputException(
            "recordings of one transmission must share a sample rate: "
                + id
                + " has "
                + recording.sampleRateHz()
                + " Hz, the first has "
                + sampleRate
                + " Hz");
      }
    }
  }
}
