package io.llavaseg.topology.model;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model worker (a {@code Reasoner} or {@code Segmenter}, each wrapping a DJL {@code Predictor},
 * which is not thread-safe) per stream thread, shared by the tasks that thread runs. A processor
 * {@link #acquire}s in {@code init()} and closes its {@link Lease} in {@code close()}; the thread's
 * worker is created on its first lease and closed when its last lease closes, so a processor can be
 * initialised again after closing. Kafka Streams initialises, runs and closes a task's processors on
 * the stream thread that owns the task; {@link Lease#worker()} re-acquires on the calling thread if
 * that ever differs, so a worker is never used by two threads.
 */
public final class ThreadWorkers<W extends AutoCloseable> {
  private static final Logger LOG = LoggerFactory.getLogger(ThreadWorkers.class);

  private final String name;
  private final Supplier<? extends W> factory;
  private final Map<Thread, Entry<W>> entries = new HashMap<>();

  /**
   * @param name for logs, e.g. {@code reasoner}
   * @param factory makes a new worker for the calling thread (e.g. {@code handle::newWorker})
   */
  public ThreadWorkers(String name, Supplier<? extends W> factory) {
    this.name = name;
    this.factory = factory;
  }

  private static final class Entry<W> {
    final W worker;
    int leases;

    Entry(W worker) {
      this.worker = worker;
    }
  }

  /** A lease on the calling thread's worker, created if the thread has none. */
  public Lease acquire() {
    Thread thread = Thread.currentThread();
    synchronized (entries) {
      Entry<W> entry = entries.get(thread);
      if (entry == null) {
        entry = new Entry<>(factory.get());
        entries.put(thread, entry);
        LOG.info("{} worker created for thread {}", name, thread.getName());
      }
      entry.leases++;
      return new Lease(thread);
    }
  }

  /** Workers alive right now (one per thread holding at least one lease). */
  public int liveWorkers() {
    synchronized (entries) {
      return entries.size();
    }
  }

  private void release(Thread thread) {
    W toClose = null;
    synchronized (entries) {
      Entry<W> entry = entries.get(thread);
      if (entry != null && --entry.leases == 0) {
        entries.remove(thread);
        toClose = entry.worker;
      }
    }
    if (toClose != null) {
      try {
        toClose.close();
        LOG.info("{} worker of thread {} closed", name, thread.getName());
      } catch (Exception e) {
        LOG.warn("{} worker of thread {} failed to close", name, thread.getName(), e);
      }
    }
  }

  private W workerOf(Thread thread) {
    synchronized (entries) {
      return entries.get(thread).worker;
    }
  }

  /** A processor's hold on its thread's worker; closing it twice is harmless. */
  public final class Lease implements AutoCloseable {
    private Thread owner;
    private boolean closed;

    private Lease(Thread owner) {
      this.owner = owner;
    }

    /** The worker of the calling thread. */
    public W worker() {
      if (closed) {
        throw new IllegalStateException(name + " lease is closed");
      }
      Thread current = Thread.currentThread();
      if (current != owner) {
        Lease moved = acquire();
        release(owner);
        owner = moved.owner;
      }
      return workerOf(owner);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        release(owner);
      }
    }
  }
}
