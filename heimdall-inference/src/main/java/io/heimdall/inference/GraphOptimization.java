package io.heimdall.inference;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/** ONNX Runtime graph optimisation level applied when a session is created. */
public enum GraphOptimization {
  /** No graph rewriting. */
  NONE(OptLevel.NO_OPT),
  /** Constant folding and redundant-node elimination. */
  BASIC(OptLevel.BASIC_OPT),
  /** BASIC plus node fusions (Conv+ReLU, GEMM+activation, ...). */
  EXTENDED(OptLevel.EXTENDED_OPT),
  /** Every optimisation, layout changes included (the default). */
  ALL(OptLevel.ALL_OPT);

  private final OptLevel level;

  GraphOptimization(OptLevel level) {
    this.level = level;
  }

  OptLevel ortLevel() {
    return level;
  }
}
