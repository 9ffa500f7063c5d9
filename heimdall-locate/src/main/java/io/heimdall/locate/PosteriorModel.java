package io.heimdall.locate;

import io.heimdall.inference.Device;
import io.heimdall.inference.FloatTensor;
import io.heimdall.inference.InferenceEngine;
import io.heimdall.inference.InferenceResult;
import java.util.List;
import java.util.Map;

/**
 * The posterior of one receiver set over one search area: the plane, the candidate grid, the path
 * loss from every receiver to every candidate, and the two engines (all heard, and some not heard)
 * that evaluate it, opened on first use. Thread-safe; {@link #close()} closes the engines.
 */
final class PosteriorModel implements AutoCloseable {

  private final List<Station> stations;
  private final LocalPlane plane;
  private final double[][] stationPlane;
  private final CandidateGrid grid;
  private final double[][] lossDb;
  private final Settings settings;
  private InferenceEngine allHeard;
  private InferenceEngine someSilent;
  private boolean closed;

  /** The model's settings, fixed per localiser. */
  record Settings(
      PathLoss loss,
      double shadowingDb,
      double level,
      double resolution,
      Device device,
      int batchSize) {}

  PosteriorModel(List<Station> stations, SearchArea area, Settings settings) {
    this.stations = List.copyOf(stations);
    this.settings = settings;
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

  /**
   * Evaluates the posterior of {@code n} transmissions.
   *
   * @param levels {@code [n][r]} power (heard) or floor (not heard), dBm
   * @param heard {@code [n][r]}
   * @return the engine's outputs ({@link PosteriorGraph#MEAN}, {@link PosteriorGraph#COVARIANCE},
   *     {@link PosteriorGraph#REGION_MASS})
   */
  InferenceResult run(double[][] levels, boolean[][] heard) {
    int n = levels.length;
    int r = stations.size();
    float[] level = new float[n * r];
    float[] mask = new float[n * r];
    boolean censored = false;
    for (int t = 0; t < n; t++) {
      double offset = 0;
      int count = 0;
      for (int j = 0; j < r; j++) {
        if (heard[t][j]) {
          offset += levels[t][j];
          count++;
        }
      }
      offset /= count;
      for (int j = 0; j < r; j++) {
        level[t * r + j] = (float) (levels[t][j] - offset);
        mask[t * r + j] = heard[t][j] ? 1f : 0f;
        censored |= !heard[t][j];
      }
    }
    return engine(censored)
        .run(
            Map.of(
                PosteriorGraph.LEVELS, FloatTensor.of(level, n, r),
                PosteriorGraph.HEARD, FloatTensor.of(mask, n, r)));
  }

  private synchronized InferenceEngine engine(boolean censored) {
    if (closed) {
      throw new IllegalStateException("the localiser is closed");
    }
    if (censored && someSilent == null) {
      someSilent = open(true);
    } else if (!censored && allHeard == null) {
      allHeard = open(false);
    }
    return censored ? someSilent : allHeard;
  }

  private InferenceEngine open(boolean censored) {
    byte[] model =
        PosteriorGraph.build(
            grid, lossDb, settings.shadowingDb(), settings.level(), censored);
    return InferenceEngine.builder(model)
        .device(settings.device())
        .maxBatchSize(settings.batchSize())
        .build();
  }

  /** Closes the engines (waiting for runs in flight). Idempotent. */
  @Override
  public void close() {
    InferenceEngine a;
    InferenceEngine b;
    synchronized (this) {
      closed = true;
      a = allHeard;
      b = someSilent;
      allHeard = null;
      someSilent = null;
    }
    try {
      if (a != null) {
        a.close();
      }
    } finally {
      if (b != null) {
        b.close();
      }
    }
  }
}
