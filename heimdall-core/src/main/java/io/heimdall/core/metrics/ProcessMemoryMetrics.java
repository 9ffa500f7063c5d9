package io.heimdall.core.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's resident memory and its container's memory limit, as the process sees them, so that
 * the memory alert works without cAdvisor.
 *
 * <ul>
 *   <li>{@value #RSS} [{@code heimdall_process_memory_rss_bytes}]: resident set size, from {@code
 *       /proc/self/status} (heap, metaspace, thread stacks, direct buffers and native memory of
 *       ONNX Runtime alike);
 *   <li>{@value #LIMIT} [{@code heimdall_container_memory_limit_bytes}]: the cgroup memory limit
 *       ({@code memory.max} of cgroup v2, {@code memory.limit_in_bytes} of v1), or NaN when there
 *       is none.
 * </ul>
 *
 * <p>Both read NaN where the files do not exist (not Linux).
 */
public final class ProcessMemoryMetrics implements MeterBinder {

  /** Micrometer name of the resident set size gauge. */
  public static final String RSS = "heimdall.process.memory.rss";

  /** Micrometer name of the container memory limit gauge. */
  public static final String LIMIT = "heimdall.container.memory.limit";

  /** cgroup v1 reports "no limit" as a page-rounded Long.MAX_VALUE; anything this big is none. */
  private static final double NO_LIMIT_THRESHOLD = 0x1p62;

  private final Path procStatus;
  private final List<Path> cgroupLimitFiles;

  /** Reads this process's own files. */
  public ProcessMemoryMetrics() {
    this(
        Path.of("/proc/self/status"),
        List.of(
            Path.of("/sys/fs/cgroup/memory.max"),
            Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes")));
  }

  ProcessMemoryMetrics(Path procStatus, List<Path> cgroupLimitFiles) {
    this.procStatus = procStatus;
    this.cgroupLimitFiles = List.copyOf(cgroupLimitFiles);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(RSS, this, ProcessMemoryMetrics::residentBytes)
        .description("Resident set size of the process")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder(LIMIT, this, ProcessMemoryMetrics::limitBytes)
        .description("Memory limit of the process's cgroup (NaN when unlimited)")
        .baseUnit("bytes")
        .register(registry);
  }

  /** Resident set size in bytes, or NaN when it cannot be read. */
  double residentBytes() {
    try {
      for (String line : Files.readAllLines(procStatus)) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
          return Double.parseDouble(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  /** The cgroup memory limit in bytes, or NaN when there is none or it cannot be read. */
  double limitBytes() {
    for (Path file : cgroupLimitFiles) {
      try {
        String text = Files.readString(file).trim();
        if (text.equals("max")) {
          return Double.NaN;
        }
        double limit = Double.parseDouble(text);
        return limit >= NO_LIMIT_THRESHOLD ? Double.NaN : limit;
      } catch (IOException | NumberFormatException notThisOne) {
        // the other cgroup version's file may exist
      }
    }
    return Double.NaN;
  }
}
