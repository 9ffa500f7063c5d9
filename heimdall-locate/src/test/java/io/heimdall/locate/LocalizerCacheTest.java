package io.heimdall.locate;

import static org.assertj.core.api.Assertions.assertThat;

import io.heimdall.inference.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Graphs cached per receiver set: with room for one, alternating sets from several threads (so
 * models are evicted while others run) gives the same estimates as a localiser that keeps them all,
 * and readings in another order give the same estimate (stations are matched by id).
 */
class LocalizerCacheTest {

  @Test
  void evictionUnderConcurrentUseChangesNoEstimate() throws Exception {
    Scenario turin = Scenario.turin();
    List<List<Reading>> seven = Scenario.readings(turin.draw(3, 8, 3, 0));
    List<List<Reading>> five = new ArrayList<>();
    for (List<Reading> readings : seven) {
      five.add(readings.subList(0, 5));
    }
    List<LocationEstimate> wantSeven;
    List<LocationEstimate> wantFive;
    try (Localizer roomy = Localizer.builder().device(Device.CPU).build()) {
      wantSeven = roomy.locateAll(turin.area, seven);
      wantFive = roomy.locateAll(turin.area, five);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (Localizer tight = Localizer.builder().device(Device.CPU).maxCachedModels(1).build()) {
      List<Future<Boolean>> runs = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        boolean odd = i % 2 == 1;
        runs.add(
            pool.submit(
                () ->
                    odd
                        ? tight.locateAll(turin.area, five).equals(wantFive)
                        : tight.locateAll(turin.area, seven).equals(wantSeven)));
      }
      for (Future<Boolean> run : runs) {
        assertThat(run.get()).isTrue();
      }
      List<Reading> reversed = new ArrayList<>(seven.get(0));
      java.util.Collections.reverse(reversed);
      assertThat(tight.locate(turin.area, reversed)).isEqualTo(wantSeven.get(0));
    } finally {
      pool.shutdown();
    }
  }
}
