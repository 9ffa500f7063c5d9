package io.heimdall.bench;

import io.heimdall.inference.Device;
import io.heimdall.inference.Receiver;
import io.heimdall.inference.ReferenceModels;
import io.heimdall.locate.LocationEstimate;
import io.heimdall.locate.Localizer;
import io.heimdall.locate.Method;
import io.heimdall.locate.Reading;
import io.heimdall.locate.SearchArea;
import io.heimdall.locate.Station;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * heimdall-locate: posterior localisations per second, batches of 64 transmissions from the seven
 * reference receivers over 40 km around Turin, on the CPU, with the weighted centroid on the same
 * inputs as the baseline in the same run.
 *
 * <ul>
 *   <li>{@code bayes}: every receiver heard (the demo's case): the Bayesian posterior on its default
 *       grid (about 5,600 candidates, whose posterior mean is within 1 % of the posterior's spread of
 *       a much finer grid's), through the ONNX graph on the inference engine.
 *   <li>{@code bayesSomeSilent}: the same transmissions with the three distant receivers' floors
 *       raised so that some hear nothing: the graph with censored readings.
 *   <li>{@code centroid}: the received-amplitude weighted centroid on {@code bayes}'s inputs.
 * </ul>
 *
 * Scores are localisations per second (64 per invocation).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LocalizerBench {

  static final int BATCH = 64;

  /** 40 km around Turin, where the demo places its transmitters. */
  static final SearchArea AREA = new SearchArea(45.0703, 7.6869, 40_000);

  /** Receiver noise over 12.5 kHz with a 6 dB noise figure, dBm. */
  static final double NOISE_FLOOR_DBM = -174 + 10 * Math.log10(12_500) + 6;

  /** Batches of readings and the localisers that take them. */
  @State(Scope.Benchmark)
  public static class Batches {
    Localizer bayes;
    Localizer centroid;
    List<List<Reading>> allHeard;
    List<List<Reading>> someSilent;

    @Setup(Level.Trial)
    public void setUp() {
      List<Station> stations = new ArrayList<>();
      for (Receiver r : ReferenceModels.RECEIVERS) {
        String id = r.name().toLowerCase(Locale.ROOT).replace(' ', '-');
        stations.add(Station.of(id, r.name(), r.latitude(), r.longitude()));
      }
      double[] floors = new double[stations.size()];
      java.util.Arrays.fill(floors, NOISE_FLOOR_DBM);
      allHeard = simulate(stations, floors, 1);
      // Passo del Giovi, Genova and Milano Baggio (120–150 km away) deafened by 15 dB.
      floors[4] += 15;
      floors[5] += 15;
      floors[6] += 15;
      someSilent = simulate(stations, floors, 1);
      bayes = Localizer.builder().device(Device.CPU).batchSize(BATCH).build();
      centroid = Localizer.builder().method(Method.CENTROID).build();
      // Build both graphs outside the measurement.
      bayes.locateAll(AREA, allHeard);
      bayes.locateAll(AREA, someSilent);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      bayes.close();
      centroid.close();
    }
  }

  /**
   * Transmissions uniform over the area, 27–40 dBm, log-distance path loss (n = 3.2, free space to
   * 1 km at 145 MHz) with 4 dB shadowing; a receiver hears above its floor. Until every
   * transmission has at least one heard reading.
   */
  static List<List<Reading>> simulate(List<Station> stations, double[] floors, long seed) {
    Random random = new Random(seed);
    List<List<Reading>> batch = new ArrayList<>();
    while (batch.size() < BATCH) {
      GeodesicData at =
          Geodesic.WGS84.Direct(
              AREA.latitude(),
              AREA.longitude(),
              360 * random.nextDouble(),
              AREA.radiusM() * Math.sqrt(random.nextDouble()));
      double tx = 27 + 13 * random.nextDouble();
      List<Reading> readings = new ArrayList<>();
      boolean any = false;
      for (int j = 0; j < stations.size(); j++) {
        Station s = stations.get(j);
        double d =
            Math.max(100, Geodesic.WGS84.Inverse(at.lat2, at.lon2, s.latitude(), s.longitude()).s12);
        double loss =
            20 * Math.log10(Math.min(d, 1000))
                + 20 * Math.log10(145e6)
                - 147.55
                + (d > 1000 ? 32 * Math.log10(d / 1000) : 0);
        double power = tx - loss + 4 * random.nextGaussian();
        boolean heard = power > floors[j];
        any |= heard;
        readings.add(heard ? Reading.heard(s, power) : Reading.silent(s, floors[j]));
      }
      if (any) {
        batch.add(readings);
      }
    }
    return batch;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public List<LocationEstimate> bayes(Batches b) {
    return b.bayes.locateAll(AREA, b.allHeard);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public List<LocationEstimate> bayesSomeSilent(Batches b) {
    return b.bayes.locateAll(AREA, b.someSilent);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public List<LocationEstimate> centroid(Batches b) {
    return b.centroid.locateAll(AREA, b.allHeard);
  }
}
