/** Batched ONNX Runtime inference and the dynamic micro-batcher. */
package io.heimdall.inference;
