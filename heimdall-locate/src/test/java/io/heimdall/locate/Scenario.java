package io.heimdall.locate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicData;

/**
 * Simulated transmissions drawn from exactly the model the localiser assumes: a transmitter placed
 * uniformly in the search area (geodesic distance and azimuth from the centre), a transmit power
 * uniform in a range, log-distance path loss at 145 MHz with log-normal shadowing, and a receiver
 * that hears only above its noise floor. Seeded: the same seed gives the same transmissions.
 */
final class Scenario {

  /** Free-space loss at 1 km and 145 MHz minus the 60 dB of 20·log10(1000 m), dB. */
  static final double FREQUENCY_TERM_DB = 20 * Math.log10(145e6) - 147.55;

  /** The seven reference receivers around Turin, with stable ids. */
  static final List<Station> TURIN =
      List.of(
          Station.of("aquila-di-giaveno", "Aquila di Giaveno", 45.02, 7.29),
          Station.of("montanaro", "Montanaro", 45.234, 7.857),
          Station.of("torino", "Torino", 45.044, 7.672),
          Station.of("coazze", "Coazze", 45.03, 7.27),
          Station.of("passo-del-giovi", "Passo del Giovi", 44.561, 8.956),
          Station.of("genova", "Genova", 44.395, 8.956),
          Station.of("milano-baggio", "Milano Baggio", 45.478, 9.123));

  /** The demo's area: 40 km around Turin. */
  static final SearchArea TURIN_AREA = new SearchArea(45.0703, 7.6869, 40_000);

  /** A transmission: where it was sent from, and what each receiver read. */
  record Transmission(double latitude, double longitude, double txPowerDbm, List<Reading> readings) {}

  final List<Station> stations;
  final SearchArea area;
  final double exponent;
  final double sigmaDb;
  final double[] floorsDbm;
  final double minTxDbm;
  final double maxTxDbm;

  Scenario(
      List<Station> stations,
      SearchArea area,
      double exponent,
      double sigmaDb,
      double[] floorsDbm,
      double minTxDbm,
      double maxTxDbm) {
    this.stations = stations;
    this.area = area;
    this.exponent = exponent;
    this.sigmaDb = sigmaDb;
    this.floorsDbm = floorsDbm;
    this.minTxDbm = minTxDbm;
    this.maxTxDbm = maxTxDbm;
  }

  /** The demo's: Turin receivers and area, n = 3.2, σ = 4 dB, kTB + 6 dB over 12.5 kHz. */
  static Scenario turin() {
    double[] floors = new double[TURIN.size()];
    java.util.Arrays.fill(floors, -174 + 10 * Math.log10(12_500) + 6);
    return new Scenario(TURIN, TURIN_AREA, 3.2, 4, floors, 27, 40);
  }

  static double lossDb(double distanceM, double exponent) {
    double d = Math.max(100, distanceM);
    double near = 20 * Math.log10(Math.min(d, 1000)) + FREQUENCY_TERM_DB;
    return d <= 1000 ? near : near + 10 * exponent * Math.log10(d / 1000);
  }

  /**
   * Transmissions that at least {@code minHeard} receivers heard (others are drawn again), at least
   * {@code minDistanceM} from every receiver.
   */
  List<Transmission> draw(long seed, int count, int minHeard, double minDistanceM) {
    return draw(seed, count, minHeard, minDistanceM, null, 0, 0);
  }

  /** Transmissions between {@code fromM} and {@code toM} of station {@code near}. */
  List<Transmission> drawNear(long seed, int count, Station near, double fromM, double toM) {
    return draw(seed, count, 3, 0, near, fromM, toM);
  }

  private List<Transmission> draw(
      long seed,
      int count,
      int minHeard,
      double minDistanceM,
      Station near,
      double fromM,
      double toM) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Transmission> out = new ArrayList<>();
    while (out.size() < count) {
      GeodesicData where =
          near == null
              ? Geodesic.WGS84.Direct(
                  area.latitude(),
                  area.longitude(),
                  360 * random.nextDouble(),
                  area.radiusM() * Math.sqrt(random.nextDouble()))
              : Geodesic.WGS84.Direct(
                  near.latitude(),
                  near.longitude(),
                  360 * random.nextDouble(),
                  fromM + (toM - fromM) * random.nextDouble());
      double tx = minTxDbm + (maxTxDbm - minTxDbm) * random.nextDouble();
      List<Reading> readings = new ArrayList<>();
      int heard = 0;
      boolean tooClose = false;
      for (int j = 0; j < stations.size(); j++) {
        Station s = stations.get(j);
        double d =
            Geodesic.WGS84.Inverse(where.lat2, where.lon2, s.latitude(), s.longitude()).s12;
        tooClose |= d < minDistanceM;
        double power = tx - lossDb(d, exponent) + sigmaDb * gaussian(random);
        if (power > floorsDbm[j]) {
          readings.add(Reading.heard(s, power));
          heard++;
        } else {
          readings.add(Reading.silent(s, floorsDbm[j]));
        }
      }
      if (heard >= minHeard && !tooClose) {
        out.add(new Transmission(where.lat2, where.lon2, tx, readings));
      }
    }
    return out;
  }

  static List<List<Reading>> readings(List<Transmission> transmissions) {
    return transmissions.stream().map(Transmission::readings).toList();
  }

  /** Metres between an estimate and the truth. */
  static double errorM(LocationEstimate estimate, Transmission truth) {
    return Geodesic.WGS84.Inverse(
            estimate.latitude(), estimate.longitude(), truth.latitude(), truth.longitude())
        .s12;
  }

  /** Whether the truth lies inside the estimate's region (Mahalanobis test, local east/north). */
  static boolean covers(LocationEstimate estimate, Transmission truth) {
    return estimate.covers(truth.latitude(), truth.longitude());
  }

  private static double gaussian(SplittableRandom random) {
    // Box–Muller: SplittableRandom has no nextGaussian on Java 17.
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
