package io.heimdall.inference;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The two ONNX models shipped with heimdall-inference (generated in Java by the project's test
 * sources, {@code ModelGenerator}, and committed as resources).
 *
 * <ul>
 *   <li>{@link #weightedCentroid()}: a physically meaningful localiser. Input {@value
 *       #CENTROID_INPUT} {@code [N,7]}, the power received at each of the seven {@link #RECEIVERS}
 *       in dBm, in that order. Weights {@code w = softmax(power_dbm * ln(10)/20)}, i.e.
 *       proportional to received field amplitude {@code 10^(dBm/20)}; {@value Location#POSITIONS}
 *       {@code [N,2]} = the weighted mean of the receivers' (latitude, longitude); {@value
 *       Location#UNCERTAINTIES} {@code [N,2]} = {@code sqrt(weighted variance + floor²)} of the
 *       receivers around that mean, in metres ({@value #METRES_PER_DEGREE_LATITUDE} m per degree of
 *       latitude, that times {@code cos(}{@value #REFERENCE_LATITUDE}{@code °)} per degree of
 *       longitude), with a floor of {@value #UNCERTAINTY_FLOOR_M} m. The receivers' coordinates are
 *       initializers of the graph.
 *   <li>{@link #localizationCnn()}: the <b>untrained</b> reference CNN, for throughput and
 *       integration only: its weights are fixed pseudo-random numbers (seed {@value #CNN_SEED}), so
 *       its outputs mean nothing and it must never be presented as a localiser. Input {@value
 *       #CNN_INPUT} {@code [N,128,431]} (a 10 s mel spectrogram) → {@value Location#POSITIONS}
 *       {@code [N,2]} and {@value Location#UNCERTAINTIES} {@code [N,2]} (positive, through
 *       Softplus). The input is expected in dB (power→dB of the mel spectrogram, roughly [-80, 0])
 *       and first normalised to {@code (x + 40) / 40}. About {@value #CNN_MFLOPS_PER_SAMPLE} MFLOPs
 *       per sample: three 3×3 convolutions (1→16 stride 2, 16→16, 16→32) with ReLU and 2×2 max
 *       pooling, global average pooling, and two dense layers.
 *   <li>{@link #localizationCnnInt8()}: the same CNN with dynamically quantised int8 convolutions.
 *   <li>{@link #localizationCnnInt8Static()}: the same CNN statically quantised (QDQ: int8 weights
 *       with per-channel scales, uint8 activations calibrated on synthetic mel spectrograms; built
 *       by heimdall-bench's {@code io.heimdall.bench.models.StaticInt8Cnn}), a third of the fp32
 *       file.
 * </ul>
 */
public final class ReferenceModels {

  /** Input of the centroid model: received power per receiver, dBm, {@code [N,7]}. */
  public static final String CENTROID_INPUT = "power_dbm";

  /** Input of the CNN: mel spectrogram {@code [N,128,431]}. */
  public static final String CNN_INPUT = "mel";

  /** Mel bands of the CNN input. */
  public static final int MEL_BANDS = 128;

  /** Frames of the CNN input (10 s at 22,050 Hz, hop 512, centred). */
  public static final int MEL_FRAMES = 431;

  /** The CNN first maps its dB input {@code x} to {@code (x - CENTRE) / SCALE}: the centre, dB. */
  public static final double CNN_INPUT_CENTRE_DB = -40.0;

  /** The CNN's input scale, dB (see {@link #CNN_INPUT_CENTRE_DB}). */
  public static final double CNN_INPUT_SCALE_DB = 40.0;

  /** Seed of the CNN's pseudo-random weights. */
  public static final long CNN_SEED = 20_240_611L;

  /** Approximate multiply-adds ×2 of one CNN sample, in millions. */
  public static final int CNN_MFLOPS_PER_SAMPLE = 28;

  /** Metres per degree of latitude used by the centroid model. */
  public static final double METRES_PER_DEGREE_LATITUDE = 111_320.0;

  /** Latitude (degrees) whose cosine scales longitude degrees to metres in the centroid model. */
  public static final double REFERENCE_LATITUDE = 45.0;

  /** Smallest uncertainty the centroid model reports, metres. */
  public static final double UNCERTAINTY_FLOOR_M = 1_000.0;

  /**
   * The seven reference receivers in the order of the centroid model's input columns: Aquila di
   * Giaveno, Montanaro, Torino, Coazze, Passo del Giovi, Genova, Milano Baggio.
   */
  public static final List<Receiver> RECEIVERS =
      List.of(
          new Receiver("Aquila di Giaveno", 45.02, 7.29),
          new Receiver("Montanaro", 45.234, 7.857),
          new Receiver("Torino", 45.044, 7.672),
          new Receiver("Coazze", 45.03, 7.27),
          new Receiver("Passo del Giovi", 44.561, 8.956),
          new Receiver("Genova", 44.395, 8.956),
          new Receiver("Milano Baggio", 45.478, 9.123));

  static final String CENTROID_RESOURCE = "models/weighted-centroid.onnx";
  static final String CNN_RESOURCE = "models/reference-cnn.onnx";
  static final String CNN_INT8_RESOURCE = "models/reference-cnn-int8.onnx";
  static final String CNN_INT8_STATIC_RESOURCE = "models/reference-cnn-int8-static.onnx";

  private ReferenceModels() {}

  /**
   * The serialized weighted-centroid localiser (a fresh copy on each call).
   *
   * @return the serialized model
   */
  public static byte[] weightedCentroid() {
    return resource(CENTROID_RESOURCE);
  }

  /**
   * The serialized untrained reference CNN (a fresh copy on each call).
   *
   * @return the serialized model
   */
  public static byte[] localizationCnn() {
    return resource(CNN_RESOURCE);
  }

  /**
   * The untrained reference CNN with dynamically quantised convolutions (uint8 weights, activations
   * quantised at run time, ConvInteger: what ONNX Runtime's {@code quantize_dynamic} produces),
   * same inputs and outputs; for comparing int8 with fp32 throughput (a fresh copy on each call).
   *
   * @return the serialized model
   */
  public static byte[] localizationCnnInt8() {
    return resource(CNN_INT8_RESOURCE);
  }

  /**
   * The untrained reference CNN statically quantised in ONNX's QDQ format, mixed precision: the
   * first layer (input normalisation, the one-channel convolution, max pooling) stays fp32, the
   * rest has int8 weights with one scale per output channel and uint8 activations with scales
   * calibrated on synthetic mel spectrograms. ONNX Runtime runs the second and third convolutions
   * as QLinearConv. Same inputs and outputs as {@link #localizationCnn()}; for comparing int8 with
   * fp32 (a fresh copy on each call).
   *
   * @return the serialized model
   */
  public static byte[] localizationCnnInt8Static() {
    return resource(CNN_INT8_STATIC_RESOURCE);
  }

  private static byte[] resource(String name) {
    try (InputStream in = ReferenceModels.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource " + name + " is missing from heimdall-inference's jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + name, e);
    }
  }
}
