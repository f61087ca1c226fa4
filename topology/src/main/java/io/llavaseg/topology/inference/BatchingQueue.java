package io.llavaseg.topology.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stage's inference workers and the queue that feeds them batches: the service-side dynamic
 * batching of Triton and DJL Serving, inside a Kafka Streams process.
 *
 * <p>Stream threads call {@link Lease#infer}, which blocks until the request's result is back, so a
 * record's outputs are forwarded in the same {@code process()} call and the same transaction that
 * commits its offset: exactly_once_v2 stays intact, and a crash mid-batch leaves the batch's
 * offsets uncommitted (they are read again). Concurrent requests from different stream threads
 * (one each) are what forms batches, so a batch is at most {@code num.stream.threads} requests.
 *
 * <p>Workers: one thread per entry of {@code workerDevices}, each with its own model worker (a DJL
 * predictor) made by {@code workers.apply(device)} on that thread. They start with the first lease
 * (a processor's {@code init()}) and stop when the last lease closes, like the stream tasks that
 * hold them. A batch that throws an exception is retried request by request, so only the failing
 * request fails; an {@link Error} is rethrown to every caller of the batch.
 */
public final class BatchingQueue<W extends AutoCloseable, I, O> {
  private static final Logger LOG = LoggerFactory.getLogger(BatchingQueue.class);
  private static final long IDLE_POLL_MS = 200;

  /** Runs one batch on one worker; returns one output per input, in order. */
  @FunctionalInterface
  public interface BatchFunction<W, I, O> {
    List<O> apply(W worker, List<I> inputs) throws Exception;
  }

  private record Pending<I, O>(I input, long enqueuedNanos, CompletableFuture<O> result) {}

  private final String stage;
  private final BatchPolicy policy;
  private final List<String> workerDevices;
  private final Function<String, ? extends W> workers;
  private final BatchFunction<W, I, O> function;
  private final InferenceMetrics metrics;
  private final LinkedBlockingQueue<Pending<I, O>> queue = new LinkedBlockingQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private int leases;
  private volatile boolean running;

  public BatchingQueue(String stage, BatchPolicy policy, List<String> workerDevices, Function<String, ? extends W> workers,
      BatchFunction<W, I, O> function, InferenceMetrics metrics) {
    if (workerDevices.isEmpty()) {
      throw new IllegalArgumentException("no workers for " + stage);
    }
    this.stage = stage;
    this.policy = policy;
    this.workerDevices = List.copyOf(workerDevices);
    this.workers = workers;
    this.function = function;
    this.metrics = metrics;
  }

  public String stage() {
    return stage;
  }

  public BatchPolicy policy() {
    return policy;
  }

  /** A hold on the workers; the first starts them. */
  public synchronized Lease acquire() {
    if (leases++ == 0) {
      start();
    }
    return new Lease();
  }

  /** Worker threads alive right now. */
  public synchronized int liveWorkers() {
    return (int) threads.stream().filter(Thread::isAlive).count();
  }

  private void start() {
    running = true;
    for (int i = 0; i < workerDevices.size(); i++) {
      String device = workerDevices.get(i);
      Thread t = new Thread(() -> work(device), "llavaseg-" + stage + "-" + device + "-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    LOG.info("{} workers started on {} ({})", stage, workerDevices, policy);
  }

  private void release() {
    List<Thread> stopping;
    synchronized (this) {
      if (--leases > 0) {
        return;
      }
      running = false;
      stopping = new ArrayList<>(threads);
      threads.clear();
    }
    for (Thread t : stopping) {
      t.interrupt();
    }
    for (Thread t : stopping) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    Pending<I, O> left;
    while ((left = queue.poll()) != null) {
      metrics.dequeued(stage, 1);
      left.result().completeExceptionally(new IllegalStateException(stage + " workers stopped"));
    }
    LOG.info("{} workers stopped", stage);
  }

  private void work(String device) {
    W worker;
    try {
      worker = workers.apply(device);
    } catch (RuntimeException e) {
      LOG.error("{} worker on {} could not be created", stage, device, e);
      return;
    }
    metrics.workerStarted(stage, device);
    BatchCollector<Pending<I, O>> collector = new BatchCollector<>(queue, policy, Pending::enqueuedNanos);
    try (worker) {
      while (running) {
        List<Pending<I, O>> batch;
        try {
          batch = collector.next(IDLE_POLL_MS);
        } catch (InterruptedException e) {
          if (!running) {
            break;
          }
          continue;
        }
        if (!batch.isEmpty()) {
          metrics.dequeued(stage, batch.size());
          run(worker, device, batch);
        }
      }
    } catch (Exception e) {
      LOG.warn("{} worker on {} failed to close", stage, device, e);
    } finally {
      metrics.workerStopped(stage, device);
    }
  }

  private void run(W worker, String device, List<Pending<I, O>> batch) {
    List<I> inputs = new ArrayList<>(batch.size());
    for (Pending<I, O> p : batch) {
      inputs.add(p.input());
    }
    long t0 = System.nanoTime();
    try {
      List<O> outputs = function.apply(worker, inputs);
      if (outputs.size() != inputs.size()) {
        throw new IllegalStateException(stage + " returned " + outputs.size() + " results for " + inputs.size());
      }
      metrics.batch(stage, device, batch.size(), (System.nanoTime() - t0) / 1e9);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(outputs.get(i));
      }
    } catch (Error fatal) {
      // not the request's fault (out of memory, a broken engine): every caller rethrows it
      for (Pending<I, O> p : batch) {
        p.result().completeExceptionally(fatal);
      }
    } catch (Exception e) {
      if (batch.size() == 1) {
        batch.get(0).result().completeExceptionally(e);
        return;
      }
      LOG.warn("{} batch of {} failed ({}); retrying its requests one by one", stage, batch.size(), e.toString());
      for (Pending<I, O> p : batch) {
        run(worker, device, List.of(p));
      }
    }
  }

  /** A processor's hold on the stage's workers; closing it twice is harmless. */
  public final class Lease implements AutoCloseable {
    private boolean closed;

    private Lease() {}

    /**
     * Queues the request, waits for its batch, returns its result.
     *
     * @throws InferenceFailure when the model threw for this request or the workers stopped
     * @throws Error rethrown as is when the model threw one (the stream thread must die of it)
     */
    public O infer(I input) throws InferenceFailure, InterruptedException {
      if (closed) {
        throw new IllegalStateException(stage + " lease is closed");
      }
      long t0 = System.nanoTime();
      CompletableFuture<O> result = new CompletableFuture<>();
      metrics.submitted(stage);
      queue.add(new Pending<>(input, t0, result));
      try {
        return result.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Error fatal) {
          throw fatal;
        }
        throw new InferenceFailure(stage + " failed: " + e.getCause(), e.getCause());
      } finally {
        metrics.answered(stage, (System.nanoTime() - t0) / 1e9);
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        release();
      }
    }
  }
}
