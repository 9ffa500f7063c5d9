package io.heimdall.locate;

import io.heimdall.inference.Device;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Locates transmitters from the power several receivers measured, with an uncertainty that means
 * what it says.
 *
 * <p>Model: log-distance path loss (free space up to 1 km, then exponent {@code n}), log-normal
 * shadowing σ, an unknown transmit power, and a uniform prior over the {@link SearchArea}. For
 * {@link Method#BAYES} the posterior is evaluated on a grid of candidate positions in the area's
 * local east/north plane, finest near the receivers, by an ONNX graph that Java builds per receiver
 * set and area and runs on the inference engine in batches (on the GPU where there is one). A
 * receiver that heard nothing still counts: its noise floor bounds the power from above. The
 * estimate is the posterior mean, with the posterior covariance, the covariance ellipse at the
 * configured level, the posterior mass inside that ellipse, and the Cramér–Rao bound at the
 * estimate. {@link Method#CENTROID} is the received-amplitude weighted centroid, kept as a baseline.
 *
 * <p>Graphs and engines are built on first use of a receiver set (stations are matched by {@link
 * Station#id()}, in any order) and area, and kept for reuse up to {@link Builder#maxCachedModels};
 * the localiser owns them. Thread-safe. {@link #close()} releases them; use after close throws
 * {@link IllegalStateException}.
 */
public final class Localizer implements AutoCloseable {

  private final Method method;
  private final PathLoss loss;
  private final double shadowingDb;
  private final double level;
  private final ModelCache models;
  private final Device configuredDevice;
  private final AtomicReference<Device> resolvedDevice = new AtomicReference<>();

  private Localizer(Builder b) {
    this.method = b.method;
    this.loss = new PathLoss(b.pathLossExponent);
    this.shadowingDb = b.shadowingDb;
    this.level = b.level;
    PosteriorModel.Settings settings =
        new PosteriorModel.Settings(
            loss, b.shadowingDb, b.level, b.resolution, b.device, b.batchSize, b.meterRegistry, resolvedDevice);
    this.configuredDevice = b.device;
    this.models =
        new ModelCache(
            b.maxCachedModels, key -> new PosteriorModel(key.stations(), key.area(), settings));
  }

  /**
   * Starts a builder with the defaults stated on each setter.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The method this localiser uses.
   *
   * @return the method
   */
  public Method method() {
    return method;
  }

  /**
   * The device the posterior graphs run on: the one the first engine opened on (with {@link
   * Device#AUTO}, CUDA where it loads, else the CPU); before any engine was opened, the configured
   * device.
   *
   * @return the device
   */
  public Device device() {
    Device resolved = resolvedDevice.get();
    return resolved != null ? resolved : configuredDevice;
  }

  /**
   * Locates one transmission.
   *
   * @param area where the transmitter is, as far as is known
   * @param readings one per receiver, at least three, each station once
   * @return the estimate
   * @throws LocateInputException if there are fewer than three readings, a station appears twice,
   *     or no receiver heard the transmission
   * @throws IllegalStateException after {@link #close()}
   */
  public LocationEstimate locate(SearchArea area, List<Reading> readings) {
    return locateAll(area, List.of(readings)).get(0);
  }

  /**
   * Locates many transmissions, in batches: transmissions heard by the same receiver set share one
   * engine call per batch.
   *
   * @param area where the transmitters are, as far as is known
   * @param transmissions each one's readings (see {@link #locate})
   * @return the estimates, in the order of {@code transmissions}
   * @throws LocateInputException if any transmission's readings are bad (nothing is located then)
   * @throws IllegalStateException after {@link #close()}
   */
  public List<LocationEstimate> locateAll(SearchArea area, List<List<Reading>> transmissions) {
    Checks.present("area", area);
    Checks.present("transmissions", transmissions);
    List<List<Reading>> sorted = new ArrayList<>(transmissions.size());
    for (int t = 0; t < transmissions.size(); t++) {
      sorted.add(validated(t, transmissions.get(t)));
    }
    LocationEstimate[] out = new LocationEstimate[sorted.size()];
    if (method == Method.CENTROID) {
      LocalPlane plane = new LocalPlane(area);
      for (int t = 0; t < sorted.size(); t++) {
        out[t] = centroid(plane, sorted.get(t));
      }
      return List.of(out);
    }
    Map<ModelCache.Key, List<Integer>> groups = new LinkedHashMap<>();
    for (int t = 0; t < sorted.size(); t++) {
      List<Station> stations = sorted.get(t).stream().map(Reading::station).toList();
      groups.computeIfAbsent(new ModelCache.Key(stations, area), k -> new ArrayList<>()).add(t);
    }
    for (Map.Entry<ModelCache.Key, List<Integer>> group : groups.entrySet()) {
      PosteriorModel model = models.acquire(group.getKey());
      try {
        locateGroup(model, sorted, group.getValue(), out);
      } finally {
        models.release(model);
      }
    }
    return List.of(out);
  }

  private void locateGroup(
      PosteriorModel model,
      List<List<Reading>> sorted,
      List<Integer> members,
      LocationEstimate[] out) {
    int r = model.stations().size();
    double[][] levels = new double[members.size()][r];
    boolean[][] heard = new boolean[members.size()][r];
    for (int i = 0; i < members.size(); i++) {
      List<Reading> readings = sorted.get(members.get(i));
      for (int j = 0; j < r; j++) {
        levels[i][j] = readings.get(j).levelDbm();
        heard[i][j] = readings.get(j).heard();
      }
    }
    PosteriorModel.Summaries posterior = model.run(levels, heard);
    for (int i = 0; i < members.size(); i++) {
      double[] c = posterior.covariance()[i];
      out[members.get(i)] =
          estimate(
              model.plane(),
              model.stationPlane(),
              levels[i],
              heard[i],
              posterior.mean()[i][0],
              posterior.mean()[i][1],
              planeCovariance(c[0], c[1], c[2]),
              Math.max(0, Math.min(1, posterior.regionMass()[i])),
              Method.BAYES);
    }
  }

  /** The received-amplitude weighted centroid of the receivers that heard. */
  private LocationEstimate centroid(LocalPlane plane, List<Reading> readings) {
    int r = readings.size();
    double[][] stations = new double[r][];
    double[] levels = new double[r];
    boolean[] heard = new boolean[r];
    double loudest = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < r; j++) {
      Reading reading = readings.get(j);
      stations[j] = plane.toPlane(reading.station().latitude(), reading.station().longitude());
      levels[j] = reading.levelDbm();
      heard[j] = reading.heard();
      if (heard[j]) {
        loudest = Math.max(loudest, levels[j]);
      }
    }
    double[] weight = new double[r];
    double total = 0;
    for (int j = 0; j < r; j++) {
      weight[j] = heard[j] ? Math.pow(10, (levels[j] - loudest) / 20) : 0;
      total += weight[j];
    }
    double east = 0;
    double north = 0;
    for (int j = 0; j < r; j++) {
      weight[j] /= total;
      east += weight[j] * stations[j][0];
      north += weight[j] * stations[j][1];
    }
    double ee = CENTROID_FLOOR_M2;
    double en = 0;
    double nn = CENTROID_FLOOR_M2;
    for (int j = 0; j < r; j++) {
      double de = stations[j][0] - east;
      double dn = stations[j][1] - north;
      ee += weight[j] * de * de;
      en += weight[j] * de * dn;
      nn += weight[j] * dn * dn;
    }
    return estimate(
        plane,
        stations,
        levels,
        heard,
        east,
        north,
        new Covariance(ee, en, nn),
        Double.NaN,
        Method.CENTROID);
  }

  /**
   * Variance added to each axis of the centroid's spread, m² (a 1 km floor, as the project's
   * centroid model has): the spread is a description of the receivers, not a calibrated error.
   */
  private static final double CENTROID_FLOOR_M2 = 1_000.0 * 1_000.0;

  private LocationEstimate estimate(
      LocalPlane plane,
      double[][] stations,
      double[] levels,
      boolean[] heard,
      double east,
      double north,
      Covariance planeCovariance,
      double confidence,
      Method how) {
    double[] geographic = plane.toGeographic(east, north);
    Covariance local = planeCovariance.rotated(-plane.convergenceDeg(east, north));
    double bound = CramerRao.boundM(east, north, stations, levels, heard, loss, shadowingDb);
    return new LocationEstimate(
        geographic[0],
        geographic[1],
        local,
        Region.of(local, level),
        confidence,
        bound,
        stations.length,
        how);
  }

  /** Float32 sums can leave {@code en²} a hair above {@code ee·nn}; clamp onto the boundary. */
  private static Covariance planeCovariance(double ee, double en, double nn) {
    ee = Math.max(0, ee);
    nn = Math.max(0, nn);
    double limit = Math.sqrt(ee * nn);
    return new Covariance(ee, Math.max(-limit, Math.min(limit, en)), nn);
  }

  private static List<Reading> validated(int index, List<Reading> readings) {
    String where = "transmission " + index + ": ";
    if (readings == null) {
      throw new LocateInputException(where + "readings must be given, got null");
    }
    if (readings.size() < 3) {
      throw new LocateInputException(
          where + "readings from " + readings.size() + " receivers; expected at least 3");
    }
    Set<String> ids = new HashSet<>();
    boolean anyHeard = false;
    for (Reading reading : readings) {
      Checks.present(where + "reading", reading);
      if (!ids.add(reading.station().id())) {
        throw new LocateInputException(
            where + "station id '" + reading.station().id() + "' appears twice; expected once");
      }
      anyHeard |= reading.heard();
    }
    if (!anyHeard) {
      throw new LocateInputException(
          where + "no receiver heard it; expected at least one heard reading");
    }
    List<Reading> sorted = new ArrayList<>(readings);
    sorted.sort(Comparator.comparing(reading -> reading.station().id()));
    return sorted;
  }

  /** Closes every engine the localiser opened, after runs in flight. Idempotent. */
  @Override
  public void close() {
    models.close();
  }

  @Override
  public String toString() {
    return "Localizer[method="
        + method.id()
        + ", n="
        + loss.exponent()
        + ", sigma="
        + shadowingDb
        + " dB, level="
        + level
        + ", models="
        + models.size()
        + "]";
  }

  /** Settings of a {@link Localizer}; {@link #build()} checks them together. */
  public static final class Builder {
    private Method method = Method.BAYES;
    private double pathLossExponent = 3.2;
    private double shadowingDb = 4;
    private double level = 0.9;
    private Device device = Device.AUTO;
    private int batchSize = 64;
    private MeterRegistry meterRegistry;
    private int maxCachedModels = 8;
    private double resolution = CandidateGrid.DEFAULT_RESOLUTION;

    private Builder() {}

    /**
     * The estimator; default {@link Method#BAYES}. Time differences ({@link Method#TDOA}, {@link
     * Method#HYBRID}) need recordings, not readings: they have their own entry point, {@link
     * io.heimdall.locate.tdoa.TdoaLocalizer}.
     *
     * @param method {@link Method#BAYES} or {@link Method#CENTROID}
     * @return this builder
     * @throws LocateInputException if null, or a method this localiser does not run
     */
    public Builder method(Method method) {
      Checks.present("method", method);
      if (method != Method.BAYES && method != Method.CENTROID) {
        throw new LocateInputException(
            "method must be bayes or centroid for received power, got "
                + method.id()
                + "; time differences are located by io.heimdall.locate.tdoa.TdoaLocalizer");
      }
      this.method = method;
      return this;
    }

    /**
     * The path-loss exponent beyond 1 km; default 3.2 (the 2 m band over mixed terrain).
     *
     * @param exponent in [1.5, 6]
     * @return this builder
     * @throws LocateInputException if outside [1.5, 6]
     */
    public Builder pathLossExponent(double exponent) {
      this.pathLossExponent = Checks.between("path_loss_exponent", exponent, 1.5, 6);
      return this;
    }

    /**
     * The log-normal shadowing standard deviation; default 4 dB.
     *
     * @param sigmaDb in [0.5, 20] dB
     * @return this builder
     * @throws LocateInputException if outside [0.5, 20]
     */
    public Builder shadowingDb(double sigmaDb) {
      this.shadowingDb = Checks.between("shadowing_db", sigmaDb, 0.5, 20);
      return this;
    }

    /**
     * The probability level of the reported region; default 0.9.
     *
     * @param level in (0, 1)
     * @return this builder
     * @throws LocateInputException if not in (0, 1)
     */
    public Builder level(double level) {
      this.level = Checks.strictlyBetween("level", level, 0, 1);
      return this;
    }

    /**
     * Where the inference engines publish their run timers and provider fallbacks ({@value
     * io.heimdall.inference.InferenceEngine#METRIC_RUN}); default none.
     *
     * @param registry the registry
     * @return this builder
     * @throws LocateInputException if null
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Checks.present("meterRegistry", registry);
      return this;
    }

    /**
     * Where the posterior graphs run; default {@link Device#AUTO} (CUDA where present, else the
     * CPU). Ignored by {@link Method#CENTROID}.
     *
     * @param device the device policy
     * @return this builder
     * @throws LocateInputException if null
     */
    public Builder device(Device device) {
      this.device = Checks.present("device", device);
      return this;
    }

    /**
     * Largest number of transmissions given to the engine in one run; default 64.
     *
     * @param batchSize at least 1
     * @return this builder
     * @throws LocateInputException if below 1
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new LocateInputException("batch_size must be >= 1, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * How many receiver-set-and-area models (graph and engines) are kept; default 8. The least
     * recently used is closed when another is needed.
     *
     * @param count at least 1
     * @return this builder
     * @throws LocateInputException if below 1
     */
    public Builder maxCachedModels(int count) {
      if (count < 1) {
        throw new LocateInputException("max_cached_models must be >= 1, got " + count);
      }
      this.maxCachedModels = count;
      return this;
    }

    /** Cell side over local posterior spread; tests refine it. */
    Builder resolution(double resolution) {
      this.resolution = Checks.between("resolution", resolution, 0.01, 4);
      return this;
    }

    /**
     * Creates the localiser (no engine is opened until a receiver set is first seen).
     *
     * @return the localiser, the caller's to close
     */
    public Localizer build() {
      return new Localizer(this);
    }
  }
}
