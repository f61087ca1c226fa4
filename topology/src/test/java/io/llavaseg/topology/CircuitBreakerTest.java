package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private final AtomicLong now = new AtomicLong();
  private final CircuitBreaker breaker = new CircuitBreaker("store", 3, Duration.ofSeconds(1), Duration.ofSeconds(3),
      now::get);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void shouldOpenOnlyAfterTheThresholdOfConsecutiveFailures() {
    assertTrue(breaker.tryAcquire());
    assertFalse(breaker.onFailure());
    assertFalse(breaker.onFailure());
    breaker.onSuccess();
    assertEquals(0, breaker.failures(), "a success starts the count again");
    assertFalse(breaker.onFailure());
    assertFalse(breaker.onFailure());
    assertTrue(breaker.onFailure(), "the third failure in a row opens it");
    assertEquals(CircuitBreaker.State.OPEN, breaker.state());
    assertFalse(breaker.tryAcquire(), "open: fail fast");
  }

  @Test
  void shouldLetOneProbeThroughAfterTheBackoffAndCloseWhenItSucceeds() {
    for (int i = 0; i < 3; i++) {
      breaker.onFailure();
    }
    advance(Duration.ofMillis(999));
    assertFalse(breaker.tryAcquire());
    advance(Duration.ofMillis(1));
    assertTrue(breaker.tryAcquire(), "the half-open probe");
    assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
    assertFalse(breaker.tryAcquire(), "only one probe at a time");
    breaker.onSuccess();
    assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    assertTrue(breaker.tryAcquire());
  }

  @Test
  void shouldReopenForTwiceAsLongWhenTheProbeFailsUpToTheMaximum() {
    for (int i = 0; i < 3; i++) {
      breaker.onFailure();
    }
    advance(Duration.ofSeconds(1));
    assertTrue(breaker.tryAcquire());
    assertTrue(breaker.onFailure(), "the probe failed: open again");
    assertEquals(Duration.ofSeconds(2), breaker.untilProbe());
    advance(Duration.ofSeconds(2));
    assertTrue(breaker.tryAcquire());
    breaker.onFailure();
    assertEquals(Duration.ofSeconds(3), breaker.untilProbe(), "capped at the maximum");
    advance(Duration.ofSeconds(3));
    assertTrue(breaker.tryAcquire());
    breaker.onFailure();
    assertEquals(Duration.ofSeconds(3), breaker.untilProbe());
  }

  @Test
  void shouldHandTheProbeBackWhenItEndsWithoutAVerdict() {
    for (int i = 0; i < 3; i++) {
      breaker.onFailure();
    }
    advance(Duration.ofSeconds(1));
    assertTrue(breaker.tryAcquire());
    breaker.release();
    assertTrue(breaker.tryAcquire(), "the next caller probes");
  }

  @Test
  void shouldFailFastWithTheDependencysNameAfterAShortPause() {
    CircuitBreaker real = new CircuitBreaker("image-store", 1, Duration.ofMillis(300), Duration.ofSeconds(1));
    real.onFailure();
    assertFalse(real.tryAcquire());
    long start = System.nanoTime();
    DependencyUnavailableException e = real.failFast("http://store/a.png");
    long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertEquals("image-store", e.dependency());
    assertTrue(e.getMessage().contains("circuit breaker is open"), e.getMessage());
    assertTrue(waited >= 100 && waited < 1000, "paused until about the probe, not longer: " + waited + " ms");
  }

  @Test
  void shouldRefuseNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new CircuitBreaker("x", 0, Duration.ZERO, Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> new CircuitBreaker("x", 1, Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }
}
