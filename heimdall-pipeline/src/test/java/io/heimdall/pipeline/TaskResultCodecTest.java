package io.heimdall.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heimdall.core.TaskResult;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskResultCodecTest {

  @Test
  void everyFieldSurvivesTheRoundTrip() {
    TaskResult full =
        TaskResult.builder(UUID.randomUUID(), 45.07, 7.69)
            .altitudeM(240.5)
            .uncertaintyM(1234.5, 2345.25)
            .confidence(0.42)
            .covarianceM2(4.0e6, -1.5e6, 9.0e6)
            .regionLevel(0.9)
            .algorithmVersion("weighted-centroid-v1")
            .processingTimeMs(87)
            .stationsUsed(7)
            .measurementsUsed(7)
            .createdAt(Instant.parse("2026-11-26T15:30:00.123456Z"))
            .build();
    assertThat(TaskResultCodec.INSTANCE.decode(TaskResultCodec.INSTANCE.encode(full)))
        .isEqualTo(full);

    TaskResult sparse = TaskResult.builder(UUID.randomUUID(), -33.9, 151.2).build();
    assertThat(TaskResultCodec.INSTANCE.decode(TaskResultCodec.INSTANCE.encode(sparse)))
        .isEqualTo(sparse);
  }

  @Test
  void corruptBytesAreRejected() {
    byte[] good =
        TaskResultCodec.INSTANCE.encode(TaskResult.builder(UUID.randomUUID(), 1, 2).build());
    assertThatThrownBy(() -> TaskResultCodec.INSTANCE.decode(Arrays.copyOf(good, good.length - 3)))
        .hasMessageContaining("truncated");
    byte[] otherVersion = good.clone();
    otherVersion[0] = 9;
    assertThatThrownBy(() -> TaskResultCodec.INSTANCE.decode(otherVersion))
        .hasMessageContaining("format 9");
    assertThatThrownBy(() -> TaskResultCodec.INSTANCE.decode(Arrays.copyOf(good, good.length + 2)))
        .hasMessageContaining("trailing");
  }
}
