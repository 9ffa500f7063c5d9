package io.heimdall.cli;

import io.heimdall.InvalidInputException;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --give-up DURATION}: how long a command waits out an unreachable database (retrying with a
 * backoff) before it fails with exit code 1. Mixed into {@code demo} and {@code worker}.
 */
public final class GiveUpOption {

  @Option(
      names = "--give-up",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long to wait out an unreachable database before failing (default 60s).")
  Duration giveUp = Duration.ofSeconds(60);

  /** Creates the option at its default; picocli sets it. */
  public GiveUpOption() {}

  /**
   * The give-up time.
   *
   * @return at least 1 s
   * @throws InvalidInputException if it is shorter than 1 s
   */
  public Duration value() {
    if (giveUp.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new InvalidInputException("--give-up must be at least 1s, got " + giveUp);
    }
    return giveUp;
  }
}
