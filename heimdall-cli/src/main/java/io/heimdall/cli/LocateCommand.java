package io.heimdall.cli;

import io.heimdall.InvalidInputException;
import io.heimdall.dsp.IqMetrics;
import io.heimdall.dsp.sigmf.GeoPoint;
import io.heimdall.dsp.sigmf.SigMf;
import io.heimdall.dsp.sigmf.SigMfMetadata;
import io.heimdall.dsp.sigmf.SigMfRecording;
import io.heimdall.locate.GeoJson;
import io.heimdall.locate.Localizer;
import io.heimdall.locate.Located;
import io.heimdall.locate.LocationEstimate;
import io.heimdall.locate.Method;
import io.heimdall.locate.tdoa.TdoaLocalizer;
import io.heimdall.locate.tdoa.TimedRecording;
import io.heimdall.locate.Reading;
import io.heimdall.locate.SearchArea;
import io.heimdall.locate.Station;
import io.heimdall.locate.SvgMap;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code heimdall locate}: where transmissions came from, from several receivers' SigMF recordings
 * of one transmission or from a CSV of power readings of many, as one JSON line per transmission.
 */
@Command(
    name = "locate",
    mixinStandardHelpOptions = true,
    description = {
      "Locates transmitters from the power several receivers measured. Either SigMF recordings of",
      "one transmission (REC.sigmf-meta..., each with core:geolocation; power from the IQ",
      "metrics plus heimdall:full_scale_dbm or --full-scale-dbm), or --powers FILE.csv with the",
      "header transmission,station,latitude,longitude,power_dbm (many transmissions, located in",
      "batches). Prints one JSON object per transmission, in input order: transmission, latitude,",
      "longitude, covariance_m2, region, bound_m, receivers, method."
    })
public final class LocateCommand implements Callable<Integer> {

  /** The header a power file must start with. */
  public static final String CSV_HEADER = "transmission,station,latitude,longitude,power_dbm";

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      paramLabel = "REC.sigmf-meta",
      arity = "0..*",
      description = "SigMF recordings of one transmission, one per receiver (at least three).")
  List<Path> recordings = new ArrayList<>();

  @Option(
      names = "--powers",
      paramLabel = "FILE.csv",
      description = "Power readings instead of recordings: " + CSV_HEADER + ".")
  Path powers;

  @Option(
      names = "--area",
      required = true,
      paramLabel = "LAT,LON,RADIUS_KM",
      description = "Search area: centre in degrees and radius in km (> 0); the prior is uniform.")
  String area;

  @Option(
      names = "--path-loss-exponent",
      paramLabel = "N",
      defaultValue = "3.2",
      description = "Path-loss exponent beyond 1 km. Default: ${DEFAULT-VALUE}.")
  double exponent;

  @Option(
      names = "--shadowing-db",
      paramLabel = "S",
      defaultValue = "4",
      description = "Log-normal shadowing, dB. Default: ${DEFAULT-VALUE}.")
  double shadowingDb;

  @Option(
      names = "--level",
      paramLabel = "P",
      defaultValue = "0.9",
      description = "Probability level of the region. Default: ${DEFAULT-VALUE}.")
  double level;

  @Option(
      names = "--method",
      paramLabel = "bayes|centroid|tdoa|hybrid|auto",
      defaultValue = "bayes",
      description =
          "bayes (received-power posterior mean), centroid (baseline), tdoa (time differences of"
              + " arrival: SigMF recordings with nanosecond core:datetime from GPS-disciplined"
              + " clocks, at least four), hybrid (power and time), or auto (tdoa where the"
              + " recordings qualify, else bayes). Default: ${DEFAULT-VALUE}.")
  String method;

  @Option(
      names = "--full-scale-dbm",
      paramLabel = "X",
      description =
          "dBm of a full-scale signal, for recordings without heimdall:full_scale_dbm (a"
              + " recording's own value wins).")
  Double fullScaleDbm;

  @Option(
      names = "--geojson",
      paramLabel = "FILE",
      description = "Also write a GeoJSON FeatureCollection: Point and region Polygon per transmission.")
  Path geojson;

  @Option(
      names = "--map",
      paramLabel = "FILE.svg",
      description = "Also write an SVG map of receivers, estimates and regions.")
  Path map;

  @Mixin DeviceOption device;

  @Mixin BatchSizeOption batchSize;

  /** Creates the command; picocli sets its options. */
  public LocateCommand() {}

  /**
   * Reads the readings, locates every transmission, prints the JSON lines and writes the files.
   * Every input is checked before any output is written.
   *
   * @return {@value CliErrors#EXIT_OK}
   * @throws IOException if reading an input or writing an output fails
   */
  @Override
  public Integer call() throws IOException {
    SearchArea searchArea = parseArea(area);
    Method chosen = Method.fromId(method.equals("auto") ? "bayes" : method);
    boolean byTime = chosen == Method.TDOA || chosen == Method.HYBRID;
    Map<String, List<Reading>> transmissions;
    List<SigMfRecording> read = new ArrayList<>();
    if (powers != null && !recordings.isEmpty()) {
      throw new InvalidInputException(
          "give either recordings or --powers, not both (got " + recordings.size() + " recordings)");
    } else if (powers != null) {
      if (byTime || method.equals("auto")) {
        throw new InvalidInputException(
            "--method " + method + " needs SigMF recordings with core:datetime, not --powers");
      }
      transmissions = readPowers(InputFiles.requireReadable(powers, "--powers"));
    } else if (!recordings.isEmpty()) {
      for (Path file : recordings) {
        read.add(SigMf.read(InputFiles.requireReadable(file, "recording")));
      }
      if (method.equals("auto") && TdoaLocalizer.qualifies(metadata(read))) {
        chosen = Method.TDOA;
        byTime = true;
      }
      if (byTime) {
        TdoaLocalizer.requireQualified(metadata(read));
      }
      transmissions = Map.of("recordings", readings(recordings, read, fullScaleDbm));
    } else {
      throw new InvalidInputException(
          "no readings: expected REC.sigmf-meta files or --powers FILE.csv");
    }
    for (Map.Entry<String, List<Reading>> t : transmissions.entrySet()) {
      if (t.getValue().size() < 3) {
        throw new InvalidInputException(
            "transmission '"
                + t.getKey()
                + "' has readings from "
                + t.getValue().size()
                + " receivers; expected at least 3");
      }
    }
    List<String> labels = new ArrayList<>(transmissions.keySet());
    List<LocationEstimate> estimates;
    try (Localizer localizer =
        Localizer.builder()
            .method(chosen == Method.CENTROID ? Method.CENTROID : Method.BAYES)
            .pathLossExponent(exponent)
            .shadowingDb(shadowingDb)
            .level(level)
            .device(device.device())
            .batchSize(batchSize.batchSize())
            .build()) {
      estimates = localizer.locateAll(searchArea, new ArrayList<>(transmissions.values()));
    }
    if (byTime) {
      estimates = List.of(locateByTime(chosen, searchArea, read, estimates.get(0)));
    }
    List<Located> located = new ArrayList<>();
    PrintWriter out = spec.commandLine().getOut();
    for (int i = 0; i < labels.size(); i++) {
      String label = labels.get(i);
      LocationEstimate e = estimates.get(i);
      out.println(toJson(label, e));
      located.add(
          new Located(
              label, e, transmissions.get(label).stream().map(Reading::station).toList()));
    }
    out.flush();
    if (geojson != null || map != null) {
      try (AtomicOutput files = AtomicOutput.open()) {
        if (geojson != null) {
          files.stage(geojson, file -> write(file, w -> GeoJson.write(located, w)));
        }
        if (map != null) {
          files.stage(map, file -> write(file, w -> SvgMap.write(located, w)));
        }
        files.commit();
      }
    }
    return CliErrors.EXIT_OK;
  }

  /** One transmission's JSON line. */
  static String toJson(String transmission, LocationEstimate e) {
    double[][] c = e.covariance().toArray();
    return JsonWriter.object()
        .field("transmission", transmission)
        .field("latitude", e.latitude())
        .field("longitude", e.longitude())
        .field("covariance_m2", List.of(List.of(c[0][0], c[0][1]), List.of(c[1][0], c[1][1])))
        .field(
            "region",
            JsonWriter.object()
                .field("level", e.region().level())
                .field("semi_major_m", e.region().semiMajorM())
                .field("semi_minor_m", e.region().semiMinorM())
                .field("orientation_deg", e.region().orientationDeg()))
        .field("bound_m", e.boundM())
        .field("receivers", e.receivers())
        .field("method", e.method().id())
        .toString();
  }

  /** {@code LAT,LON,RADIUS_KM} as a search area. */
  static SearchArea parseArea(String text) {
    String[] parts = text.split(",", -1);
    if (parts.length != 3) {
      throw new InvalidInputException(
          "--area must be LAT,LON,RADIUS_KM (three numbers), got '" + text + "'");
    }
    double[] values = new double[3];
    for (int i = 0; i < 3; i++) {
      try {
        values[i] = Double.parseDouble(parts[i].strip());
      } catch (NumberFormatException e) {
        throw new InvalidInputException(
            "--area must be LAT,LON,RADIUS_KM (three numbers), got '" + text + "'");
      }
    }
    if (!(values[2] > 0)) {
      throw new InvalidInputException("--area radius must be > 0 km, got " + parts[2].strip());
    }
    return new SearchArea(values[0], values[1], values[2] * 1000);
  }

  /** Readings of a power file, grouped by transmission in order of first appearance. */
  static Map<String, List<Reading>> readPowers(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).strip().replace("\uFEFF", "").equals(CSV_HEADER)) {
      throw new InvalidInputException(
          "--powers "
              + file
              + ": first line must be the header "
              + CSV_HEADER
              + ", got '"
              + (lines.isEmpty() ? "" : lines.get(0).strip())
              + "'");
    }
    Map<String, List<Reading>> out = new LinkedHashMap<>();
    Map<String, Station> stations = new LinkedHashMap<>();
    for (int n = 1; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = "--powers " + file + " line " + (n + 1) + ": ";
      String[] f = line.split(",", -1);
      if (f.length != 5) {
        throw new InvalidInputException(
            where + "expected 5 comma-separated fields (" + CSV_HEADER + "), got " + f.length);
      }
      String transmission = f[0].strip();
      String id = f[1].strip();
      if (transmission.isEmpty() || id.isEmpty()) {
        throw new InvalidInputException(where + "transmission and station must not be empty");
      }
      double latitude = number(where, "latitude", f[2]);
      double longitude = number(where, "longitude", f[3]);
      double power = number(where, "power_dbm", f[4]);
      Station station;
      try {
        station = Station.of(id, id, latitude, longitude);
      } catch (InvalidInputException e) {
        throw new InvalidInputException(where + e.getMessage(), e);
      }
      Station known = stations.putIfAbsent(id, station);
      if (known != null && !known.equals(station)) {
        throw new InvalidInputException(
            where
                + "station '"
                + id
                + "' at "
                + latitude
                + ","
                + longitude
                + " was at "
                + known.latitude()
                + ","
                + known.longitude()
                + " before; expected one position per station");
      }
      List<Reading> readings = out.computeIfAbsent(transmission, k -> new ArrayList<>());
      if (readings.stream().anyMatch(r -> r.station().id().equals(id))) {
        throw new InvalidInputException(
            where + "station '" + id + "' appears twice in transmission '" + transmission + "'");
      }
      readings.add(Reading.heard(station, power));
    }
    if (out.isEmpty()) {
      throw new InvalidInputException("--powers " + file + " holds no readings after its header");
    }
    return out;
  }

  private static double number(String where, String field, String text) {
    try {
      double value = Double.parseDouble(text.strip());
      if (Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidInputException(where + field + " must be a finite number, got '" + text + "'");
  }

  /** Time differences of arrival, alone or combined with the received-power estimate. */
  private LocationEstimate locateByTime(
      Method chosen, SearchArea searchArea, List<SigMfRecording> read, LocationEstimate byPower) {
    List<TimedRecording> timed = new ArrayList<>(read.size());
    for (int i = 0; i < read.size(); i++) {
      timed.add(TimedRecording.fromSigMf(stationId(recordings.get(i)), read.get(i)));
    }
    TdoaLocalizer tdoa = TdoaLocalizer.builder().level(level).build();
    return chosen == Method.HYBRID
        ? tdoa.locateHybrid(searchArea, timed, byPower)
        : tdoa.locate(searchArea, timed);
  }

  private static List<SigMfMetadata> metadata(List<SigMfRecording> read) {
    return read.stream().map(SigMfRecording::metadata).toList();
  }

  /** One reading per recording: the signal power if detected, else the noise floor (a bound). */
  static List<Reading> readings(
      List<Path> files, List<SigMfRecording> read, Double fallbackFullScaleDbm) {
    List<Reading> readings = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      SigMfRecording recording = read.get(i);
      SigMfMetadata meta = recording.metadata();
      GeoPoint position =
          meta.geolocation()
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          "recording "
                              + file
                              + " has no core:geolocation; expected the receiver's position as a"
                              + " GeoJSON point [lon, lat]"));
      double fullScale;
      if (meta.fullScaleDbm().isPresent()) {
        fullScale = meta.fullScaleDbm().getAsDouble();
      } else if (fallbackFullScaleDbm != null) {
        fullScale = fallbackFullScaleDbm;
      } else {
        throw new InvalidInputException(
            "recording "
                + file
                + " has no heimdall:full_scale_dbm; expected it in the metadata or --full-scale-dbm");
      }
      String id = stationId(file);
      Station station =
          new Station(
              id,
              meta.description().orElse(id),
              position.latitude(),
              position.longitude(),
              position.altitudeMeters().orElse(0));
      IqMetrics metrics = IqMetrics.compute(recording.samples(), meta.sampleRateHz());
      readings.add(new Reading(station, metrics.powerDbm(fullScale), metrics.detected()));
    }
    return readings;
  }

  /** A recording's station id: its file name without the SigMF extension. */
  private static String stationId(Path file) {
    String name = file.getFileName().toString();
    for (String ext : List.of(SigMf.META_EXTENSION, SigMf.DATA_EXTENSION)) {
      if (name.endsWith(ext)) {
        return name.substring(0, name.length() - ext.length());
      }
    }
    return name;
  }

  /** Writes text to a file through a buffered UTF-8 writer. */
  private interface TextWriter {
    void write(java.io.Writer out) throws IOException;
  }

  private static void write(Path file, TextWriter content) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      content.write(w);
    }
  }
}
