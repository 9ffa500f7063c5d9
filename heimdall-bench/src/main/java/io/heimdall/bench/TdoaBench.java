package io.heimdall.bench;

import io.heimdall.locate.LocationEstimate;
import io.heimdall.locate.SearchArea;
import io.heimdall.locate.Station;
import io.heimdall.locate.tdoa.TdoaLocalizer;
import io.heimdall.locate.tdoa.TimedRecording;
import io.heimdall.pipeline.simulation.ReferenceStations;
import io.heimdall.pipeline.simulation.SynchronizedRecordings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Time-difference-of-arrival localisation of one transmission recorded by eight receivers (the
 * demo's seven and Cuneo) for 2 s at 12.5 kHz, on one thread: FM demodulation, the seven FFT
 * cross-correlations against the reference with their sub-sample refinement and variances, the grid
 * start and the Levenberg–Marquardt solve.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Threads(1)
public class TdoaBench {

  static final SearchArea TURIN = new SearchArea(45.0703, 7.6869, 40_000);

  List<TimedRecording> recordings;
  TdoaLocalizer localizer;

  @Setup
  public void setUp() {
    List<Station> stations = new ArrayList<>(ReferenceStations.ALL);
    stations.add(Station.of("cuneo", "Cuneo", 44.384, 7.542));
    SynchronizedRecordings sim =
        SynchronizedRecordings.builder().seed(1).stations(stations).durationSeconds(2).build();
    recordings = sim.simulate(0).recordings();
    localizer = TdoaLocalizer.builder().build();
  }

  @Benchmark
  public LocationEstimate locateEightReceivers() {
    return localizer.locate(TURIN, recordings);
  }
}
