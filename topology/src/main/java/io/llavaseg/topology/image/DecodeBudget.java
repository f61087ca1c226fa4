package io.llavaseg.topology.image;

import io.llavaseg.topology.DependencyUnavailableException;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.StageFailure;
import java.time.Duration;

/**
 * The bytes of decoded pixels one service instance may hold in decoders at once, shared by every
 * {@link ImageLoader} of the instance (all stream threads, both stages). A PNG of a few kB can
 * declare 4096x4096 16-bit RGBA (128 MiB once decoded); sixteen of them decoding at once would
 * exhaust the heap, and an {@code OutOfMemoryError} stops the instance. So before decoding, the
 * loader reads the header, estimates the decoded size ({@link ImageLoader#decodedBytes}) and takes
 * that much of the budget for the time of the decode:
 *
 * <ul>
 *   <li>an image larger than the whole budget can never be decoded here: {@code
 *       IMAGE_DECODE_TOO_LARGE}, permanent (a dead letter; the budget depends on the heap, so a larger
 *       instance may accept it);
 *   <li>otherwise the decode waits, at most {@code maxWait}, until enough of the budget is free; a
 *       decode still waiting then is the instance's fault, not the record's: {@link
 *       DependencyUnavailableException} ({@value #DEPENDENCY}), the record is retried and readiness
 *       is 503 until a decode gets its share again.
 * </ul>
 *
 * The budget covers decoding and the upright RGB copy, not the decoded image's life afterwards
 * (that is bounded by the stream threads and the inference queue). Waiters are not served in order:
 * a large decode may wait while small ones pass, up to {@code maxWait}. Thread-safe.
 */
public final class DecodeBudget {
  /** The dependency name of the decode budget in metrics and readiness. */
  public static final String DEPENDENCY = "image-decoding";

  /** The fraction of the maximum heap that the default budget is. */
  public static final int DEFAULT_HEAP_DIVISOR = 4;

  /** The default longest wait for the budget. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(10);

  private final long totalBytes;
  private final Duration maxWait;
  private long inUse;
  private long peak;

  /**
   * @param totalBytes the budget; 0 = a quarter of the JVM's maximum heap ({@link #defaultBytes()})
   * @param maxWait the longest a decode waits for its share
   */
  public DecodeBudget(long totalBytes, Duration maxWait) {
    if (totalBytes < 0 || maxWait.isNegative()) {
      throw new IllegalArgumentException("invalid decode budget " + totalBytes + " B, wait " + maxWait);
    }
    this.totalBytes = totalBytes == 0 ? defaultBytes() : totalBytes;
    this.maxWait = maxWait;
  }

  /** A quarter of the JVM's maximum heap ({@code -Xmx}, or the JVM's own default). */
  public static long defaultBytes() {
    return Runtime.getRuntime().maxMemory() / DEFAULT_HEAP_DIVISOR;
  }

  /** Bytes of decoded pixels held by a decode, handed back by {@link #close()}. */
  public final class Permit implements AutoCloseable {
    private final long bytes;
    private boolean closed;

    private Permit(long bytes) {
      this.bytes = bytes;
    }

    @Override
    public void close() {
      synchronized (DecodeBudget.this) {
        if (!closed) {
          closed = true;
          inUse -= bytes;
          DecodeBudget.this.notifyAll();
        }
      }
    }
  }

  /**
   * Takes {@code bytes} of the budget, waiting for it up to the configured wait.
   *
   * @param what the image, for messages
   * @throws StageFailure {@code IMAGE_DECODE_TOO_LARGE} when {@code bytes} exceeds the whole budget
   * @throws DependencyUnavailableException when the budget did not free up in time
   */
  public Permit acquire(long bytes, String what) throws StageFailure {
    if (bytes > totalBytes) {
      throw new StageFailure(ErrorCode.IMAGE_DECODE_TOO_LARGE, what + " would take " + mib(bytes)
          + " MiB once decoded, more than this instance's whole decode budget of " + mib(totalBytes)
          + " MiB (llavaseg.image.decode-budget-bytes)");
    }
    long deadline = System.nanoTime() + maxWait.toNanos();
    synchronized (this) {
      while (inUse + bytes > totalBytes) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new DependencyUnavailableException(DEPENDENCY, "no room to decode " + what + " (" + mib(bytes)
              + " MiB) within " + maxWait.toMillis() + " ms: " + mib(inUse) + " of " + mib(totalBytes)
              + " MiB are being decoded; the record is retried", null);
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new DependencyUnavailableException(DEPENDENCY, "interrupted waiting to decode " + what, e);
        }
      }
      inUse += bytes;
      peak = Math.max(peak, inUse);
      return new Permit(bytes);
    }
  }

  public long totalBytes() {
    return totalBytes;
  }

  public Duration maxWait() {
    return maxWait;
  }

  /** Bytes taken now. */
  public synchronized long inUse() {
    return inUse;
  }

  /** The most bytes ever taken at once. */
  public synchronized long peak() {
    return peak;
  }

  private static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
  }
}
