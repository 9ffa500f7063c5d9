package io.heimdall.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The guide's {@code GZipMiddleware(minimum_size=1000)}: what gzip saves in bytes and costs in time
 * on Heimdall's API responses, each serialised by Jackson as an API would.
 *
 * <ul>
 *   <li>{@code json}: the response as sent uncompressed (the baseline).
 *   <li>{@code jsonGzip}: the same response serialised, then gzipped with a new deflater per
 *       response (as a server filter does) at {@code level} 1 (fastest) or 6 (zlib's default).
 * </ul>
 *
 * Payloads ({@code payload}): {@code result} is one task result (about 500 bytes, below the guide's
 * 1000-byte threshold, to show why the threshold exists); {@code results50} a page of 50 results;
 * {@code details50} a page of 50 tasks with their result and seven measurements each. {@link
 * PayloadBytes} counts the bytes of every body produced, so the report gives the compression ratio
 * next to the time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CompressionBench {

  /** One response body, as records ready to serialise. */
  @State(Scope.Benchmark)
  public static class Response {
    @Param({"result", "results50", "details50"})
    String payload;

    Object body;

    @Setup
    public void build() {
      body =
          switch (payload) {
            case "result" -> ApiFixtures.results(1, 7).get(0);
            case "results50" -> ApiFixtures.results(50, 7);
            case "details50" -> ApiFixtures.completedTasks(50, 7);
            default ->
                throw new IllegalArgumentException(
                    "unknown payload '" + payload + "', expected result, results50 or details50");
          };
    }
  }

  /** The deflate level of the compressing filter. */
  @State(Scope.Benchmark)
  public static class Compression {
    @Param({"1", "6"})
    int level;
  }

  @Benchmark
  public byte[] json(Response response, PayloadBytes bytes) {
    return bytes.count(ApiFixtures.json(response.body));
  }

  @Benchmark
  public byte[] jsonGzip(Response response, Compression compression, PayloadBytes bytes) {
    return bytes.count(ApiFixtures.gzip(ApiFixtures.json(response.body), compression.level));
  }
}
