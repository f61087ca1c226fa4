package io.llavaseg.topology.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Forms batches from a queue under a {@link BatchPolicy}: waits (up to {@code idlePoll}) for a first
 * item, then takes more until the batch is full or {@code maxDelay} has passed since the worker could
 * first have taken that item: since it was queued, or since the worker asked for a batch when the
 * item had been waiting for the worker's previous batch. This is DJL Serving's batch aggregator's
 * rule: a worker that comes back from a batch gives the requests that its batch's results let in
 * (their stream threads had no free slot while it ran) {@code maxDelay} to join, instead of leaving
 * at once with the few that queued meanwhile. Items already queued join at once; a full batch never
 * waits.
 */
final class BatchCollector<T> {
  private final BlockingQueue<T> queue;
  private final BatchPolicy policy;
  private final ToLongFunction<T> enqueuedNanos;

  BatchCollector(BlockingQueue<T> queue, BatchPolicy policy, ToLongFunction<T> enqueuedNanos) {
    this.queue = queue;
    this.policy = policy;
    this.enqueuedNanos = enqueuedNanos;
  }

  /** The next batch, or an empty list if nothing arrived within {@code idlePollMs}. */
  List<T> next(long idlePollMs) throws InterruptedException {
    long ready = System.nanoTime();
    T first = queue.poll(idlePollMs, TimeUnit.MILLISECONDS);
    if (first == null) {
      return List.of();
    }
    return around(first, ready);
  }

  /**
   * The batch that {@code first}, already taken off the queue, starts, the worker having been ready
   * for it since {@code ready} (e.g. when its device became free). Interrupted while it waits for
   * more, it puts back on the queue every item it took, {@code first} included, and rethrows.
   */
  List<T> around(T first, long ready) throws InterruptedException {
    List<T> batch = new ArrayList<>(policy.maxSize());
    batch.add(first);
    long deadline = Math.max(enqueuedNanos.applyAsLong(first), ready) + policy.maxDelay().toNanos();
    try {
      while (batch.size() < policy.maxSize()) {
        T more = queue.poll();
        if (more == null) {
          long wait = deadline - System.nanoTime();
          more = wait <= 0 ? null : queue.poll(wait, TimeUnit.NANOSECONDS);
          if (more == null) {
            break;
          }
        }
        batch.add(more);
      }
    } catch (InterruptedException e) {
      queue.addAll(batch); // the caller owns none of them: no request is dropped
      throw e;
    }
    return batch;
  }
}
