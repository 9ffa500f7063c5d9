package io.heimdall.cli;

import io.heimdall.InvalidInputException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a command's output files all or nothing: each file's content goes to a hidden temporary
 * file beside its target ({@code .NAME.RANDOM.part}), and only when every one is complete are they
 * moved into place. A failure, or SIGTERM/SIGINT, leaves the old files as they were and no
 * temporary file behind.
 *
 * <pre>{@code
 * try (AtomicOutput out = AtomicOutput.open()) {
 *   out.stage(positions, file -> Npy.write(file, a));
 *   out.stage(uncertainties, file -> Npy.write(file, b));
 *   out.commit();
 * }
 * }</pre>
 *
 * <p>Targets are checked before anything is written. A missing directory, a directory or special
 * file as target, and an existing read-only file are bad input ({@link InvalidInputException}): a
 * read-only file is the user saying "do not replace this", so it is never replaced. A new file gets
 * the permissions of any new file (the umask decides); a replaced file keeps its permissions.
 * Errors name the target, never the temporary file.
 *
 * <p>Instances are for one thread; the shutdown hook that removes temporary files is shared.
 */
public final class AtomicOutput implements AutoCloseable {

  /** Writes the content of one file. */
  @FunctionalInterface
  public interface Writer {
    /**
     * Writes the whole content to {@code file}, which exists and is empty.
     *
     * @param file the temporary file to write
     * @throws IOException if writing fails
     */
    void write(Path file) throws IOException;
  }

  /** Temporary file to the target shown to the user, in staging order. */
  private final Map<Path, Path> staged = new LinkedHashMap<>();

  /** The targets as the user gave them, for messages, by absolute target. */
  private final Map<Path, Path> shown = new LinkedHashMap<>();

  private boolean done;

  private AtomicOutput() {}

  /**
   * Starts a set of output files that are replaced together.
   *
   * @return a new, empty set; close it (try-with-resources) to remove what was not committed
   */
  public static AtomicOutput open() {
    return new AtomicOutput();
  }

  /**
   * Writes one file all or nothing: {@code open}, {@code stage}, {@code commit} in one call.
   *
   * @param target the file to create or replace
   * @param writer writes its content
   * @throws InvalidInputException if the target cannot be an output (see the class comment)
   * @throws IOException if writing or moving fails; the message names {@code target}
   */
  public static void write(Path target, Writer writer) throws IOException {
    try (AtomicOutput out = open()) {
      out.stage(target, writer);
      out.commit();
    }
  }

  /**
   * Checks {@code target} and writes its content to a temporary file beside it. Nothing visible
   * changes until {@link #commit()}.
   *
   * @param target the file to create or replace
   * @param writer writes its content
   * @throws InvalidInputException if the target cannot be an output, or is staged twice
   * @throws IOException if writing fails; the message names {@code target}
   * @throws IllegalStateException after {@link #commit()} or {@link #close()}
   */
  public void stage(Path target, Writer writer) throws IOException {
    if (done) {
      throw new IllegalStateException("output set already committed or closed");
    }
    Path absolute = target.toAbsolutePath().normalize();
    if (shown.containsKey(absolute)) {
      throw new InvalidInputException(
          "output file " + target + " is given twice; expected one output per file");
    }
    Set<PosixFilePermission> keep = checkTarget(target, absolute);
    Path temp =
        absolute.resolveSibling(
            "." + absolute.getFileName() + "." + Long.toHexString(randomSuffix()) + ".part");
    try {
      InFlight.create(temp);
      staged.put(temp, absolute);
      shown.put(absolute, target);
      writer.write(temp);
      if (keep != null) {
        // After writing: the kept mode may lack the owner's write bit that writing needs.
        Files.setPosixFilePermissions(temp, keep);
      }
    } catch (IOException e) {
      throw naming(target, temp, e);
    }
  }

  /**
   * Moves every staged file into place, in staging order.
   *
   * @throws IOException if a move fails or the JVM is shutting down
   * @throws IllegalStateException after {@link #commit()} or {@link #close()}
   */
  public void commit() throws IOException {
    if (done) {
      throw new IllegalStateException("output set already committed or closed");
    }
    done = true;
    List<Map.Entry<Path, Path>> moves = new ArrayList<>(staged.entrySet());
    InFlight.commit(moves, (temp, e) -> naming(shown.get(staged.get(temp)), temp, e));
    staged.clear();
  }

  /** Removes every temporary file not committed. Idempotent. */
  @Override
  public void close() {
    done = true;
    for (Path temp : staged.keySet()) {
      InFlight.discard(temp);
    }
    staged.clear();
  }

  /**
   * Why {@code target} cannot be replaced, or null when it can.
   *
   * @return the permissions to give the replacement (those of the existing file), or null for a
   *     new file or a file system without POSIX permissions
   */
  private static Set<PosixFilePermission> checkTarget(Path target, Path absolute)
      throws IOException {
    Path dir = absolute.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InvalidInputException(
          "output directory " + dir + " of " + target + " does not exist; expected an existing"
              + " directory");
    }
    if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    if (!Files.isRegularFile(absolute)) {
      throw new InvalidInputException(
          "output file "
              + target
              + " exists and is "
              + (Files.isDirectory(absolute) ? "a directory" : "not a regular file")
              + "; expected a regular file to replace or a new name");
    }
    PosixFileAttributeView posix =
        Files.getFileAttributeView(absolute, PosixFileAttributeView.class);
    Set<PosixFilePermission> permissions =
        posix == null ? null : posix.readAttributes().permissions();
    // access(2) says "writable" to root whatever the mode, so a file with no write bit at all is
    // read-only too: someone marked it so, and replacing it by rename would ignore that.
    boolean noWriteBit =
        permissions != null
            && !permissions.contains(PosixFilePermission.OWNER_WRITE)
            && !permissions.contains(PosixFilePermission.GROUP_WRITE)
            && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
    if (noWriteBit || !Files.isWritable(absolute)) {
      throw new InvalidInputException(
          "output file "
              + target
              + " is read-only"
              + (permissions == null ? "" : " (" + PosixFilePermissions.toString(permissions) + ")")
              + "; expected a writable file (it is never replaced silently) or a new name");
    }
    return permissions;
  }

  /** The same failure, told about the target: the temporary file's name means nothing. */
  private static IOException naming(Path target, Path temp, IOException e) {
    String reason =
        e instanceof FileSystemException fs && fs.getReason() != null
            ? fs.getReason()
            : String.valueOf(e.getMessage()).replace(temp.toString(), target.toString());
    String message = "cannot write output file " + target + ": " + reason;
    if (e instanceof AccessDeniedException) {
      throw new InvalidInputException(message + "; expected a writable directory", e);
    }
    return new IOException(message, e);
  }

  private static long randomSuffix() {
    return ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
  }

  /**
   * Temporary files being written, process-wide, and the shutdown hook that removes them. Creating
   * a file, moving files into place and the hook's sweep take one lock, so a signal sees either no
   * moves or all of a commit's moves, and no temporary file is created after the sweep.
   */
  static final class InFlight {
    private static final Object LOCK = new Object();
    private static final Set<Path> TEMPS = new java.util.HashSet<>();
    private static boolean hooked;
    private static boolean shuttingDown;

    /** Moves one temporary file; tells the failure about the target. */
    interface Failure {
      IOException naming(Path temp, IOException e);
    }

    private InFlight() {}

    /** Creates an empty file with the default permissions (umask) and tracks it. */
    static void create(Path temp) throws IOException {
      synchronized (LOCK) {
        if (shuttingDown) {
          throw new IOException("the JVM is shutting down");
        }
        if (!hooked) {
          Runtime.getRuntime().addShutdownHook(new Thread(InFlight::sweep, "heimdall-output-sweep"));
          hooked = true;
        }
        Files.createFile(temp);
        TEMPS.add(temp);
      }
    }

    static void commit(List<Map.Entry<Path, Path>> moves, Failure failure) throws IOException {
      synchronized (LOCK) {
        if (shuttingDown) {
          throw new IOException("the JVM is shutting down");
        }
        for (Map.Entry<Path, Path> move : moves) {
          try {
            Files.move(
                move.getKey(),
                move.getValue(),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
          } catch (IOException e) {
            throw failure.naming(move.getKey(), e);
          }
          TEMPS.remove(move.getKey());
        }
      }
    }

    static void discard(Path temp) {
      synchronized (LOCK) {
        deleteQuietly(temp);
        TEMPS.remove(temp);
      }
    }

    /** The shutdown hook: SIGTERM or SIGINT while writing leaves no temporary file. */
    static void sweep() {
      synchronized (LOCK) {
        shuttingDown = true;
        for (Path temp : TEMPS) {
          deleteQuietly(temp);
        }
        TEMPS.clear();
      }
    }

    private static void deleteQuietly(Path temp) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // Best effort: the failure that brought us here is the one to report.
      }
    }
  }
}
