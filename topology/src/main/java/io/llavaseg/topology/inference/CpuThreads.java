package io.llavaseg.topology.inference;

import io.llavaseg.model.djl.PyTorchThreads;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many threads each model worker on the CPU may use ({@code llavaseg.inference.cpu-threads}).
 * PyTorch's default, a thread per core for every worker, makes two workers on two cores run four
 * threads that wait for each other (docs/performance.md: the models' native threads took 24-27 ms of
 * CPU per query that way, 11-15 ms with one thread each); the default here divides the cores between
 * the CPU workers.
 */
public final class CpuThreads {
  private static final Logger LOG = LoggerFactory.getLogger(CpuThreads.class);

  private CpuThreads() {}

  /**
   * The intra-op threads for {@code cpuWorkers} model workers on {@code cores} cores: {@code
   * configured} if positive, else the cores divided between the workers (at least 1); empty when no
   * worker runs on the CPU (a GPU's kernels do not use them).
   */
  public static OptionalInt threadsFor(int configured, int cores, int cpuWorkers) {
    if (configured > 0) {
      return OptionalInt.of(configured);
    }
    if (cpuWorkers <= 0) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Math.max(1, cores / cpuWorkers));
  }

  /**
   * Sets the engine's intra-op threads for {@code cpuWorkers} CPU workers, unless DJL's own
   * {@value PyTorchThreads#DJL_PROPERTY} was set by the user; returns what it set.
   */
  public static OptionalInt apply(int configured, int cpuWorkers) {
    if (PyTorchThreads.setByUser()) {
      LOG.info("PyTorch intra-op threads: {} ({} is set)", System.getProperty(PyTorchThreads.DJL_PROPERTY),
          PyTorchThreads.DJL_PROPERTY);
      return OptionalInt.empty();
    }
    int cores = Runtime.getRuntime().availableProcessors();
    OptionalInt threads = threadsFor(configured, cores, cpuWorkers);
    if (threads.isPresent()) {
      PyTorchThreads.set(threads.getAsInt());
      LOG.info("PyTorch intra-op threads: {} ({} cores, {} model workers on the CPU)", threads.getAsInt(), cores,
          cpuWorkers);
    }
    return threads;
  }
}
