package io.heimdall.inference;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The chunking policy of one engine: a batch larger than {@code maxBatchSize} runs as consecutive
 * chunks whose outputs are concatenated in order. Chunks of tensors are views (no copy); rows given
 * as {@code float[][]} are packed into direct buffers of one chunk, kept for reuse, one per caller
 * running at the same time, so that steady traffic allocates no native memory.
 */
final class BatchChunker {

  /** Runs one chunk of at most {@code maxBatchSize} samples. */
  @FunctionalInterface
  interface ChunkRunner {
    InferenceResult run(Map<String, FloatTensor> chunk, int batch);
  }

  private final int maxBatchSize;
  private final ConcurrentLinkedQueue<FloatTensor> scratch = new ConcurrentLinkedQueue<>();

  BatchChunker(int maxBatchSize) {
    this.maxBatchSize = maxBatchSize;
  }

  int maxBatchSize() {
    return maxBatchSize;
  }

  /** Runs validated named inputs of {@code batch} samples, chunk by chunk. */
  InferenceResult run(Map<String, FloatTensor> inputs, int batch, ChunkRunner runner) {
    if (batch <= maxBatchSize) {
      return runner.run(inputs, batch);
    }
    List<InferenceResult> parts = new ArrayList<>();
    for (int start = 0; start < batch; start += maxBatchSize) {
      int end = Math.min(batch, start + maxBatchSize);
      Map<String, FloatTensor> chunk = new LinkedHashMap<>();
      for (Map.Entry<String, FloatTensor> input : inputs.entrySet()) {
        chunk.put(input.getKey(), input.getValue().rows(start, end));
      }
      parts.add(runner.run(chunk, end - start));
    }
    return concat(parts, batch);
  }

  /** Runs validated rows (one sample each) of the single input {@code spec}, chunk by chunk. */
  InferenceResult runRows(TensorSpec spec, float[][] samples, ChunkRunner runner) {
    FloatTensor buffer = borrowScratch(spec);
    try {
      List<InferenceResult> parts = new ArrayList<>();
      for (int start = 0; start < samples.length; start += maxBatchSize) {
        int count = Math.min(maxBatchSize, samples.length - start);
        FloatBuffer target = buffer.writableBuffer();
        for (int i = 0; i < count; i++) {
          target.put(samples[start + i]);
        }
        parts.add(runner.run(Map.of(spec.name(), buffer.rows(0, count)), count));
      }
      return parts.size() == 1 ? parts.get(0) : concat(parts, samples.length);
    } finally {
      scratch.offer(buffer);
    }
  }

  /** Drops the reusable buffers (the engine is closing). */
  void clear() {
    scratch.clear();
  }

  private FloatTensor borrowScratch(TensorSpec spec) {
    FloatTensor buffer = scratch.poll();
    if (buffer != null) {
      return buffer;
    }
    long[] shape = spec.dims();
    shape[0] = maxBatchSize;
    return FloatTensor.allocateDirect(shape);
  }

  private static InferenceResult concat(List<InferenceResult> parts, int batch) {
    Map<String, FloatTensor> outputs = new LinkedHashMap<>();
    for (String name : parts.get(0).outputNames()) {
      long[] shape = parts.get(0).output(name).shape();
      shape[0] = batch;
      float[] all = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
      int offset = 0;
      for (InferenceResult part : parts) {
        FloatBuffer values = part.output(name).buffer();
        int count = values.remaining();
        values.get(all, offset, count);
        offset += count;
      }
      outputs.put(name, FloatTensor.owning(all, shape));
    }
    return new InferenceResult(outputs, batch);
  }
}
