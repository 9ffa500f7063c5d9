package io.heimdall.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedWarningTest {

  @Test
  void logsOncePerInterval() throws InterruptedException {
    RateLimitedWarning warning =
        new RateLimitedWarning(LoggerFactory.getLogger(getClass()), 200, TimeUnit.MILLISECONDS);
    RuntimeException cause = new RuntimeException("connection refused");
    assertThat(warning.warn("redis down", cause)).isTrue();
    int logged = 0;
    for (int i = 0; i < 1000; i++) {
      logged += warning.warn("redis down", cause) ? 1 : 0;
    }
    assertThat(logged).isZero();
    Thread.sleep(250);
    assertThat(warning.warn("redis down", cause)).isTrue();
    assertThat(warning.warn("redis down", cause)).isFalse();
  }
}
