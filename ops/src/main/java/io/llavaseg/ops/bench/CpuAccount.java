package io.llavaseg.ops.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the CPU time of a run went, read before and after it: this process's Java threads by role
 * (the model workers, the stream threads, the other Java threads), the rest of this process (the
 * models' native intra-op threads, GC, JIT), and the broker's and the registry's processes. On a
 * machine where the models share the cores with the streaming layer, the streaming layer's CPU is
 * taken from the models; its figure per query is what it would cost beside a GPU.
 */
final class CpuAccount {
  /** Linux's USER_HZ, the unit of /proc/PID/stat's times on every mainstream platform. */
  private static final double TICKS_PER_SECOND = 100;

  private final Map<String, Long> pids;
  private final Map<String, Double> start;

  private CpuAccount(Map<String, Long> pids) {
    this.pids = pids;
    this.start = read();
  }

  /** Starts counting; {@code processes} are other processes by name (e.g. broker, registry) and their pids. */
  static CpuAccount start(Map<String, Long> processes) {
    return new CpuAccount(processes);
  }

  /** CPU milliseconds per query of each part of {@code seconds} (CPU seconds by part), and their total. */
  static Map<String, Object> msPerQuery(Map<String, Double> seconds, int queries) {
    Map<String, Object> out = new LinkedHashMap<>();
    double total = 0;
    for (Map.Entry<String, Double> e : seconds.entrySet()) {
      double ms = 1000 * e.getValue() / queries;
      out.put(e.getKey(), ms);
      total += ms;
    }
    out.put("total", total);
    return out;
  }

  /** CPU seconds of each part since {@link #start}. */
  Map<String, Double> secondsSinceStart() {
    Map<String, Double> out = new LinkedHashMap<>();
    read().forEach((part, s) -> out.put(part, s - start.getOrDefault(part, 0.0)));
    return out;
  }

  /** CPU seconds so far by part. */
  private Map<String, Double> read() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double workers = 0;
    double stream = 0;
    double otherJava = 0;
    for (long id : threads.getAllThreadIds()) {
      ThreadInfo info = threads.getThreadInfo(id);
      long nanos = threads.getThreadCpuTime(id);
      if (info == null || nanos < 0) {
        continue;
      }
      String name = info.getThreadName();
      double s = nanos / 1e9;
      if (name.startsWith("llavaseg-reasoning-") || name.startsWith("llavaseg-segmentation-")) {
        workers += s;
      } else if (name.contains("-StreamThread-")) {
        stream += s;
      } else {
        otherJava += s;
      }
    }
    Map<String, Double> parts = new LinkedHashMap<>();
    parts.put("model_workers_java", workers);
    parts.put("native_gc_jit", Math.max(0, processSeconds("self") - workers - stream - otherJava));
    parts.put("stream_threads", stream);
    parts.put("other_java_threads", otherJava);
    pids.forEach((name, pid) -> parts.put(name, processSeconds(Long.toString(pid))));
    return parts;
  }

  /** User plus system CPU seconds of a process from /proc (0 where there is no /proc). */
  static double processSeconds(String pid) {
    ProcStat stat = ProcStat.of(pid);
    return stat.userSeconds() + stat.systemSeconds();
  }

  /**
   * A process's CPU seconds in user and kernel mode and its minor page faults (pages the kernel had
   * to map in), from /proc/PID/stat; zeros where there is no /proc.
   */
  record ProcStat(double userSeconds, double systemSeconds, long minorFaults) {
    static ProcStat of(String pid) {
      try {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        // the command name (field 2) may hold spaces: count fields after its closing parenthesis
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new ProcStat(Long.parseLong(f[11]) / TICKS_PER_SECOND, Long.parseLong(f[12]) / TICKS_PER_SECOND,
            Long.parseLong(f[7]));
      } catch (IOException | RuntimeException e) {
        return new ProcStat(0, 0, 0);
      }
    }

    /** What the process spent between {@code before} and this reading. */
    ProcStat since(ProcStat before) {
      return new ProcStat(userSeconds - before.userSeconds, systemSeconds - before.systemSeconds,
          minorFaults - before.minorFaults);
    }
  }
}
