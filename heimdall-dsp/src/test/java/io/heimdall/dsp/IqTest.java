package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.heimdall.npy.Npy;
import io.heimdall.npy.NpyArray;
import io.heimdall.npy.NpyFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IqTest {

  @TempDir Path dir;

  static ComplexSignal tone(
      double hz, double amplitude, double fs, int n, double noise, long seed) {
    Random random = new Random(seed);
    float[] iq = new float[2 * n];
    for (int i = 0; i < n; i++) {
      double phase = 2 * Math.PI * hz * i / fs;
      iq[2 * i] = (float) (amplitude * Math.cos(phase) + noise * random.nextGaussian());
      iq[2 * i + 1] = (float) (amplitude * Math.sin(phase) + noise * random.nextGaussian());
    }
    return ComplexSignal.wrapInterleaved(iq);
  }

  static ComplexSignal fm(
      double carrierHz,
      double deviationHz,
      double audioHz,
      double amplitude,
      double fs,
      int n,
      double noise) {
    Random random = new Random(77);
    float[] iq = new float[2 * n];
    for (int i = 0; i < n; i++) {
      double t = i / fs;
      double phase =
          2 * Math.PI * carrierHz * t + deviationHz / audioHz * Math.sin(2 * Math.PI * audioHz * t);
      iq[2 * i] = (float) (amplitude * Math.cos(phase) + noise * random.nextGaussian());
      iq[2 * i + 1] = (float) (amplitude * Math.sin(phase) + noise * random.nextGaussian());
    }
    return ComplexSignal.wrapInterleaved(iq);
  }

  @Test
  void readsEveryRawFormatWithItsScaling() throws IOException {
    ByteBuffer cs16 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    cs16.putShort((short) 32767)
        .putShort((short) -32768)
        .putShort((short) 0)
        .putShort((short) 16384);
    Path cs16File = Files.write(dir.resolve("rec.cs16"), cs16.array());
    ComplexSignal a = IqFile.read(cs16File);
    assertThat(a.length()).isEqualTo(2);
    // SigMF scaling: int16 / 32768, so -32768 is exactly -1
    assertThat(a.toInterleavedArray()).containsExactly(32767f / 32768f, -1f, 0f, 0.5f);

    Path cu8 =
        Files.write(dir.resolve("rec.cu8"), new byte[] {0, (byte) 255, (byte) 127, (byte) 128});
    assertThat(IqFile.read(cu8).toInterleavedArray())
        .containsExactly(-127.5f / 128f, 127.5f / 128f, -0.5f / 128f, 0.5f / 128f);

    Path cs8 = Files.write(dir.resolve("rec.cs8"), new byte[] {127, -127, 0, -128});
    assertThat(IqFile.read(cs8).toInterleavedArray())
        .containsExactly(127f / 128f, -127f / 128f, 0f, -1f);

    ByteBuffer cf32 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    cf32.putFloat(0.25f).putFloat(-0.5f).putFloat(3f).putFloat(-4f);
    Path c64 = Files.write(dir.resolve("rec.c64"), cf32.array());
    assertThat(IqFile.read(c64).toInterleavedArray()).containsExactly(0.25f, -0.5f, 3f, -4f);
    Path noExtension = Files.write(dir.resolve("recording"), cf32.array());
    assertThat(IqFile.read(noExtension, IqFormat.named("CF32")).re(1)).isEqualTo(3f);
  }

  @Test
  void readsNpyComplexVectorsAndFloatPairs() throws IOException {
    Path complex = dir.resolve("a.npy");
    Npy.write(complex, NpyArray.ofComplex(new float[] {1, 2, 3, 4, 5, 6}, 3));
    assertThat(IqFile.read(complex).imaginary()).containsExactly(2, 4, 6);
    Path pairs = dir.resolve("b.npy");
    Npy.write(pairs, NpyArray.ofFloats(new float[] {1, 2, 3, 4}, 2, 2));
    assertThat(IqFile.read(pairs).real()).containsExactly(1, 3);
    Path wrongShape = dir.resolve("c.npy");
    Npy.write(wrongShape, NpyArray.ofFloats(new float[] {1, 2, 3}, 3));
    assertThatThrownBy(() -> IqFile.read(wrongShape))
        .isInstanceOf(DspException.class)
        .hasMessageContaining("complex64 [n] or float32 [n, 2], got <f4 [3]");
    Path corrupt = Files.writeString(dir.resolve("d.npy"), "garbage");
    assertThatThrownBy(() -> IqFile.read(corrupt)).isInstanceOf(NpyFormatException.class);
  }

  @Test
  void rejectsOddByteCountsEmptyFilesAndUnknownExtensions() throws IOException {
    Path odd = Files.write(dir.resolve("odd.cs16"), new byte[6]);
    assertThatThrownBy(() -> IqFile.read(odd))
        .isInstanceOf(PartialSampleException.class)
        .isInstanceOf(io.heimdall.InvalidInputException.class)
        .hasMessageContaining("has 6 bytes, not a multiple of 4");
    Path oddU8 = Files.write(dir.resolve("odd.cu8"), new byte[3]);
    assertThatThrownBy(() -> IqFile.read(oddU8))
        .hasMessageContaining("3 bytes, not a multiple of 2");
    // a truncated .cf32 is bad input of the SDK's kind, not a bare IllegalArgumentException
    Path truncated = Files.write(dir.resolve("cut.cf32"), new byte[12]);
    assertThatThrownBy(() -> IqFile.read(truncated))
        .isInstanceOf(PartialSampleException.class)
        .isInstanceOf(io.heimdall.HeimdallException.class)
        .isNotInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            truncated + " has 12 bytes, not a multiple of 8 (one cf32 I/Q sample): truncated or"
                + " not cf32");
    Path empty = Files.write(dir.resolve("empty.cf32"), new byte[0]);
    assertThatThrownBy(() -> IqFile.read(empty))
        .isInstanceOf(RecordingFormatException.class)
        .hasMessage(empty + " is empty (expected cf32 I/Q samples)");
    Path wav = Files.write(dir.resolve("x.wav"), new byte[4]);
    assertThatThrownBy(() -> IqFile.read(wav)).hasMessageContaining("from its extension");
    assertThatThrownBy(() -> IqFormat.named("s16")).hasMessageContaining("unknown IQ format 's16'");
  }

  @Test
  void welchIntegratesToTheSignalPower() {
    ComplexSignal noise = tone(0, 0, 1, 64_000, 0.3, 9);
    WelchPsd psd = WelchPsd.compute(noise, 20_000, 1024);
    double integral = 0;
    for (double d : psd.densities()) {
      integral += d * 20_000 / psd.bins();
    }
    assertThat(integral).isCloseTo(2 * 0.09, within(0.005));
  }

  @Test
  void conversionsAndViews() {
    assertThat(ComplexSignal.fromInt16(new short[] {16384, -32768}).toInterleavedArray())
        .containsExactly(0.5f, -1f);
    assertThat(ComplexSignal.fromDoubles(new double[] {0.1, 0.2}).re(0)).isEqualTo(0.1f);
    ComplexSignal signal = ComplexSignal.of(new float[] {1, 2, 3}, new float[] {4, 5, 6});
    ComplexSignal tail = signal.slice(1, 3);
    assertThat(tail.length()).isEqualTo(2);
    assertThat(tail.re(0)).isEqualTo(2);
    assertThat(tail.im(1)).isEqualTo(6);
    float[] backing = {1, 2, 3, 4, 5, 6};
    ComplexSignal view = ComplexSignal.wrapInterleaved(backing, 1, 2);
    backing[2] = 9;
    assertThat(view.re(0)).as("views share the array").isEqualTo(9);
    assertThatThrownBy(() -> ComplexSignal.wrapInterleaved(new float[3]))
        .hasMessageContaining("even number of floats, got 3");
    assertThatThrownBy(() -> tail.re(2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(FloatSignal.fromDoubles(new double[] {0.5, 1e-50}).toArray())
        .containsExactly(0.5f, 0f);
  }

  @Test
  void frequencyShiftMovesAToneToBaseband() {
    double fs = 50_000;
    int n = 300_000;
    ComplexSignal shifted = tone(12_345, 1, fs, n, 0, 1).shifted(-12_345, fs);
    for (int i : new int[] {0, 1, 1023, 1024, 150_000, n - 1}) {
      assertThat(shifted.re(i)).as("re %d", i).isCloseTo(1f, within(2e-5f));
      assertThat(shifted.im(i)).as("im %d", i).isCloseTo(0f, within(2e-5f));
    }
  }

  @Test
  void realFloat32FilesReadWithTheSameChecksAsIq(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path audio = dir.resolve("a.f32");
    java.nio.ByteBuffer bytes =
        java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    bytes.putFloat(0.5f).putFloat(-1f).putFloat(3.25f);
    java.nio.file.Files.write(audio, bytes.array());
    assertThat(IqFile.readReal(audio).toArray()).containsExactly(0.5f, -1f, 3.25f);

    java.nio.file.Path cut = dir.resolve("cut.f32");
    java.nio.file.Files.write(cut, new byte[6]);
    assertThatThrownBy(() -> IqFile.readReal(cut))
        .isInstanceOf(PartialSampleException.class)
        .hasMessage(
            cut + " has 6 bytes, not a multiple of 4 (one f32 real sample): truncated or not f32");
  }
}
