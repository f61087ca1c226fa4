package io.llavaseg.topology.inference;

import java.time.Duration;

/**
 * Dynamic batching, with Triton's and DJL Serving's semantics: a batch closes when it holds {@code
 * maxSize} requests or when its first request has waited {@code maxDelay}, whichever comes first. A
 * request never waits longer than {@code maxDelay} for company; {@code maxSize = 1} turns batching
 * off.
 */
public record BatchPolicy(int maxSize, Duration maxDelay) {
  public BatchPolicy {
    if (maxSize < 1) {
      throw new IllegalArgumentException("batch max-size must be >= 1, got " + maxSize);
    }
    if (maxDelay.isNegative()) {
      throw new IllegalArgumentException("batch max-delay must be >= 0, got " + maxDelay);
    }
  }

  @Override
  public String toString() {
    return "max-size " + maxSize + ", max-delay " + maxDelay.toMillis() + " ms";
  }
}
