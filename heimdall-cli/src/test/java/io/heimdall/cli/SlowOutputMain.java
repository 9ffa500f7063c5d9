package io.heimdall.cli;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child JVM for {@link AtomicOutputSignalTest}: writes a large output through {@link
 * AtomicOutput}, says "writing" once the temporary file exists, then keeps writing slowly so that
 * a signal arrives mid-write.
 */
final class SlowOutputMain {
  private SlowOutputMain() {}

  public static void main(String[] args) throws Exception {
    AtomicOutput.write(
        Path.of(args[0]),
        file -> {
          byte[] chunk = new byte[1 << 20];
          try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 600; i++) {
              out.write(chunk);
              if (i == 0) {
                out.flush();
                System.out.println("writing " + file.getFileName());
                System.out.flush();
              }
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
            }
          }
        });
  }
}
