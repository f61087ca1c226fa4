package io.llavaseg.topology.inference;

import java.time.Duration;

/**
 * Dynamic batching, with DJL Serving's semantics: a batch closes when it holds {@code maxSize}
 * requests or {@code maxDelay} after its worker could take its first request (when it was queued, or
 * when the worker came back from its previous batch), whichever comes first (see {@code
 * BatchCollector}); {@code maxSize = 1} turns batching off. {@code maxInFlight} is how many requests one stream thread may have queued or running at
 * once (its records' outputs are forwarded as their results come back), so a batch can hold more
 * requests than there are stream threads; {@code maxInFlight = 1} makes a thread wait for each
 * result before it reads its next record.
 */
public record BatchPolicy(int maxSize, Duration maxDelay, int maxInFlight) {
  public BatchPolicy {
    if (maxSize < 1) {
      throw new IllegalArgumentException("batch max-size must be >= 1, got " + maxSize);
    }
    if (maxDelay.isNegative()) {
      throw new IllegalArgumentException("batch max-delay must be >= 0, got " + maxDelay);
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("batch max-in-flight must be >= 1, got " + maxInFlight);
    }
  }

  /** A policy whose threads may each keep a whole batch in flight. */
  public BatchPolicy(int maxSize, Duration maxDelay) {
    this(maxSize, maxDelay, maxSize);
  }

  /**
   * The in-flight default for {@code streamThreads} threads: four batches' worth across the threads
   * ({@code 4 * ceil(maxSize / streamThreads)}; two per thread with two threads), so that while one
   * batch runs and its results come back the next ones are already full (docs/performance.md: with
   * two batches' worth the batches of 8 averaged 4 to 6 and a thread committed about every other
   * query).
   */
  public static int defaultInFlight(int maxSize, int streamThreads) {
    return 4 * ((maxSize + streamThreads - 1) / Math.max(1, streamThreads));
  }

  @Override
  public String toString() {
    return "max-size " + maxSize + ", max-delay " + maxDelay.toMillis() + " ms, max-in-flight " + maxInFlight
        + " per stream thread";
  }
}
