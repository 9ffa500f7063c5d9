package io.heimdall.dsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reference vectors made with librosa/NumPy, in {@code testdata/golden} of the repository (override
 * with {@code -Dheimdall.golden=DIR}). Tests fail, not skip, when they are missing.
 */
final class Golden {

  private Golden() {}

  static Path dir() {
    String override = System.getProperty("heimdall.golden");
    Path dir =
        override != null
            ? Path.of(override)
            : Path.of("").toAbsolutePath().resolve("../testdata/golden").normalize();
    assertThat(dir.resolve("manifest.json"))
        .as("golden reference files (set -Dheimdall.golden=DIR if they live elsewhere)")
        .exists();
    return dir;
  }

  static float[] floats(String name) {
    ByteBuffer bytes = bytes(name);
    float[] out = new float[bytes.remaining() / Float.BYTES];
    bytes.asFloatBuffer().get(out);
    return out;
  }

  static double[] doubles(String name) {
    ByteBuffer bytes = bytes(name);
    double[] out = new double[bytes.remaining() / Double.BYTES];
    bytes.asDoubleBuffer().get(out);
    return out;
  }

  private static ByteBuffer bytes(String name) {
    try {
      return ByteBuffer.wrap(Files.readAllBytes(dir().resolve(name)))
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
