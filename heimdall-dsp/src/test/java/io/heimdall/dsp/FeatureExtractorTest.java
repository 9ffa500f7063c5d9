package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class FeatureExtractorTest {

  static final MelSpectrogram MEL =
      MelSpectrogram.builder().sampleRate(8000).nFft(256).hop(64).nMels(20).build();

  static List<float[]> signals(int count, int length) {
    List<float[]> out = new ArrayList<>();
    for (int s = 0; s < count; s++) {
      float[] x = new float[length];
      for (int i = 0; i < length; i++) {
        x[i] = (float) Math.sin(i * (0.01 + 0.013 * s)) * (1 + s);
      }
      out.add(x);
    }
    return out;
  }

  static float[] row(FloatBuffer buffer, int index, int size) {
    float[] out = new float[size];
    buffer.get(index, out);
    return out;
  }

  @Test
  void batchEqualsOneSignalAtATimeInADirectNativeBuffer() {
    List<float[]> signals = signals(9, 3000);
    try (FeatureExtractor extractor = FeatureExtractor.builder(MEL).parallelism(3).build()) {
      FloatBuffer features = extractor.extract(signals);
      assertThat(features.isDirect()).isTrue();
      assertThat(features.order()).isEqualTo(ByteOrder.nativeOrder());
      assertThat(extractor.outputShape(9, 3000)).containsExactly(9, 20, MEL.frames(3000));
      int size = MEL.outputSize(3000);
      assertThat(features.capacity()).isEqualTo(9 * size);
      for (int s = 0; s < 9; s++) {
        assertThat(row(features, s * size, size))
            .as("signal %d", s)
            .containsExactly(MEL.compute(signals.get(s)));
      }
    }
  }

  @Test
  void decibelsAreAppliedPerSpectrogram() {
    List<float[]> signals = signals(4, 2000);
    try (FeatureExtractor extractor =
        FeatureExtractor.builder(MEL).decibels(PowerToDb.relativeToMax()).parallelism(2).build()) {
      FloatBuffer features = extractor.extract(signals);
      int size = MEL.outputSize(2000);
      for (int s = 0; s < 4; s++) {
        float[] expected = PowerToDb.relativeToMax().applyInPlace(MEL.compute(signals.get(s)));
        assertThat(row(features, s * size, size)).containsExactly(expected);
      }
    }
  }

  @Test
  void readsRowsOfABufferLikeAnNpyBatch() {
    List<float[]> signals = signals(5, 1500);
    FloatBuffer rows = FloatBuffer.allocate(5 * 1500 + 7);
    rows.position(7);
    for (float[] s : signals) {
      rows.put(s);
    }
    rows.position(7);
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try (FeatureExtractor extractor =
        FeatureExtractor.builder(MEL).executor(callers).parallelism(3).build()) {
      FloatBuffer fromRows = extractor.extract(rows.asReadOnlyBuffer(), 5, 1500);
      FloatBuffer fromList = extractor.extract(signals);
      assertThat(fromRows).isEqualTo(fromList);
    } finally {
      assertThat(callers.isShutdown()).as("a caller's executor is not shut down").isFalse();
      callers.shutdownNow();
    }
  }

  @Test
  void errorsNameTheSignal() {
    List<float[]> signals = signals(6, 1000);
    signals.get(4)[321] = Float.NaN;
    try (FeatureExtractor extractor = FeatureExtractor.builder(MEL).parallelism(2).build()) {
      assertThatThrownBy(() -> extractor.extract(signals))
          .isInstanceOf(NonFiniteSampleException.class)
          .hasMessage("signal 4 holds NaN at index 321 (expected finite samples)");
      List<float[]> uneven = signals(3, 1000);
      uneven.set(2, new float[999]);
      assertThatThrownBy(() -> extractor.extract(uneven))
          .isInstanceOf(DspException.class)
          .hasMessageContaining("signal 2 has 999 samples, expected 1000");
      assertThatThrownBy(() -> extractor.extract(List.of())).hasMessageContaining("no signals");
      assertThatThrownBy(() -> extractor.extract(FloatBuffer.allocate(10), 2, 6))
          .hasMessageContaining("2 signals of 6 samples need 12 floats, the buffer has 10");
    }
  }

  @Test
  void closedExtractorRefusesWorkAndLeavesNoThreads() throws InterruptedException {
    FeatureExtractor extractor = FeatureExtractor.builder(MEL).parallelism(4).build();
    extractor.extract(signals(8, 1000));
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.getName().startsWith("heimdall-dsp-"))
        .isNotEmpty()
        .allMatch(Thread::isDaemon);
    extractor.close();
    assertThatThrownBy(() -> extractor.extract(signals(1, 1000)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    for (int i = 0;
        i < 50
            && Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("heimdall-dsp-"));
        i++) {
      Thread.sleep(20);
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("heimdall-dsp-"));
  }

  @Test
  void steadyStateAllocatesAlmostNothingPerSignal() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    List<float[]> signals = signals(32, 22050);
    // The scalar path: the vector kernel's FloatVectors are only scalar-replaced once C2 has
    // compiled it, which a test this short does not reach. Its steady state is measured by JMH
    // (MelSpectrogramBench.single10sVector with -prof gc: about 25 bytes per spectrogram).
    MelSpectrogram mel = BlockFftTest.scalarPath(MelSpectrogram.builder());
    try (FeatureExtractor extractor = FeatureExtractor.builder(mel).parallelism(1).build()) {
      FloatBuffer out = extractor.extract(signals);
      extractor.extractInto(signals, out);
      long before = threads.getCurrentThreadAllocatedBytes();
      extractor.extractInto(signals, out);
      long perSignal = (threads.getCurrentThreadAllocatedBytes() - before) / signals.size();
      // one spectrogram is 128 × 44 floats = 22 KB; the per-signal overhead is a label string
      assertThat(perSignal).as("bytes allocated per signal").isLessThan(256);
    }
  }
}
