package io.heimdall.core.db;

import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.TaskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * Main class of the child JVMs that {@link ChildJvm} starts. Talks to its parent through stdout
 * lines and a "go" file.
 *
 * <ul>
 *   <li>{@code migrate <jdbcUrl> <goFile>}: prints {@code READY}, waits for the go file, migrates,
 *       prints {@code APPLIED <n>}.
 *   <li>{@code complete-and-hang <jdbcUrl> <measurements>}: claims a task with a 2 s lease, prints
 *       {@code CLAIMED <id>}, calls {@link TaskQueue#complete} with that many measurements and,
 *       once COPY has sent them all but before the result is inserted and the transaction commits,
 *       prints {@code WRITTEN <n>} and blocks until it is killed.
 * </ul>
 */
public final class ChildMain {
  private ChildMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[1];
    switch (args[0]) {
      case "migrate" -> migrate(url, Path.of(args[2]));
      case "complete-and-hang" -> completeAndHang(url, Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void migrate(String url, Path go) throws InterruptedException {
    try (DatabasePool pool =
        DatabasePool.builder().jdbcUrl(url).maximumPoolSize(2).minimumIdle(0).build()) {
      say("READY");
      while (!Files.exists(go)) {
        Thread.sleep(2);
      }
      say("APPLIED " + Migrations.migrate(pool.dataSource()));
    }
  }

  private static void completeAndHang(String url, int count) {
    DatabasePool pool =
        DatabasePool.builder().jdbcUrl(url).maximumPoolSize(2).poolName("doomed").build();
    HeimdallDatabase db = HeimdallDatabase.open(pool);
    TaskQueue queue = db.queue(new QueueOptions(Duration.ofSeconds(2), 3));
    ClaimedTask claim = queue.claim("doomed-worker").orElseThrow();
    UUID taskId = claim.task().id();
    say("CLAIMED " + taskId);
    List<SignalMeasurement> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      rows.add(
          SignalMeasurement.builder(taskId, "st" + (i % 7), 144 + i * 1e-4)
              .snrDb(0.1 * i)
              .build());
    }
    queue.complete(claim, TaskResult.builder(taskId, 45, 7).build(), hangAfterSecondPass(rows));
    say("COMMITTED"); // never reached: the parent kills this JVM first
  }

  /**
   * The rows, but the second pass over them (the first is complete()'s argument check, the second
   * is the COPY stream) blocks after the last row instead of ending: COPY has sent every row to the
   * server and the task row is already updated, in a transaction that has not committed.
   */
  private static Collection<SignalMeasurement> hangAfterSecondPass(List<SignalMeasurement> rows) {
    return new AbstractCollection<>() {
      private int passes;

      @Override
      public Iterator<SignalMeasurement> iterator() {
        boolean hang = ++passes == 2;
        Iterator<SignalMeasurement> inner = rows.iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            if (!inner.hasNext() && hang) {
              say("WRITTEN " + rows.size());
              while (true) {
                try {
                  Thread.sleep(60_000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            }
            return inner.hasNext();
          }

          @Override
          public SignalMeasurement next() {
            return inner.next();
          }
        };
      }

      @Override
      public int size() {
        return rows.size();
      }
    };
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
