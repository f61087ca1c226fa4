package io.llavaseg.topology.inference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stage's inference workers and the queue that feeds them batches: the service-side dynamic
 * batching of Triton and DJL Serving, inside a Kafka Streams process.
 *
 * <p>Stream threads call {@link Lease#submit}, which queues a request and returns at once with a
 * {@link Request} whose result the thread collects later (the processors keep the accepted records
 * in a changelogged store until their outputs are forwarded, see {@code ModelStep}), or {@link
 * Lease#infer}, which waits for the result. Each stream thread may have {@link
 * BatchPolicy#maxInFlight()} requests queued or running; {@code submit} waits for a free slot. The
 * requests of all threads form the batches, so a batch can be larger than the number of stream
 * threads.
 *
 * <p>Workers: one thread per entry of {@code workerDevices}, each with its own model worker (a DJL
 * predictor) made by {@code workers.apply(device)} on that thread. They start with the first lease
 * (a processor's {@code init()}) and stop when the last lease closes, like the stream tasks that
 * hold them. A batch that throws an exception is retried request by request ({@link FailurePolicy}),
 * so only the failing request fails; an {@link Error} is rethrown to every caller of the batch. A
 * caller waits at most the request timeout; a worker stuck in a batch is replaced.
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
  private final FailurePolicy failures;
  private final LinkedBlockingQueue<Pending<I, O>> queue = new LinkedBlockingQueue<>();
  private final DeviceTurns turns;
  private final List<Slot> slots = new ArrayList<>();
  /** Each stream thread's slots for requests in flight ({@link BatchPolicy#maxInFlight()}). */
  private final ThreadLocal<Semaphore> threadSlots;
  private Thread watchdog;
  private int leases;
  private volatile boolean running;
  /**
   * Which start the running workers belong to: a worker (or watchdog) of an earlier start stops
   * even when a new lease has started the queue again before it noticed its own stop.
   */
  private volatile int generation;

  /**
   * What the queue does about failing and hanging models: each request gets {@code attempts}
   * tries (the first in its batch, the rest alone); a caller waits at most {@code requestTimeout}
   * for its result (then {@link InferenceFailure#timedOut()}); a worker busy with one batch for
   * longer than {@code hangAfter} is abandoned and replaced by a new worker on the same device, so
   * a stuck predictor never stalls the stage.
   */
  public record FailurePolicy(int attempts, Duration requestTimeout, Duration hangAfter) {
    public FailurePolicy {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be >= 1, got " + attempts);
      }
    }

    /** No timeouts worth mentioning, one retry: for tests and tools. */
    public static FailurePolicy lenient() {
      return new FailurePolicy(2, Duration.ofHours(1), Duration.ofHours(1));
    }
  }

  /** One worker thread and what the watchdog knows about it. */
  private final class Slot {
    final String device;
    final Thread thread;
    volatile long busySince;
    volatile boolean abandoned;
    final int generation;

    Slot(String device, int index, int generation) {
      this.device = device;
      this.generation = generation;
      this.thread = new Thread(() -> work(this), "llavaseg-" + stage + "-" + device + "-" + index);
      thread.setDaemon(true);
    }
  }

  public BatchingQueue(String stage, BatchPolicy policy, List<String> workerDevices, Function<String, ? extends W> workers,
      BatchFunction<W, I, O> function, InferenceMetrics metrics) {
    this(stage, policy, workerDevices, workers, function, metrics, FailurePolicy.lenient());
  }

  public BatchingQueue(String stage, BatchPolicy policy, List<String> workerDevices, Function<String, ? extends W> workers,
      BatchFunction<W, I, O> function, InferenceMetrics metrics, FailurePolicy failures) {
    this(stage, policy, workerDevices, workers, function, metrics, failures, DeviceTurns.NONE);
  }

  /** With {@code turns}: whether this queue's workers take turns on their device with other queues' workers. */
  public BatchingQueue(String stage, BatchPolicy policy, List<String> workerDevices, Function<String, ? extends W> workers,
      BatchFunction<W, I, O> function, InferenceMetrics metrics, FailurePolicy failures, DeviceTurns turns) {
    this.turns = java.util.Objects.requireNonNull(turns, "turns");
    if (workerDevices.isEmpty()) {
      throw new IllegalArgumentException("no workers for " + stage);
    }
    this.stage = stage;
    this.policy = policy;
    this.workerDevices = List.copyOf(workerDevices);
    this.workers = workers;
    this.function = function;
    this.metrics = metrics;
    this.failures = failures;
    this.threadSlots = ThreadLocal.withInitial(() -> new Semaphore(policy.maxInFlight()));
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

  /** Worker threads alive and not abandoned right now. */
  public synchronized int liveWorkers() {
    return (int) slots.stream().filter(w -> w.thread.isAlive() && !w.abandoned).count();
  }

  private void start() {
    int current = ++generation;
    running = true;
    for (int i = 0; i < workerDevices.size(); i++) {
      Slot slot = new Slot(workerDevices.get(i), i, current);
      slots.add(slot);
      slot.thread.start();
    }
    watchdog = new Thread(() -> watch(current), "llavaseg-" + stage + "-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    LOG.info("{} workers started on {} ({})", stage, workerDevices, policy);
  }

  /**
   * Replaces workers stuck in one batch for longer than {@code hangAfter}, as long as fewer
   * abandoned workers than devices are still alive (a model that hangs everywhere must not grow
   * threads without bound: its requests then time out).
   */
  private void watch(int myGeneration) {
    int replacements = 0;
    boolean capped = false;
    while (running && generation == myGeneration) {
      try {
        Thread.sleep(Math.max(10, Math.min(500, failures.hangAfter().toMillis() / 4)));
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      synchronized (this) {
        if (!running || generation != myGeneration) {
          return;
        }
        for (Slot w : List.copyOf(slots)) {
          long since = w.busySince;
          if (!w.abandoned && since != 0 && now - since > failures.hangAfter().toNanos()) {
            long abandonedAlive = slots.stream().filter(s -> s.abandoned && s.thread.isAlive()).count();
            if (abandonedAlive >= workerDevices.size()) {
              if (!capped) {
                LOG.error("{} worker {} is stuck but {} abandoned workers are still alive: not replaced; its requests"
                    + " time out", stage, w.thread.getName(), abandonedAlive);
                capped = true;
              }
              continue;
            }
            capped = false;
            w.abandoned = true;
            Slot fresh = new Slot(w.device, workerDevices.size() + replacements++, myGeneration);
            slots.add(fresh);
            fresh.thread.start();
            LOG.warn("{} worker {} has been in one batch for over {} ms: abandoned, replaced by {}", stage,
                w.thread.getName(), failures.hangAfter().toMillis(), fresh.thread.getName());
          }
        }
        slots.removeIf(w -> w.abandoned && !w.thread.isAlive());
      }
    }
  }

  /**
   * The last lease's release stops the workers: the requests still queued (their callers gave up
   * waiting) fail at once, inside the lock, so that the requests of a lease taken right after (a new
   * start) are never failed here; then it waits for the stopping workers' batches to end.
   */
  private void release() {
    List<Thread> stopping;
    synchronized (this) {
      if (--leases > 0) {
        return;
      }
      running = false;
      stopping = new ArrayList<>();
      for (Slot w : slots) {
        if (!w.abandoned) {
          stopping.add(w.thread);
        }
        w.thread.interrupt();
      }
      slots.clear();
      watchdog.interrupt();
      Pending<I, O> left;
      while ((left = queue.poll()) != null) {
        metrics.dequeued(stage, 1);
        left.result().completeExceptionally(new IllegalStateException(stage + " workers stopped"));
      }
    }
    for (Thread t : stopping) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    LOG.info("{} workers stopped", stage);
  }

  private void work(Slot slot) {
    String device = slot.device;
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
      while (running && generation == slot.generation && !slot.abandoned) {
        List<Pending<I, O>> batch;
        try {
          batch = turns.isExclusive() ? nextOnItsTurn(collector, device) : collector.next(IDLE_POLL_MS);
        } catch (InterruptedException e) {
          if (!running || generation != slot.generation) {
            break;
          }
          continue;
        }
        boolean holdsTheDevice = turns.isExclusive() && !batch.isEmpty();
        try {
          if (generation != slot.generation) {
            // stopped and started again while this worker waited: hand its batch back, untouched
            batch.forEach(queue::add);
            break;
          }
          if (!batch.isEmpty()) {
            metrics.dequeued(stage, batch.size());
            slot.busySince = System.nanoTime();
            try {
              run(worker, device, batch);
            } finally {
              slot.busySince = 0;
            }
          }
        } finally {
          if (holdsTheDevice) {
            turns.release(device);
          }
        }
      }
    } catch (Exception e) {
      LOG.warn("{} worker on {} failed to close", stage, device, e);
    } finally {
      metrics.workerStopped(stage, device);
    }
  }

  /**
   * With turns ({@link DeviceTurns}): waits for work, then for the device, and only then forms the
   * batch, so what arrives while another worker's batch holds the device joins this one. Returns with
   * the device held unless the batch is empty; interrupted, it holds nothing and has put back what it took.
   */
  private List<Pending<I, O>> nextOnItsTurn(BatchCollector<Pending<I, O>> collector, String device)
      throws InterruptedException {
    Pending<I, O> first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
    if (first == null) {
      return List.of();
    }
    try {
      turns.acquire(device);
    } catch (InterruptedException e) {
      queue.add(first);
      throw e;
    }
    try {
      return collector.around(first, System.nanoTime());
    } catch (InterruptedException e) {
      turns.release(device);
      throw e;
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
      if (failures.attempts() > 1) {
        LOG.warn("{} batch of {} failed ({}); retrying its requests one by one", stage, batch.size(), e.toString());
      }
      for (Pending<I, O> p : batch) {
        retryAlone(worker, device, p, failures.attempts() - 1, e);
      }
    }
  }

  /** Up to {@code tries} more attempts for one request, alone; then its caller gets the last failure. */
  private void retryAlone(W worker, String device, Pending<I, O> p, int tries, Exception last) {
    for (int i = 0; i < tries && !p.result().isDone(); i++) {
      long t0 = System.nanoTime();
      try {
        List<O> out = function.apply(worker, List.of(p.input()));
        metrics.batch(stage, device, 1, (System.nanoTime() - t0) / 1e9);
        p.result().complete(out.get(0));
        return;
      } catch (Error fatal) {
        p.result().completeExceptionally(fatal);
        return;
      } catch (Exception e) {
        last = e;
      }
    }
    p.result().completeExceptionally(last);
  }

  /** A processor's hold on the stage's workers; closing it twice is harmless. */
  public final class Lease implements AutoCloseable {
    private boolean closed;

    private Lease() {}

    /**
     * Queues the request, waits for its batch, returns its result.
     *
     * @throws InferenceFailure when the model threw for this request (after its attempts), the
     *     workers stopped, or no result came within the request timeout
     * @throws Error rethrown as is when the model threw one (the stream thread must die of it)
     */
    public O infer(I input) throws InferenceFailure, InterruptedException {
      Request request = submit(input);
      request.await();
      return request.result();
    }

    /**
     * Queues the request and returns at once; waits first (at most the request timeout) while the
     * calling thread has {@link BatchPolicy#maxInFlight()} requests in flight.
     *
     * @throws InferenceFailure (timed out) when no slot came free within the request timeout
     */
    public Request submit(I input) throws InferenceFailure, InterruptedException {
      if (closed) {
        throw new IllegalStateException(stage + " lease is closed");
      }
      Semaphore slots = threadSlots.get();
      if (!slots.tryAcquire(failures.requestTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
        throw new InferenceFailure(stage + " had no free slot for a request within "
            + failures.requestTimeout().toMillis() + " ms", null, true);
      }
      long t0 = System.nanoTime();
      Pending<I, O> pending = new Pending<>(input, t0, new CompletableFuture<>());
      pending.result().whenComplete((o, e) -> {
        slots.release();
        metrics.answered(stage, (System.nanoTime() - t0) / 1e9);
      });
      metrics.submitted(stage);
      queue.add(pending);
      return new Request(pending);
    }

    /** Slots the calling thread has free for requests now. */
    public int freeSlots() {
      return threadSlots.get().availablePermits();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        release();
      }
    }
  }

  /** A queued request: its result once its batch has run. */
  public final class Request {
    private final Pending<I, O> pending;

    private Request(Pending<I, O> pending) {
      this.pending = pending;
    }

    /** Whether the result (or the failure) is in. */
    public boolean isDone() {
      return pending.result().isDone();
    }

    /** Time since the request was queued. */
    public Duration age() {
      return Duration.ofNanos(System.nanoTime() - pending.enqueuedNanos());
    }

    /** Whether it has waited longer than the request timeout (see {@link FailurePolicy}). */
    public boolean expired() {
      return !isDone() && age().compareTo(failures.requestTimeout()) > 0;
    }

    /**
     * Waits until the result is in or the request timeout has passed since it was queued; on
     * timeout the request is withdrawn (a late result is dropped) and {@link #result} fails.
     */
    public void await() throws InterruptedException {
      long left = failures.requestTimeout().toNanos() - age().toNanos();
      try {
        pending.result().get(Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        withdraw(new TimeoutException(stage + " gave no result within " + failures.requestTimeout().toMillis() + " ms"));
      } catch (ExecutionException | java.util.concurrent.CancellationException e) {
        // the failure is reported by result()
      }
    }

    /** Withdraws the request if it is not done: taken off the queue, its result dropped. */
    public void cancel() {
      withdraw(new java.util.concurrent.CancellationException(stage + " request withdrawn"));
    }

    private void withdraw(Exception why) {
      if (queue.remove(pending)) {
        metrics.dequeued(stage, 1);
      }
      pending.result().completeExceptionally(why);
    }

    /**
     * The result; call when {@link #isDone()} (or after {@link #await()}).
     *
     * @throws InferenceFailure when the model threw for this request (after its attempts), the
     *     workers stopped, or the request timed out ({@link InferenceFailure#timedOut()})
     * @throws Error rethrown as is when the model threw one (the stream thread must die of it)
     */
    public O result() throws InferenceFailure {
      if (!isDone()) {
        throw new IllegalStateException(stage + " result asked for before it is in");
      }
      try {
        return pending.result().getNow(null);
      } catch (java.util.concurrent.CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Error fatal) {
          throw fatal;
        }
        if (cause instanceof TimeoutException) {
          throw new InferenceFailure(cause.getMessage(), cause, true);
        }
        throw new InferenceFailure(stage + " failed: " + cause, cause);
      } catch (java.util.concurrent.CancellationException e) {
        throw new InferenceFailure(stage + " request was withdrawn", e);
      }
    }
  }
}
