package io.heimdall.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * An estimated transmitter position with its uncertainty.
 *
 * @param latitude degrees north, in [-90, 90]
 * @param longitude degrees east, in [-180, 180]
 * @param latitudeUncertaintyM one-sigma uncertainty along the meridian, metres, finite and &ge; 0
 * @param longitudeUncertaintyM one-sigma uncertainty along the parallel, metres, finite and &ge; 0
 */
public record Location(
    double latitude, double longitude, double latitudeUncertaintyM, double longitudeUncertaintyM) {

  /**
   * Output name of positions {@code [N,2]} (latitude, longitude in degrees) in localisation models.
   */
  public static final String POSITIONS = "positions";

  /**
   * Output name of uncertainties {@code [N,2]} (latitude, longitude, metres) in localisation
   * models.
   */
  public static final String UNCERTAINTIES = "uncertainties";

  /**
   * Checks the ranges.
   *
   * @param latitude degrees north, in [-90, 90]
   * @param longitude degrees east, in [-180, 180]
   * @param latitudeUncertaintyM one-sigma uncertainty along the meridian, metres, finite and &ge; 0
   * @param longitudeUncertaintyM one-sigma uncertainty along the parallel, metres, finite and &ge; 0
   * @throws IllegalArgumentException if the position is off the globe or NaN, or an uncertainty is
   *     negative, infinite or NaN
   */
  public Location {
    if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
      throw new IllegalArgumentException(
          "position ("
              + latitude
              + ", "
              + longitude
              + ") is outside latitude [-90,90], longitude [-180,180]");
    }
    if (!(latitudeUncertaintyM >= 0)
        || !(longitudeUncertaintyM >= 0)
        || Double.isInfinite(latitudeUncertaintyM)
        || Double.isInfinite(longitudeUncertaintyM)) {
      throw new IllegalArgumentException(
          "uncertainties ("
              + latitudeUncertaintyM
              + ", "
              + longitudeUncertaintyM
              + ") m must be finite and non-negative");
    }
  }

  /**
   * Decodes the {@value #POSITIONS} and {@value #UNCERTAINTIES} outputs of a localisation model,
   * one location per sample.
   *
   * @param result the outputs of one run of a localisation model
   * @return one location per row of the outputs, in row order, as an unmodifiable list
   * @throws io.heimdall.InvalidInputException if the result has no {@value #POSITIONS} or no
   *     {@value #UNCERTAINTIES} output
   * @throws IllegalArgumentException if an output is not {@code [N,2]}, the row counts differ, or
   *     a value is out of range
   */
  public static List<Location> decode(InferenceResult result) {
    return decode(result.output(POSITIONS), result.output(UNCERTAINTIES));
  }

  /**
   * Decodes positions {@code [N,2]} (latitude, longitude in degrees) and uncertainties {@code
   * [N,2]} (metres) into locations.
   *
   * @param positions latitude and longitude of each sample in degrees, shape {@code [N,2]}
   * @param uncertainties one-sigma uncertainty along the meridian and the parallel of each sample,
   *     in metres, shape {@code [N,2]} with the same N
   * @return one location per row, in row order, as an unmodifiable list
   * @throws IllegalArgumentException if a shape is not {@code [N,2]} with the same N, or a value is
   *     out of range
   */
  public static List<Location> decode(FloatTensor positions, FloatTensor uncertainties) {
    requirePairs(POSITIONS, positions);
    requirePairs(UNCERTAINTIES, uncertainties);
    if (positions.dim(0) != uncertainties.dim(0)) {
      throw new IllegalArgumentException(
          POSITIONS
              + " has "
              + positions.dim(0)
              + " rows but "
              + UNCERTAINTIES
              + " has "
              + uncertainties.dim(0));
    }
    int rows = (int) positions.dim(0);
    List<Location> locations = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      locations.add(
          new Location(
              positions.get(2 * i),
              positions.get(2 * i + 1),
              uncertainties.get(2 * i),
              uncertainties.get(2 * i + 1)));
    }
    return List.copyOf(locations);
  }

  private static void requirePairs(String name, FloatTensor tensor) {
    if (tensor.rank() != 2 || tensor.dim(1) != 2) {
      throw new IllegalArgumentException(
          name + " has shape " + TensorSpec.shapeText(tensor.shape()) + "; expected [N,2]");
    }
  }
}
