package io.heimdall.pipeline.simulation;

import io.heimdall.locate.SearchArea;
import io.heimdall.locate.Station;
import java.util.List;

/**
 * The seven public WebSDR receivers around Turin that the examples, the simulator and the demo
 * use, with stable ids, and the area the simulator places transmitters in.
 */
public final class ReferenceStations {

  /** Aquila di Giaveno, Montanaro, Torino, Coazze, Passo del Giovi, Genova, Milano Baggio. */
  public static final List<Station> ALL =
      List.of(
          Station.of("aquila-di-giaveno", "Aquila di Giaveno", 45.02, 7.29),
          Station.of("montanaro", "Montanaro", 45.234, 7.857),
          Station.of("torino", "Torino", 45.044, 7.672),
          Station.of("coazze", "Coazze", 45.03, 7.27),
          Station.of("passo-del-giovi", "Passo del Giovi", 44.561, 8.956),
          Station.of("genova", "Genova", 44.395, 8.956),
          Station.of("milano-baggio", "Milano Baggio", 45.478, 9.123));

  /** 40 km around the centre of Turin: where the simulator's transmitters are by default. */
  public static final SearchArea AREA = new SearchArea(45.0703, 7.6869, 40_000);

  private ReferenceStations() {}

  /**
   * The reference station with an id.
   *
   * @param id e.g. {@code "torino"}
   * @return the station
   * @throws io.heimdall.InvalidInputException if no reference station has that id
   */
  public static Station byId(String id) {
    for (Station station : ALL) {
      if (station.id().equals(id)) {
        return station;
      }
    }
    throw new io.heimdall.InvalidInputException(
        "no reference station has id '"
            + id
            + "'; ids are "
            + ALL.stream().map(Station::id).toList());
  }
}
