package io.heimdall.cli;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a call of our own instead of the JVM's shutdown, so that a command
 * can drain its work and return its exit code (0) rather than die with 143 or 130.
 */
final class Signals {
  private Signals() {}

  /**
   * Runs {@code onStop} on a new daemon thread at each SIGTERM or SIGINT (the signal thread must
   * not block).
   */
  static void onTerminate(Runnable onStop) {
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          signal -> {
            Thread stopper = new Thread(onStop, "heimdall-stop-on-SIG" + name);
            stopper.setDaemon(true);
            stopper.start();
          });
    }
  }
}
