package io.heimdall.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several JVMs share one Redis and one "database" (a Redis key): three child JVMs read a row
 * through their own caches as fast as they can, with loads taking 0–600 µs; this JVM updates the
 * row and invalidates it 1,000 times. After every invalidation, Redis must never again hold a value
 * of an earlier round, and at the end every JVM's cache must answer the last round.
 */
@Timeout(120)
class MultiJvmInvalidationStressTest {

  private static final int CHILDREN = 3;
  private static final int ROUNDS = 1000;
  private static final String DATABASE_KEY = "stress:database";
  private static final String STOP_KEY = "stress:stop";

  @Test
  void noJvmWritesBackAValueLoadedBeforeAnInvalidation() throws Exception {
    try (RedisFixture redis = RedisFixture.start();
        HeimdallCache<String> writer = StressReader.cache(redis.uri())) {
      CachedFunction<String, String> row = writer.wrap((String ignored) -> "unused");
      RedisCommands<String, byte[]> raw = redis.raw();
      raw.set(DATABASE_KEY, bytes("0"));
      List<Process> children = new ArrayList<>();
      List<BufferedReader> outputs = new ArrayList<>();
      try {
        for (int i = 0; i < CHILDREN; i++) {
          Process child = startChild(redis.uri());
          children.add(child);
          BufferedReader out =
              new BufferedReader(
                  new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
          outputs.add(out);
          assertThat(out.readLine()).as("child %d start-up", i).isEqualTo("ready");
        }
        String key = new KeyEncoder(StressReader.NAMESPACE, 1).redisKey(StressReader.ROW);
        int stale = 0;
        int current = 0; // rounds whose fresh value a child had already written back
        List<String> examples = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
          raw.set(DATABASE_KEY, bytes(Integer.toString(round)));
          row.invalidate(StressReader.ROW);
          // the children reload meanwhile; a stale write-back would land here
          LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(500_000, 2_000_000));
          int stored = storedRound(raw, key);
          if (stored == round) {
            current++;
          }
          if (stored >= 0 && stored < round) {
            stale++;
            if (examples.size() < 5) {
              examples.add("round " + round + " found " + stored);
            }
            raw.del(key);
          }
        }
        Thread.sleep(300);
        int last = storedRound(raw, key);
        assertThat(last).as("value in Redis after the last round").isIn(-1, ROUNDS);
        raw.set(STOP_KEY, bytes("1"));
        for (int i = 0; i < CHILDREN; i++) {
          assertThat(children.get(i).waitFor(30, TimeUnit.SECONDS)).isTrue();
          String finalRead = outputs.get(i).readLine();
          assertThat(finalRead).as("child %d's last read", i).isEqualTo("final v" + ROUNDS);
          String loads = outputs.get(i).readLine();
          assertThat(loads).as("child %d loaded many times", i).startsWith("loads ");
          assertThat(Integer.parseInt(loads.substring(6))).isGreaterThan(ROUNDS / 10);
        }
        System.out.printf(
            "%d rounds: %d stale, %d with the round's value written back by a child%n",
            ROUNDS, stale, current);
        assertThat(stale)
            .as("rounds after which Redis held an earlier round, e.g. %s", examples)
            .isZero();
        assertThat(current).as("rounds whose fresh value reached Redis").isPositive();
      } finally {
        children.forEach(Process::destroyForcibly);
      }
    }
  }

  private static int storedRound(RedisCommands<String, byte[]> raw, String key) {
    byte[] stored = raw.get(key);
    if (stored == null) {
      return -1;
    }
    String value = Envelope.decode(key, stored, ValueCodec.utf8()).value();
    return Integer.parseInt(value.substring(1));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Process startChild(String uri) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                StressReader.class.getName(),
                uri)
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
    return builder.start();
  }

  /** A child JVM: two threads read the row through a cache until the stop key appears. */
  public static final class StressReader {
    static final String NAMESPACE = "stress";
    static final String ROW = "row";

    static HeimdallCache<String> cache(String uri) {
      return HeimdallCache.builder(String.class)
          .namespace(NAMESPACE)
          .ttl(Duration.ofMinutes(5))
          .earlyRefreshBeta(0)
          .commandTimeout(Duration.ofSeconds(2))
          .redis(uri)
          .build();
    }

    /**
     * Runs the readers.
     *
     * @param args the Redis URI
     * @throws Exception if a reader fails
     */
    public static void main(String[] args) throws Exception {
      RedisClient client = RedisClient.create(args[0]);
      StatefulRedisConnection<String, String> database = client.connect();
      java.util.concurrent.atomic.AtomicInteger loads =
          new java.util.concurrent.atomic.AtomicInteger();
      try (HeimdallCache<String> cache = cache(args[0])) {
        CachedFunction<String, String> read =
            cache.wrap(
                (String row) -> {
                  String value;
                  synchronized (database) {
                    value = database.sync().get(DATABASE_KEY);
                  }
                  loads.incrementAndGet();
                  LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(600_000));
                  return "v" + value;
                });
        read.apply(ROW);
        System.out.println("ready");
        System.out.flush();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          Thread thread =
              new Thread(
                  () -> {
                    int calls = 0;
                    while (true) {
                      read.apply(ROW);
                      if (++calls % 200 == 0) {
                        Long stop;
                        synchronized (database) {
                          stop = database.sync().exists(STOP_KEY);
                        }
                        if (stop == 1) {
                          return;
                        }
                      }
                      LockSupport.parkNanos(20_000);
                    }
                  });
          thread.start();
          threads.add(thread);
        }
        for (Thread thread : threads) {
          thread.join();
        }
        Thread.sleep(200); // the last invalidation message has arrived
        System.out.println("final " + read.apply(ROW));
        System.out.println("loads " + loads.get());
      }
      database.close();
      client.shutdown();
    }
  }
}
