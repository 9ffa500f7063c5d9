package io.heimdall.cli;

import io.heimdall.pipeline.simulation.SynchronizedRecordings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.heimdall.dsp.ComplexSignal;
import io.heimdall.dsp.sigmf.GeoPoint;
import io.heimdall.dsp.sigmf.SigMf;
import io.heimdall.dsp.sigmf.SigMfDatatype;
import io.heimdall.dsp.sigmf.SigMfMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.geographiclib.Geodesic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code heimdall locate} end to end: power files with several transmissions, SigMF recordings of
 * one, the JSON lines, the GeoJSON and SVG files, and bad input (exit 2, one line, no file).
 */
class LocateCommandTest {

  @TempDir Path dir;

  /** The seven reference receivers: id, latitude, longitude. */
  static final Object[][] RECEIVERS = {
    {"aquila-di-giaveno", 45.02, 7.29},
    {"montanaro", 45.234, 7.857},
    {"torino", 45.044, 7.672},
    {"coazze", 45.03, 7.27},
    {"passo-del-giovi", 44.561, 8.956},
    {"genova", 44.395, 8.956},
    {"milano-baggio", 45.478, 9.123},
  };

  static final String AREA = "45.0703,7.6869,40";

  /** Received power at each receiver from a transmitter, with 4 dB shadowing (seeded). */
  static double[] powers(double latitude, double longitude, double txDbm, Random random) {
    double[] out = new double[RECEIVERS.length];
    for (int j = 0; j < out.length; j++) {
      double d =
          Math.max(
              100,
              Geodesic.WGS84.Inverse(
                      latitude, longitude, (double) RECEIVERS[j][1], (double) RECEIVERS[j][2])
                  .s12);
      double loss =
          20 * Math.log10(Math.min(d, 1000))
              + 15.68
              + (d > 1000 ? 32 * Math.log10(d / 1000) : 0);
      out[j] = txDbm - loss + 4 * random.nextGaussian();
    }
    return out;
  }

  Path powerFile(String name, double[][] transmitters) throws Exception {
    Random random = new Random(4);
    StringBuilder csv = new StringBuilder(LocateCommand.CSV_HEADER + "\n");
    for (int t = 0; t < transmitters.length; t++) {
      double[] p = powers(transmitters[t][0], transmitters[t][1], 33, random);
      for (int j = 0; j < p.length; j++) {
        csv.append("tx")
            .append(t)
            .append(',')
            .append(RECEIVERS[j][0])
            .append(',')
            .append(RECEIVERS[j][1])
            .append(',')
            .append(RECEIVERS[j][2])
            .append(',')
            .append(p[j])
            .append('\n');
      }
    }
    return Files.writeString(dir.resolve(name), csv);
  }

  static double field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(-?[0-9.E-]+)").matcher(json);
    assertThat(m.find()).as("field %s in %s", name, json).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void powerFileGivesOneJsonLinePerTransmissionInOrderAndTheFiles() throws Exception {
    double[][] truth = {{45.10, 7.60}, {44.90, 7.80}, {45.25, 7.45}, {45.00, 7.95}};
    Path csv = powerFile("powers.csv", truth);
    Path geojson = dir.resolve("out.geojson");
    Path svg = dir.resolve("map.svg");
    HeimdallCliTest.Run run =
        HeimdallCliTest.run(
            "locate",
            "--powers",
            csv.toString(),
            "--area",
            AREA,
            "--device",
            "cpu",
            "--geojson",
            geojson.toString(),
            "--map",
            svg.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    String[] lines = run.out().strip().split("\n");
    assertThat(lines).hasSize(truth.length);
    for (int t = 0; t < truth.length; t++) {
      String line = lines[t];
      assertThat(line)
          .startsWith("{\"transmission\":\"tx" + t + "\",\"latitude\":")
          .contains("\"covariance_m2\":[[", "\"region\":{\"level\":0.9,\"semi_major_m\":")
          .contains("\"orientation_deg\":", "\"receivers\":7", "\"method\":\"bayes\"");
      double error =
          Geodesic.WGS84.Inverse(
                  field(line, "latitude"), field(line, "longitude"), truth[t][0], truth[t][1])
              .s12;
      // Four dB of shadowing: the estimate is within a few region sizes of the truth.
      assertThat(error).isLessThan(4 * field(line, "semi_major_m"));
      assertThat(field(line, "bound_m")).isPositive();
    }
    String json = Files.readString(geojson);
    assertThat(parses(json)).isTrue();
    assertThat(count(json, "\"type\":\"Point\"")).isEqualTo(truth.length);
    assertThat(count(json, "\"type\":\"Polygon\"")).isEqualTo(truth.length);
    assertThat(Files.readString(svg)).startsWith("<?xml").contains("<svg", "class=\"region\"");

    HeimdallCliTest.Run centroid =
        HeimdallCliTest.run(
            "locate", "--powers", csv.toString(), "--area", AREA, "--method", "centroid");
    assertThat(centroid.exitCode()).as(centroid.err()).isZero();
    assertThat(centroid.out().strip().split("\n")).hasSize(truth.length);
    assertThat(centroid.out()).contains("\"method\":\"centroid\"");
  }

  @Test
  void badPowerFilesExitTwoWithOneLineAndWriteNoFile() throws Exception {
    Path geojson = dir.resolve("never.geojson");
    String header = LocateCommand.CSV_HEADER + "\n";
    assertBad(
        Files.writeString(
            dir.resolve("nan.csv"),
            header + "a,torino,45.044,7.672,-80\na,genova,44.395,8.956,loud\n"),
        AREA,
        geojson,
        "power_dbm must be a finite number, got 'loud'");
    assertBad(
        Files.writeString(
            dir.resolve("two.csv"),
            header + "a,torino,45.044,7.672,-80\na,genova,44.395,8.956,-100\n"),
        AREA,
        geojson,
        "has readings from 2 receivers; expected at least 3");
    Path good = powerFile("good.csv", new double[][] {{45.1, 7.6}});
    assertBad(good, "45.0703,7.6869,0", geojson, "--area radius must be > 0 km, got 0");
    assertBad(good, "45.0703,7.6869,-5", geojson, "--area radius must be > 0 km");
    assertBad(good, "45.0703,7.6869", geojson, "--area must be LAT,LON,RADIUS_KM");
  }

  private void assertBad(Path csv, String area, Path geojson, String message) {
    HeimdallCliTest.Run run =
        HeimdallCliTest.run(
            "locate", "--powers", csv.toString(), "--area", area, "--geojson", geojson.toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err().strip()).startsWith("heimdall locate: ").contains(message).doesNotContain("\n");
    assertThat(geojson).doesNotExist();
  }

  /** One transmission recorded by the seven receivers as cf32 SigMF: a tone in white noise. */
  List<Path> recordings(double latitude, double longitude, double[] truePowers, boolean geolocated)
      throws Exception {
    double fullScaleDbm = -10;
    double noiseDbm = -174 + 10 * Math.log10(12_500) + 6;
    Random random = new Random(9);
    int n = 12_500;
    List<Path> out = new ArrayList<>();
    for (int j = 0; j < RECEIVERS.length; j++) {
      double amplitude = Math.pow(10, (truePowers[j] - fullScaleDbm) / 20);
      double noise = Math.pow(10, (noiseDbm - fullScaleDbm) / 20) / Math.sqrt(2);
      float[] iq = new float[2 * n];
      for (int i = 0; i < n; i++) {
        double phase = 2 * Math.PI * 1_200.0 * i / 12_500;
        iq[2 * i] = (float) (amplitude * Math.cos(phase) + noise * random.nextGaussian());
        iq[2 * i + 1] = (float) (amplitude * Math.sin(phase) + noise * random.nextGaussian());
      }
      SigMfMetadata.Builder meta =
          SigMfMetadata.builder(SigMfDatatype.CF32_LE, 12_500)
              .frequencyHz(145.5e6)
              .fullScaleDbm(fullScaleDbm);
      if (geolocated) {
        meta.geolocation(GeoPoint.of((double) RECEIVERS[j][1], (double) RECEIVERS[j][2]));
      }
      out.add(
          SigMf.write(
              dir.resolve((String) RECEIVERS[j][0]), meta.build(), ComplexSignal.wrapInterleaved(iq)));
    }
    return out;
  }

  @Test
  void sigmfRecordingsAndThePowersMeasuredFromThemAgreeWithin1Km() throws Exception {
    double[] truth = {45.12, 7.58};
    double[] p = powers(truth[0], truth[1], 33, new Random(21));
    List<Path> recs = recordings(truth[0], truth[1], p, true);
    List<String> args = new ArrayList<>(List.of("locate", "--area", AREA, "--device", "cpu"));
    recs.forEach(r -> args.add(r.toString()));
    HeimdallCliTest.Run fromSigmf = HeimdallCliTest.run(args.toArray(String[]::new));
    assertThat(fromSigmf.exitCode()).as(fromSigmf.err()).isZero();

    StringBuilder csv = new StringBuilder(LocateCommand.CSV_HEADER + "\n");
    for (int j = 0; j < RECEIVERS.length; j++) {
      csv.append("t,").append(RECEIVERS[j][0]).append(',').append(RECEIVERS[j][1]).append(',')
          .append(RECEIVERS[j][2]).append(',').append(p[j]).append('\n');
    }
    HeimdallCliTest.Run fromPowers =
        HeimdallCliTest.run(
            "locate",
            "--powers",
            Files.writeString(dir.resolve("p.csv"), csv).toString(),
            "--area",
            AREA,
            "--device",
            "cpu");
    assertThat(fromPowers.exitCode()).as(fromPowers.err()).isZero();
    double apart =
        Geodesic.WGS84.Inverse(
                field(fromSigmf.out(), "latitude"),
                field(fromSigmf.out(), "longitude"),
                field(fromPowers.out(), "latitude"),
                field(fromPowers.out(), "longitude"))
            .s12;
    assertThat(apart).isLessThan(1_000);
    assertThat(fromSigmf.out()).contains("\"receivers\":7");
  }

  @Test
  void badRecordingsExitTwoWithOneLineAndWriteNoFile() throws Exception {
    double[] p = powers(45.1, 7.6, 33, new Random(1));
    Path geojson = dir.resolve("none.geojson");
    List<Path> plain = recordings(45.1, 7.6, p, false);
    assertBadRecordings(plain, geojson, "has no core:geolocation");

    List<Path> recs = recordings(45.1, 7.6, p, true);
    assertBadRecordings(recs.subList(0, 2), geojson, "expected at least 3");

    Path data = dir.resolve("genova" + SigMf.DATA_EXTENSION);
    Files.write(data, new byte[3], StandardOpenOption.APPEND);
    assertBadRecordings(recs, geojson, "genova");

    Path meta = dir.resolve("torino" + SigMf.META_EXTENSION);
    Files.writeString(
        meta,
        Files.readString(meta, StandardCharsets.UTF_8).replace("cf32_le", "cf64_le"),
        StandardCharsets.UTF_8);
    Files.write(data, new byte[5], StandardOpenOption.APPEND); // whole samples again
    assertBadRecordings(recs, geojson, "cf64_le");
  }

  private void assertBadRecordings(List<Path> recs, Path geojson, String message) {
    List<String> args =
        new ArrayList<>(List.of("locate", "--area", AREA, "--geojson", geojson.toString()));
    recs.forEach(r -> args.add(r.toString()));
    HeimdallCliTest.Run run = HeimdallCliTest.run(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(HeimdallCli.EXIT_BAD_INPUT);
    assertThat(run.err().strip()).startsWith("heimdall locate: ").contains(message).doesNotContain("\n");
    assertThat(run.out()).isEmpty();
    assertThat(geojson).doesNotExist();
  }

  private static boolean parses(String json) throws Exception {
    try (JsonParser parser = new JsonFactory().createParser(json)) {
      while (parser.nextToken() != null) {
        // reading every token is the check
      }
      return parser.currentToken() == null || parser.currentToken() == JsonToken.END_OBJECT;
    }
  }

  private static int count(String text, String needle) {
    int count = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      count++;
    }
    return count;
  }

  @Test
  void timeDifferencesLocateSynchronisedRecordingsToTensOfMetresAndAutoPicksThem() throws Exception {
    SynchronizedRecordings simulator =
        SynchronizedRecordings.builder().seed(4).durationSeconds(1).build();
    SynchronizedRecordings.Transmission t = simulator.simulate(0);
    List<Path> files = simulator.writeSigMf(dir, t);
    for (String method : List.of("tdoa", "auto", "hybrid")) {
      List<String> args = new ArrayList<>(List.of("locate", "--area", AREA, "--method", method));
      files.forEach(file -> args.add(file.toString()));
      HeimdallCliTest.Run run = HeimdallCliTest.run(args.toArray(String[]::new));
      assertThat(run.exitCode()).as(run.err()).isZero();
      String json = run.out().strip();
      assertThat(json).contains("\"method\":\"" + (method.equals("auto") ? "tdoa" : method) + "\"");
      double error =
          t.transmitter().errorMetres(field(json, "latitude"), field(json, "longitude"));
      assertThat(error).as(method).isLessThan(300);
    }
  }

  @Test
  void timeDifferencesRefuseRecordingsWithoutPreciseTimesAndPowerReadings() throws Exception {
    SynchronizedRecordings simulator =
        SynchronizedRecordings.builder().seed(5).durationSeconds(1).build();
    List<Path> files = simulator.writeSigMf(dir, simulator.simulate(0));
    List<String> threeOnly = new ArrayList<>(List.of("locate", "--area", AREA, "--method", "tdoa"));
    files.subList(0, 3).forEach(file -> threeOnly.add(file.toString()));
    HeimdallCliTest.Run tooFew = HeimdallCliTest.run(threeOnly.toArray(String[]::new));
    assertThat(tooFew.exitCode()).isEqualTo(2);
    assertThat(tooFew.err().strip().lines()).hasSize(1);
    assertThat(tooFew.err()).contains("4");

    Path csv = Files.writeString(dir.resolve("p.csv"), "transmission,station,latitude,longitude,power_dbm\n");
    HeimdallCliTest.Run withPowers =
        HeimdallCliTest.run("locate", "--powers", csv.toString(), "--area", AREA, "--method", "tdoa");
    assertThat(withPowers.exitCode()).isEqualTo(2);
    assertThat(withPowers.err()).contains("needs SigMF recordings with core:datetime");
  }
}
