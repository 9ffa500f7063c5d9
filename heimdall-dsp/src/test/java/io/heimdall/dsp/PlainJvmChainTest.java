package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.heimdall.dsp.internal.BlockFft;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver chain on a plain JVM (a child started without {@code --add-modules
 * jdk.incubator.vector}: JTransforms FFTs and scalar loops) against the same chain in this JVM
 * (the Vector API kernels): the same recording gives the same spectrogram, metrics and quality
 * score within float rounding.
 */
class PlainJvmChainTest {

  @Test
  void aPlainJvmComputesWhatTheVectorKernelsCompute(@TempDir Path dir) throws Exception {
    assertThat(BlockFft.forSize(2048)).as("this JVM has the vector kernels").isNotNull();
    Path childOutput = dir.resolve("plain.bin");
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    classPath,
                    PlainJvmChainTest.class.getName(),
                    childOutput.toString()))
            .redirectErrorStream(true)
            .start();
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
    String log = new String(child.getInputStream().readAllBytes());
    assertThat(child.exitValue()).as(log).isZero();
    assertThat(log).contains("vector kernels: false");

    Path vectorOutput = dir.resolve("vector.bin");
    main(new String[] {vectorOutput.toString()});
    try (DataInputStream plain = new DataInputStream(Files.newInputStream(childOutput));
        DataInputStream vector = new DataInputStream(Files.newInputStream(vectorOutput))) {
      assertThat(vector.readDouble()).as("SNR dB").isCloseTo(plain.readDouble(), within(1e-3));
      assertThat(vector.readDouble()).as("offset Hz").isCloseTo(plain.readDouble(), within(1e-3));
      assertThat(vector.readDouble()).as("quality").isCloseTo(plain.readDouble(), within(1e-5));
      int size = plain.readInt();
      assertThat(vector.readInt()).isEqualTo(size);
      float[] expected = new float[size];
      float max = 0;
      for (int i = 0; i < size; i++) {
        expected[i] = plain.readFloat();
        max = Math.max(max, expected[i]);
      }
      for (int i = 0; i < size; i++) {
        // float FFTs and sums in another order: relative to the spectrogram's largest value
        assertThat(vector.readFloat())
            .as("mel value %d", i)
            .isCloseTo(expected[i], within(1e-5f * max + 1e-4f * expected[i]));
      }
    }
  }

  /**
   * Writes the chain's SNR, offset, quality and spectrogram of a fixed 10 s FM recording to
   * {@code args[0]}; the parent test runs it in a child JVM and in its own.
   *
   * @param args the output file
   * @throws IOException if the file cannot be written
   */
  public static void main(String[] args) throws IOException {
    System.out.println("vector kernels: " + (BlockFft.forSize(2048) != null));
    ReceiverChain chain = ReceiverChain.builder().build();
    float[] mel = new float[chain.melSize()];
    ReceiverChain.Features features = chain.process(fmRecording(), mel, 0);
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(Path.of(args[0])))) {
      out.writeDouble(features.metrics().snrDb());
      out.writeDouble(features.metrics().frequencyOffsetHz());
      out.writeDouble(features.quality());
      out.writeInt(mel.length);
      for (float value : mel) {
        out.writeFloat(value);
      }
    }
  }

  /** Three tones at 2.5 kHz deviation, carrier +800 Hz, noise 20 dB down, 12.5 kHz, 10 s. */
  private static ComplexSignal fmRecording() {
    Random random = new Random(5);
    int samples = 125_000;
    float[] iq = new float[2 * samples];
    double phase = 0;
    for (int i = 0; i < samples; i++) {
      double t = i / 12_500.0;
      double audio =
          0.5 * Math.sin(2 * Math.PI * 440 * t)
              + 0.3 * Math.sin(2 * Math.PI * 1_250 * t + 1)
              + 0.2 * Math.sin(2 * Math.PI * 2_100 * t);
      phase += 2 * Math.PI * (800 + 2_500 * audio) / 12_500;
      iq[2 * i] = (float) (0.3 * Math.cos(phase) + 0.03 * random.nextGaussian());
      iq[2 * i + 1] = (float) (0.3 * Math.sin(phase) + 0.03 * random.nextGaussian());
    }
    return ComplexSignal.wrapInterleaved(iq);
  }
}
