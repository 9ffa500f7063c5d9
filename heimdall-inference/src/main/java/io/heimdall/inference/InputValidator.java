package io.heimdall.inference;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * The input policy of one engine: names, shapes, batch sizes and (optionally) finiteness, checked
 * before anything reaches ONNX Runtime so that bad input fails with a message naming the input, the
 * value that came and the one expected, instead of a native error.
 */
final class InputValidator {

  private final ModelInfo model;
  private final boolean rejectNonFinite;

  InputValidator(ModelInfo model, boolean rejectNonFinite) {
    this.model = model;
    this.rejectNonFinite = rejectNonFinite;
  }

  /** Whether inputs holding NaN or infinities are rejected. */
  boolean rejectsNonFinite() {
    return rejectNonFinite;
  }

  /** The only input; single-input conveniences reject multi-input models. */
  TensorSpec singleInput() {
    List<String> names = model.inputNames();
    if (names.size() != 1) {
      throw new InputNameException(
          "model has " + names.size() + " inputs " + names + "; pass them by name with run(Map)");
    }
    return model.inputs().get(0);
  }

  /**
   * Checks named inputs against the model and returns their common batch size N.
   *
   * @throws InputNameException if an input is missing or unknown
   * @throws InputShapeException if a rank or dimension differs, a batch is empty, or N differs
   * @throws NonFiniteInputException if rejecting non-finite values and one is found
   */
  int validate(Map<String, FloatTensor> inputs) {
    for (String name : inputs.keySet()) {
      if (model.inputs().stream().noneMatch(spec -> spec.name().equals(name))) {
        throw new InputNameException(
            "model has no input '" + name + "'; its inputs are " + model.inputNames());
      }
    }
    int batch = -1;
    String first = null;
    for (TensorSpec spec : model.inputs()) {
      FloatTensor tensor = inputs.get(spec.name());
      if (tensor == null) {
        throw new InputNameException(
            "missing input '" + spec.name() + "' " + spec.shapeText() + "; got " + inputs.keySet());
      }
      long[] shape = tensor.shape();
      checkShape(spec, shape);
      if (batch >= 0 && shape[0] != batch) {
        throw new InputShapeException(
            "input '"
                + spec.name()
                + "' has "
                + shape[0]
                + " samples but input '"
                + first
                + "' has "
                + batch
                + "; every input needs the same N");
      }
      batch = Math.toIntExact(shape[0]);
      first = spec.name();
      if (rejectNonFinite) {
        rejectNonFinite(spec, tensor, 0);
      }
    }
    return batch;
  }

  /**
   * Checks samples given as rows for the single input {@code spec}: each row one sample in C order.
   *
   * @throws InputShapeException for a missing or wrongly sized row, or no rows at all
   * @throws NonFiniteInputException if rejecting non-finite values and one is found
   */
  void validateRows(TensorSpec spec, float[][] samples) {
    for (int i = 0; i < samples.length; i++) {
      checkSample(spec, samples[i], "sample " + i);
    }
    if (samples.length == 0) {
      throw new InputShapeException(
          "input '"
              + spec.name()
              + "': empty batch; expected "
              + spec.shapeText()
              + " with N >= 1");
    }
    if (rejectNonFinite) {
      for (int i = 0; i < samples.length; i++) {
        rejectNonFinite(spec, FloatTensor.of(samples[i], samples[i].length), i);
      }
    }
  }

  /**
   * Checks one sample submitted alone (to a micro-batcher), so that a bad sample fails its own
   * request rather than the batch it would join.
   *
   * @throws InputShapeException if the sample does not have the input's sample size
   * @throws NonFiniteInputException if rejecting non-finite values and the sample has one
   */
  void validateSample(TensorSpec spec, float[] sample) {
    checkSample(spec, sample, "sample");
    if (rejectNonFinite) {
      rejectNonFinite(spec, FloatTensor.of(sample, sample.length), 0);
    }
  }

  private static void checkSample(TensorSpec spec, float[] sample, String label) {
    long sampleSize = spec.sampleSize();
    if (sample == null || sample.length != sampleSize) {
      throw new InputShapeException(
          "input '"
              + spec.name()
              + "': "
              + label
              + " has "
              + (sample == null ? "no" : Integer.toString(sample.length))
              + " values; expected "
              + sampleSize
              + " (one sample of "
              + spec.shapeText()
              + ")");
    }
  }

  private static void checkShape(TensorSpec spec, long[] shape) {
    boolean matches = shape.length == spec.rank();
    for (int axis = 1; matches && axis < shape.length; axis++) {
      matches = shape[axis] == spec.shape().get(axis);
    }
    if (!matches) {
      throw new InputShapeException(
          "input '"
              + spec.name()
              + "' has shape "
              + TensorSpec.shapeText(shape)
              + "; expected "
              + spec.shapeText());
    }
    if (shape[0] == 0) {
      throw new InputShapeException(
          "input '"
              + spec.name()
              + "' is an empty batch "
              + TensorSpec.shapeText(shape)
              + "; expected "
              + spec.shapeText()
              + " with N >= 1");
    }
  }

  /**
   * Throws for the first NaN or infinity in {@code tensor}, whose rows are samples numbered from
   * {@code firstSample}; a rank-1 tensor is one sample.
   */
  private static void rejectNonFinite(TensorSpec spec, FloatTensor tensor, int firstSample) {
    FloatBuffer values = tensor.buffer();
    int limit = values.limit();
    int rowSize = tensor.rank() == 1 ? limit : tensor.rowSize();
    for (int i = 0; i < limit; i++) {
      float value = values.get(i);
      if (!Float.isFinite(value)) {
        throw new NonFiniteInputException(
            "input '"
                + spec.name()
                + "' holds "
                + value
                + " at sample "
                + (firstSample + i / rowSize)
                + ", element "
                + i % rowSize
                + "; expected finite values");
      }
    }
  }
}
