package io.llavaseg.topology.inference;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * glibc's malloc settings for models on the CPU. By default glibc gives a freed buffer of more than
 * 128 kB back to the kernel (mmap'd, or trimmed from the top of its heap), so every batch of a
 * PyTorch model page-faults its activation buffers in again: measured here (docs/performance.md,
 * "glibc's malloc and the segmenter's batches"), the segmenter ran 10.1 masks/s at batch 8 with 0.39
 * of the measurement's CPU in the kernel (glibc's 128 kB thresholds held fixed), against 66.1
 * masks/s and 0.09 with the memory kept. With {@value #MMAP_THRESHOLD} at glibc's maximum (32
 * MiB) and {@value #TRIM_THRESHOLD} at 4 GiB, freed buffers stay in the heap and are reused. The
 * variables are read when the process starts, so the launchers set them: {@code ops/llavaseg}, the
 * container images, the build's test runs; the service warns when they are
 * missing (a JVM started some other way on Linux).
 */
public final class MallocSettings {
  private static final Logger LOG = LoggerFactory.getLogger(MallocSettings.class);

  /** Allocations above it get their own mapping, unmapped when freed; glibc's largest is 32 MiB. */
  public static final String MMAP_THRESHOLD = "MALLOC_MMAP_THRESHOLD_";
  /** Free memory at the top of the heap above it is given back to the kernel. */
  public static final String TRIM_THRESHOLD = "MALLOC_TRIM_THRESHOLD_";

  /** The values the launchers set, in the order a warning names them. */
  public static final Map<String, String> RECOMMENDED = recommended();

  private MallocSettings() {}

  private static Map<String, String> recommended() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(MMAP_THRESHOLD, "33554432");
    m.put(TRIM_THRESHOLD, "4294967296");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The two variables as this process's environment has them (absent ones left out). */
  public static Map<String, String> current() {
    return of(System.getenv());
  }

  static Map<String, String> of(Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : RECOMMENDED.keySet()) {
      if (env.containsKey(key)) {
        out.put(key, env.get(key));
      }
    }
    return out;
  }

  /**
   * The warning for a process on {@code osName} with {@code env} whose models run on the CPU, or
   * empty when glibc's defaults do not apply (not Linux) or both variables are set.
   */
  static Optional<String> warning(String osName, Map<String, String> env) {
    if (!osName.toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return Optional.empty();
    }
    java.util.StringJoiner missing = new java.util.StringJoiner(" ");
    RECOMMENDED.forEach((key, value) -> {
      if (!env.containsKey(key)) {
        missing.add(key + "=" + value);
      }
    });
    if (missing.length() == 0) {
      return Optional.empty();
    }
    return Optional.of("glibc's malloc will give the models' freed buffers back to the kernel after every batch,"
        + " which made batched inference on the CPU several times slower here (docs/performance.md); start the JVM"
        + " with " + missing + " in its environment (ops/llavaseg and the container images do)");
  }

  /** Logs {@link #warning} for this process, if any. */
  public static void warnIfUnset() {
    warning(System.getProperty("os.name", ""), System.getenv()).ifPresent(LOG::warn);
  }
}
