package io.heimdall.locate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heimdall.inference.Device;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import net.sf.geographiclib.Geodesic;
import net.sf.geographiclib.GeodesicData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** GeoJSON read back with Jackson, and the SVG read back as XML. */
class MapOutputsTest {

  private static List<Located> located;

  @BeforeAll
  static void locate() {
    Scenario scenario = Scenario.turin();
    List<Scenario.Transmission> transmissions = scenario.draw(5, 3, 3, 0);
    List<LocationEstimate> estimates;
    try (Localizer localizer = Localizer.builder().device(Device.CPU).build()) {
      estimates = localizer.locateAll(scenario.area, Scenario.readings(transmissions));
    }
    located = new ArrayList<>();
    for (int t = 0; t < estimates.size(); t++) {
      located.add(new Located("tx-" + t + (t == 2 ? " <&\">" : ""), estimates.get(t), Scenario.TURIN));
    }
  }

  @Test
  void geoJsonHoldsAPointAndARegionPolygonPerTransmission() throws Exception {
    StringWriter out = new StringWriter();
    GeoJson.write(located, out);
    JsonNode root = new ObjectMapper().readTree(out.toString());
    assertThat(root.get("type").asText()).isEqualTo("FeatureCollection");
    JsonNode features = root.get("features");
    assertThat(features.size()).isEqualTo(2 * located.size());
    for (int t = 0; t < located.size(); t++) {
      LocationEstimate e = located.get(t).estimate();
      JsonNode point = features.get(2 * t);
      assertThat(point.at("/geometry/type").asText()).isEqualTo("Point");
      assertThat(point.at("/geometry/coordinates/0").asDouble()).isEqualTo(e.longitude());
      assertThat(point.at("/geometry/coordinates/1").asDouble()).isEqualTo(e.latitude());
      assertThat(point.at("/properties/transmission").asText())
          .isEqualTo(located.get(t).transmission());
      assertThat(point.at("/properties/covariance_m2/0/1").asDouble())
          .isEqualTo(e.covariance().eastNorth());

      JsonNode polygon = features.get(2 * t + 1);
      assertThat(polygon.at("/geometry/type").asText()).isEqualTo("Polygon");
      assertThat(polygon.at("/properties/level").asDouble()).isEqualTo(0.9);
      JsonNode ring = polygon.at("/geometry/coordinates/0");
      assertThat(ring.size()).isEqualTo(GeoJson.REGION_VERTICES + 1);
      assertThat(ring.get(0)).isEqualTo(ring.get(ring.size() - 1));
      // Every vertex lies on the ellipse: Mahalanobis radius sqrt(-2 ln 0.1) from the estimate.
      Covariance c = e.covariance();
      double det = c.eastEast() * c.northNorth() - c.eastNorth() * c.eastNorth();
      double signedArea = 0;
      double[] previous = null;
      for (JsonNode vertex : ring) {
        GeodesicData g =
            Geodesic.WGS84.Inverse(
                e.latitude(), e.longitude(), vertex.get(1).asDouble(), vertex.get(0).asDouble());
        double east = g.s12 * Math.sin(Math.toRadians(g.azi1));
        double north = g.s12 * Math.cos(Math.toRadians(g.azi1));
        double q =
            (c.northNorth() * east * east
                    - 2 * c.eastNorth() * east * north
                    + c.eastEast() * north * north)
                / det;
        assertThat(Math.sqrt(q)).isCloseTo(Math.sqrt(Region.chiSquare2(0.9)), within(1e-3));
        if (previous != null) {
          signedArea += previous[0] * north - east * previous[1];
        }
        previous = new double[] {east, north};
      }
      assertThat(signedArea).as("exterior ring counter-clockwise").isPositive();
    }
  }

  @Test
  void svgIsWellFormedWithReceiversRegionsAndEstimates() throws Exception {
    StringWriter out = new StringWriter();
    SvgMap.write(located, out);
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document svg =
        factory
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8)));
    Element root = svg.getDocumentElement();
    assertThat(root.getLocalName()).isEqualTo("svg");
    assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
    assertThat(byClass(svg, "rect", "receiver")).isEqualTo(Scenario.TURIN.size());
    assertThat(byClass(svg, "polygon", "region")).isEqualTo(located.size());
    assertThat(byClass(svg, "circle", "estimate")).isEqualTo(located.size());
    NodeList circles = svg.getElementsByTagNameNS("*", "circle");
    assertThat(((Element) circles.item(2)).getAttribute("data-transmission"))
        .isEqualTo("tx-2 <&\">");
    for (int i = 0; i < circles.getLength(); i++) {
      Element circle = (Element) circles.item(i);
      assertThat(Double.parseDouble(circle.getAttribute("cx"))).isBetween(0.0, 800.0);
      assertThat(Double.parseDouble(circle.getAttribute("cy"))).isBetween(0.0, 800.0);
    }
  }

  private static int byClass(Document svg, String tag, String cssClass) {
    NodeList nodes = svg.getElementsByTagNameNS("*", tag);
    int count = 0;
    for (int i = 0; i < nodes.getLength(); i++) {
      count += cssClass.equals(((Element) nodes.item(i)).getAttribute("class")) ? 1 : 0;
    }
    return count;
  }
}
