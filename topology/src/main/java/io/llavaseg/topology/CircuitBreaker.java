package io.llavaseg.topology;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One dependency's circuit breaker (the schema registry, the image store), shared by the stream
 * threads of an instance. Three states:
 *
 * <ul>
 *   <li><b>closed</b>: requests go through; {@link #onFailure()} counts consecutive failures, {@link
 *       #onSuccess()} resets the count; the {@code threshold}-th failure in a row opens it;
 *   <li><b>open</b> for a backoff (from {@code openFor}, doubling on every failed probe up to {@code
 *       maxOpenFor}): {@link #tryAcquire()} answers false, the caller fails fast (throws {@link
 *       DependencyUnavailableException} without asking the dependency);
 *   <li><b>half-open</b> once the backoff has passed: {@link #tryAcquire()} lets exactly one probe
 *       through (other callers still fail fast); its success closes the breaker, its failure opens it
 *       again for twice as long.
 * </ul>
 *
 * What counts as a failure is the caller's business: a failure must be the dependency's fault, never
 * the record's (an image store's 404 is a success for the breaker: the store answered). Thread-safe.
 */
public final class CircuitBreaker {
  /** The breaker's state. */
  public enum State { CLOSED, OPEN, HALF_OPEN }

  private final String dependency;
  private final int threshold;
  private final long openForNanos;
  private final long maxOpenForNanos;
  private final LongSupplier nanoClock;

  private State state = State.CLOSED;
  private int failures;
  private long backoffNanos;
  private long openUntil;
  private boolean probing;

  /**
   * @param dependency the dependency's name in messages, metrics and readiness ({@code image-store})
   * @param threshold consecutive failures that open the breaker (at least 1)
   * @param openFor the first backoff before a probe
   * @param maxOpenFor the longest backoff, however often probes fail
   */
  public CircuitBreaker(String dependency, int threshold, Duration openFor, Duration maxOpenFor) {
    this(dependency, threshold, openFor, maxOpenFor, System::nanoTime);
  }

  /** With a clock of its own (tests). */
  public CircuitBreaker(String dependency, int threshold, Duration openFor, Duration maxOpenFor, LongSupplier nanoClock) {
    if (threshold < 1 || openFor.isNegative() || maxOpenFor.compareTo(openFor) < 0) {
      throw new IllegalArgumentException("invalid breaker for " + dependency + ": threshold " + threshold
          + ", open for " + openFor + " .. " + maxOpenFor);
    }
    this.dependency = dependency;
    this.threshold = threshold;
    this.openForNanos = openFor.toNanos();
    this.maxOpenForNanos = maxOpenFor.toNanos();
    this.nanoClock = nanoClock;
    this.backoffNanos = openForNanos;
  }

  public String dependency() {
    return dependency;
  }

  public int threshold() {
    return threshold;
  }

  /**
   * Whether a request may go to the dependency now: always when closed; when open, false until the
   * backoff has passed, then true for one caller (the half-open probe), which must report {@link
   * #onSuccess()} or {@link #onFailure()}.
   */
  public synchronized boolean tryAcquire() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (nanoClock.getAsLong() - openUntil < 0) {
          return false;
        }
        state = State.HALF_OPEN;
        probing = true;
        return true;
      default:
        if (probing) {
          return false;
        }
        probing = true;
        return true;
    }
  }

  /** The dependency answered: the breaker closes and the count of failures starts again. */
  public synchronized void onSuccess() {
    state = State.CLOSED;
    failures = 0;
    probing = false;
    backoffNanos = openForNanos;
  }

  /**
   * The dependency failed (its fault). Opens the breaker at the {@code threshold}-th failure in a row,
   * or again (for twice the last backoff) when a probe failed.
   *
   * @return true when the breaker is open after this failure
   */
  public synchronized boolean onFailure() {
    failures = failures == Integer.MAX_VALUE ? failures : failures + 1;
    if (state == State.HALF_OPEN) {
      backoffNanos = Math.min(maxOpenForNanos, backoffNanos > maxOpenForNanos / 2 ? maxOpenForNanos : backoffNanos * 2);
      open();
    } else if (state == State.CLOSED && failures >= threshold) {
      backoffNanos = openForNanos;
      open();
    }
    return state != State.CLOSED;
  }

  /**
   * The request ended with neither verdict (the caller gave up, was interrupted): a half-open probe
   * is handed back, so that the next caller probes.
   */
  public synchronized void release() {
    if (state == State.HALF_OPEN) {
      probing = false;
    }
  }

  private void open() {
    state = State.OPEN;
    probing = false;
    openUntil = nanoClock.getAsLong() + backoffNanos;
  }

  public synchronized State state() {
    return state;
  }

  /** Consecutive failures so far (0 after a success). */
  public synchronized int failures() {
    return failures;
  }

  /** How long until the next probe may go (zero when closed, half-open or due). */
  public synchronized Duration untilProbe() {
    if (state != State.OPEN) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(Math.max(0, openUntil - nanoClock.getAsLong()));
  }

  /** The longest a caller that may not go waits before it fails ({@link #failFast}). */
  public static final Duration FAIL_FAST_PAUSE = Duration.ofSeconds(1);

  /**
   * The exception a caller throws when {@link #tryAcquire()} said no, after a pause of up to {@link
   * #FAIL_FAST_PAUSE} (at most until the next probe): the record is retried by a replaced stream
   * thread, and without the pause an open breaker would replace threads in a tight loop.
   */
  public DependencyUnavailableException failFast(String what) {
    long pause = Math.min(untilProbe().toMillis(), FAIL_FAST_PAUSE.toMillis());
    if (pause > 0) {
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return new DependencyUnavailableException(dependency, dependency + " circuit breaker is open after "
        + failures() + " consecutive failures; not asking it for " + what + " (next probe in "
        + untilProbe().toMillis() + " ms)", null);
  }

  @Override
  public synchronized String toString() {
    return "CircuitBreaker[" + dependency + " " + state + ", " + failures + "/" + threshold + " failures]";
  }
}
