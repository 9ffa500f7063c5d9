package io.heimdall.locate;

import io.heimdall.inference.Device;
import io.heimdall.inference.FloatTensor;
import io.heimdall.inference.InferenceEngine;
import io.heimdall.inference.InferenceResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The posterior of one receiver set over one search area: the plane, the candidate grid, the path
 * loss from every receiver to every candidate, and the engines that evaluate it, one per number of
 * receivers that heard nothing, opened on first use. Thread-safe; {@link #close()} closes the engines.
 */
final class PosteriorModel implements AutoCloseable {

  private final List<Station> stations;
  private final LocalPlane plane;
  private final double[][] stationPlane;
  private final CandidateGrid grid;
  private final double[][] lossDb;
  private final Settings settings;
  /** Engine by the number of receivers that heard nothing, opened on first use. */
  private final InferenceEngine[] engines;
  private boolean closed;

  /** The model's settings, fixed per localiser. */
  record Settings(
      PathLoss loss,
      double shadowingDb,
      double level,
      double resolution,
      Device device,
      int batchSize,
      MeterRegistry meterRegistry,
      AtomicReference<Device> resolvedDevice) {}

  PosteriorModel(List<Station> stations, SearchArea area, Settings settings) {
    this.stations = List.copyOf(stations);
    this.settings = settings;
    this.engines = new InferenceEngine[stations.size()];
    this.plane = new LocalPlane(area);
    this.stationPlane = new double[stations.size()][];
    for (int j = 0; j < stations.size(); j++) {
      Station s = stations.get(j);
      stationPlane[j] = plane.toPlane(s.latitude(), s.longitude());
    }
    this.grid =
        CandidateGrid.build(
            area.radiusM(),
            stationPlane,
            settings.loss().relativeSpread(settings.shadowingDb()),
            settings.resolution());
    this.lossDb = new double[stations.size()][grid.size()];
    double sum = 0;
    for (int j = 0; j < stations.size(); j++) {
      for (int i = 0; i < grid.size(); i++) {
        double d = Math.hypot(grid.east(i) - stationPlane[j][0], grid.north(i) - stationPlane[j][1]);
        lossDb[j][i] = settings.loss().lossDb(d);
        sum += lossDb[j][i];
      }
    }
    // A common offset is absorbed by the transmit power; removing the mean keeps float32 sums exact.
    double mean = sum / ((double) stations.size() * grid.size());
    for (double[] row : lossDb) {
      for (int i = 0; i < row.length; i++) {
        row[i] -= mean;
      }
    }
  }

  LocalPlane plane() {
    return plane;
  }

  double[][] stationPlane() {
    return stationPlane;
  }

  int gridSize() {
    return grid.size();
  }

  List<Station> stations() {
    return stations;
  }

  /** Posterior summaries of a batch, in the order of the transmissions given. */
  record Summaries(double[][] mean, double[][] covariance, double[] regionMass) {}

  /**
   * Evaluates the posterior of {@code n} transmissions: those with the same number of receivers
   * that heard nothing share one engine call.
   *
   * @param levels {@code [n][r]} power (heard) or floor (not heard), dBm
   * @param heard {@code [n][r]}
   * @return the posterior mean, covariance and region mass of each
   */
  Summaries run(double[][] levels, boolean[][] heard) {
    int n = levels.length;
    int r = stations.size();
    Map<Integer, List<Integer>> bySilent = new TreeMap<>();
    for (int t = 0; t < n; t++) {
      int silent = 0;
      for (boolean h : heard[t]) {
        silent += h ? 0 : 1;
      }
      bySilent.computeIfAbsent(silent, k -> new ArrayList<>()).add(t);
    }
    Summaries out = new Summaries(new double[n][], new double[n][], new double[n]);
    for (Map.Entry<Integer, List<Integer>> group : bySilent.entrySet()) {
      int silent = group.getKey();
      List<Integer> members = group.getValue();
      int m = members.size();
      float[] level = new float[m * r];
      float[] mask = new float[m * r];
      float[] silentIndex = new float[m * silent];
      float[] silentLevel = new float[m * silent];
      for (int i = 0; i < m; i++) {
        int t = members.get(i);
        double offset = 0;
        int count = 0;
        for (int j = 0; j < r; j++) {
          if (heard[t][j]) {
            offset += levels[t][j];
            count++;
          }
        }
        offset /= count;
        int s = 0;
        for (int j = 0; j < r; j++) {
          level[i * r + j] = (float) (levels[t][j] - offset);
          mask[i * r + j] = heard[t][j] ? 1f : 0f;
          if (!heard[t][j]) {
            silentIndex[i * silent + s] = j;
            silentLevel[i * silent + s] = level[i * r + j];
            s++;
          }
        }
      }
      Map<String, FloatTensor> inputs = new HashMap<>();
      inputs.put(PosteriorGraph.LEVELS, FloatTensor.of(level, m, r));
      inputs.put(PosteriorGraph.HEARD, FloatTensor.of(mask, m, r));
      if (silent > 0) {
        inputs.put(PosteriorGraph.SILENT_INDEX, FloatTensor.of(silentIndex, m, silent));
        inputs.put(PosteriorGraph.SILENT_LEVEL, FloatTensor.of(silentLevel, m, silent));
      }
      InferenceResult result = engine(silent).run(inputs);
      FloatTensor mean = result.output(PosteriorGraph.MEAN);
      FloatTensor covariance = result.output(PosteriorGraph.COVARIANCE);
      FloatTensor mass = result.output(PosteriorGraph.REGION_MASS);
      for (int i = 0; i < m; i++) {
        int t = members.get(i);
        out.mean()[t] = new double[] {mean.get(2 * i), mean.get(2 * i + 1)};
        out.covariance()[t] =
            new double[] {
              covariance.get(3 * i), covariance.get(3 * i + 1), covariance.get(3 * i + 2)
            };
        out.regionMass()[t] = mass.get(i);
      }
    }
    return out;
  }

  private synchronized InferenceEngine engine(int silent) {
    if (closed) {
      throw new IllegalStateException("the localiser is closed");
    }
    if (engines[silent] == null) {
      byte[] model =
          PosteriorGraph.build(grid, lossDb, settings.shadowingDb(), settings.level(), silent);
      InferenceEngine.Builder builder =
          InferenceEngine.builder(model)
              .device(settings.device())
              .maxBatchSize(settings.batchSize());
      if (settings.meterRegistry() != null) {
        builder.meterRegistry(settings.meterRegistry());
      }
      engines[silent] = builder.build();
      settings.resolvedDevice().set(engines[silent].device());
    }
    return engines[silent];
  }

  /** Closes the engines (waiting for runs in flight). Idempotent. */
  @Override
  public void close() {
    List<InferenceEngine> open = new ArrayList<>();
    synchronized (this) {
      closed = true;
      for (int i = 0; i < engines.length; i++) {
        if (engines[i] != null) {
          open.add(engines[i]);
          engines[i] = null;
        }
      }
    }
    ModelCache.closeAll(open, InferenceEngine::close);
  }
}
