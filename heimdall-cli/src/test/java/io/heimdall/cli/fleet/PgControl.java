package io.heimdall.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stops and starts an embedded PostgreSQL behind its owner's back, with the server's own {@code
 * pg_ctl}: the binary next to the running postmaster, on its data directory, same port and options.
 * pg_ctl refuses to run as root; as root it runs in a new user namespace ({@code unshare -U}),
 * where it is not root and still owns the data directory.
 */
final class PgControl {
  private final Path dataDir;
  private final Path pgCtl;
  private final List<String> options;

  private PgControl(Path dataDir, Path pgCtl, List<String> options) {
    this.dataDir = dataDir;
    this.pgCtl = pgCtl;
    this.options = options;
  }

  /** Finds the server behind {@code superuserUrl}. */
  static PgControl of(String superuserUrl) throws Exception {
    Path dataDir;
    try (Connection c = DriverManager.getConnection(superuserUrl);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW data_directory")) {
      rs.next();
      dataDir = Path.of(rs.getString(1));
    }
    long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0));
    Path postgres = Files.readSymbolicLink(Path.of("/proc/" + postmaster + "/exe"));
    // postmaster.opts: "<bin>/postgres" "-D" "<dir>" "-p" "5432" ... as the server was started
    List<String> words = new ArrayList<>();
    Matcher quoted =
        Pattern.compile("\"([^\"]*)\"")
            .matcher(Files.readString(dataDir.resolve("postmaster.opts")));
    while (quoted.find()) {
      words.add(quoted.group(1));
    }
    List<String> options = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      if (words.get(i).equals("-D")) {
        i++;
      } else if (!words.get(i).endsWith("/postgres")) {
        options.add(words.get(i));
      }
    }
    return new PgControl(dataDir, postgres.resolveSibling("pg_ctl"), options);
  }

  Path dataDir() {
    return dataDir;
  }

  /** {@code pg_ctl stop -m immediate}: every backend dies at once, as in a crash. */
  void stopImmediately() throws Exception {
    pgCtl("stop", "-D", dataDir.toString(), "-m", "immediate", "-w");
  }

  /** {@code pg_ctl start} with the options the server last ran with (same port). */
  void start() throws Exception {
    Path log = Files.createTempFile("heimdall-pg", ".log");
    log.toFile().deleteOnExit();
    pgCtl(
        "start",
        "-D",
        dataDir.toString(),
        "-w",
        "-l",
        log.toString(),
        "-o",
        String.join(" ", options.stream().map(o -> "'" + o + "'").toList()));
  }

  private void pgCtl(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("unshare", "-U"));
    }
    command.add(pgCtl.toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("heimdall-pgctl", ".out");
    out.toFile().deleteOnExit();
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", command, read(out)).isZero();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
