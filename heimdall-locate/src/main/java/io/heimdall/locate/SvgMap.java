package io.heimdall.locate;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws located transmissions as an SVG picture: the receivers (squares, labelled with their
 * names), each region at its level (a translucent polygon) and each estimate (a dot, labelled with
 * the transmission). The projection is equirectangular about the middle latitude, north up, which
 * at this scale keeps shapes true to within a fraction of a percent; a scale bar gives kilometres.
 */
public final class SvgMap {

  /** Width and height of the picture, pixels. */
  public static final int SIZE_PX = 800;

  private static final int MARGIN_PX = 60;

  private SvgMap() {}

  /**
   * Writes the picture.
   *
   * @param located the transmissions to draw (at least one)
   * @param out where to write (not closed)
   * @throws IOException if writing fails
   * @throws LocateInputException if {@code located} is empty
   */
  public static void write(List<Located> located, Writer out) throws IOException {
    if (located.isEmpty()) {
      throw new LocateInputException("located transmissions: got none; expected at least one");
    }
    Map<String, Station> receivers = new LinkedHashMap<>();
    List<double[][]> rings = new ArrayList<>();
    List<double[]> points = new ArrayList<>();
    for (Located one : located) {
      one.receivers().forEach(s -> receivers.putIfAbsent(s.id(), s));
      double[][] ring = one.regionOutline(GeoJson.REGION_VERTICES);
      rings.add(ring);
      points.addAll(List.of(ring));
      points.add(new double[] {one.estimate().latitude(), one.estimate().longitude()});
    }
    receivers.values().forEach(s -> points.add(new double[] {s.latitude(), s.longitude()}));
    Projection p = Projection.fitting(points);

    StringBuilder svg = new StringBuilder(4096);
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(SIZE_PX)
        .append("\" height=\"")
        .append(SIZE_PX)
        .append("\" viewBox=\"0 0 ")
        .append(SIZE_PX)
        .append(' ')
        .append(SIZE_PX)
        .append("\">\n<title>Heimdall: ")
        .append(located.size())
        .append(" located transmission(s)</title>\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"#fbfbf8\"/>\n");
    svg.append("<g id=\"regions\" fill=\"#3b7dd8\" fill-opacity=\"0.18\" stroke=\"#3b7dd8\">\n");
    for (int i = 0; i < located.size(); i++) {
      Region region = located.get(i).estimate().region();
      svg.append("<polygon class=\"region\" data-transmission=\"")
          .append(escape(located.get(i).transmission()))
          .append("\" data-level=\"")
          .append(number(region.level()))
          .append("\" points=\"");
      for (double[] point : rings.get(i)) {
        svg.append(number(p.x(point[1]))).append(',').append(number(p.y(point[0]))).append(' ');
      }
      svg.setLength(svg.length() - 1);
      svg.append("\"/>\n");
    }
    svg.append("</g>\n<g id=\"receivers\" fill=\"#333\" font-family=\"sans-serif\" font-size=\"12\">\n");
    for (Station s : receivers.values()) {
      double x = p.x(s.longitude());
      double y = p.y(s.latitude());
      svg.append("<rect class=\"receiver\" data-station=\"")
          .append(escape(s.id()))
          .append("\" x=\"")
          .append(number(x - 4))
          .append("\" y=\"")
          .append(number(y - 4))
          .append("\" width=\"8\" height=\"8\"/>")
          .append("<text x=\"")
          .append(number(x + 7))
          .append("\" y=\"")
          .append(number(y + 4))
          .append("\">")
          .append(escape(s.name()))
          .append("</text>\n");
    }
    svg.append("</g>\n<g id=\"estimates\" fill=\"#c8321e\" font-family=\"sans-serif\" font-size=\"11\">\n");
    for (Located one : located) {
      double x = p.x(one.estimate().longitude());
      double y = p.y(one.estimate().latitude());
      svg.append("<circle class=\"estimate\" data-transmission=\"")
          .append(escape(one.transmission()))
          .append("\" cx=\"")
          .append(number(x))
          .append("\" cy=\"")
          .append(number(y))
          .append("\" r=\"4\"/>")
          .append("<text x=\"")
          .append(number(x + 6))
          .append("\" y=\"")
          .append(number(y - 6))
          .append("\">")
          .append(escape(one.transmission()))
          .append("</text>\n");
    }
    svg.append("</g>\n");
    double barKm = p.niceBarKm();
    double barPx = barKm * 1000 / p.metresPerPixel;
    svg.append("<g id=\"scale\" font-family=\"sans-serif\" font-size=\"12\">")
        .append("<line x1=\"20\" y1=\"")
        .append(SIZE_PX - 20)
        .append("\" x2=\"")
        .append(number(20 + barPx))
        .append("\" y2=\"")
        .append(SIZE_PX - 20)
        .append("\" stroke=\"#000\" stroke-width=\"2\"/><text x=\"20\" y=\"")
        .append(SIZE_PX - 26)
        .append("\">")
        .append(number(barKm))
        .append(" km</text></g>\n</svg>\n");
    out.write(svg.toString());
    out.flush();
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> out.append(c < 0x20 && c != '\t' ? ' ' : c);
      }
    }
    return out.toString();
  }

  /** Equirectangular about the middle latitude, scaled to fit the picture with a margin. */
  private static final class Projection {
    private static final double METRES_PER_DEGREE = 111_320;
    final double west;
    final double north;
    final double cosLatitude;
    final double metresPerPixel;

    private Projection(double west, double north, double cosLatitude, double metresPerPixel) {
      this.west = west;
      this.north = north;
      this.cosLatitude = cosLatitude;
      this.metresPerPixel = metresPerPixel;
    }

    static Projection fitting(List<double[]> points) {
      double south = Double.POSITIVE_INFINITY;
      double north = Double.NEGATIVE_INFINITY;
      double west = Double.POSITIVE_INFINITY;
      double east = Double.NEGATIVE_INFINITY;
      for (double[] p : points) {
        south = Math.min(south, p[0]);
        north = Math.max(north, p[0]);
        west = Math.min(west, p[1]);
        east = Math.max(east, p[1]);
      }
      double cos = Math.cos(Math.toRadians((south + north) / 2));
      double width = Math.max(1, (east - west) * cos * METRES_PER_DEGREE);
      double height = Math.max(1, (north - south) * METRES_PER_DEGREE);
      double metresPerPixel = Math.max(width, height) / (SIZE_PX - 2 * MARGIN_PX);
      // Centre the drawing: shift the origin so the margins are equal.
      double padX = (SIZE_PX - width / metresPerPixel) / 2;
      double padY = (SIZE_PX - height / metresPerPixel) / 2;
      return new Projection(
          west - padX * metresPerPixel / (cos * METRES_PER_DEGREE),
          north + padY * metresPerPixel / METRES_PER_DEGREE,
          cos,
          metresPerPixel);
    }

    double x(double longitude) {
      return (longitude - west) * cosLatitude * METRES_PER_DEGREE / metresPerPixel;
    }

    double y(double latitude) {
      return (north - latitude) * METRES_PER_DEGREE / metresPerPixel;
    }

    /** A round length for the scale bar, about a fifth of the picture. */
    double niceBarKm() {
      double target = SIZE_PX * metresPerPixel / 5 / 1000;
      double power = Math.pow(10, Math.floor(Math.log10(target)));
      for (double step : new double[] {5, 2, 1}) {
        if (step * power <= target) {
          return step * power;
        }
      }
      return power;
    }
  }
}
