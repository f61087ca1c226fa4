package io.llavaseg.topology.inference;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Whether the workers pinned to one device take turns on it ({@code llavaseg.inference.exclusive-devices}).
 * With turns, a worker of either stage waits for the device to be free before it forms its batch, so
 * the requests that arrive while the other stage's batch runs join the next batch instead of waiting
 * behind a batch formed too early: on a device that runs one batch at a time (a GPU serializes
 * kernels), batches are then as large as the queue allows. Without turns (the default), each worker
 * forms its batch as soon as it is free itself, and the device's own scheduling decides the rest.
 */
public final class DeviceTurns {
  /** No turns: workers run whenever they have a batch. */
  public static final DeviceTurns NONE = new DeviceTurns(false);

  private final boolean exclusive;
  private final ConcurrentHashMap<String, Semaphore> turns = new ConcurrentHashMap<>();

  private DeviceTurns(boolean exclusive) {
    this.exclusive = exclusive;
  }

  /** Turns shared by every queue built with this instance (one per process). */
  public static DeviceTurns exclusive() {
    return new DeviceTurns(true);
  }

  public boolean isExclusive() {
    return exclusive;
  }

  /** Waits for {@code device}'s turn; a no-op without turns. */
  public void acquire(String device) throws InterruptedException {
    if (exclusive) {
      turns.computeIfAbsent(device, d -> new Semaphore(1, true)).acquire();
    }
  }

  /** Gives {@code device}'s turn to the next worker waiting; a no-op without turns. */
  public void release(String device) {
    if (exclusive) {
      turns.get(device).release();
    }
  }
}
