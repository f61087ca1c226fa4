package io.llavaseg.ops.bench;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * The cost model of a simulated accelerator: a batch of {@code n} requests of one stage costs
 * {@code fixed + perRequest * n} of the device's time, and a device runs one batch at a time
 * whichever worker sent it (a GPU serializes kernels), so workers pinned to the same device share
 * it. The benchmark's defaults ({@code ops/llavaseg bench --device-*}) come from public figures for a
 * single A100:
 * <ul>
 *   <li>reasoning, a 7B MLLM's chain of thought of about 100 generated tokens: a decode step of
 *       about 12 ms at batch 1 growing by about 0.1 ms per sequence (memory-bound decoding, vLLM's
 *       published Llama-2-7B figures), so 100 steps cost 1200 ms + 10 ms per query;
 *   <li>segmentation, a SAM 2 (Hiera-L) image encoder and mask decoder: about 30 ms per image
 *       (SAM 2 reports about 30 frames/s on an A100), compute-bound, so 5 ms + 30 ms per image.
 * </ul>
 */
public record DeviceCost(Duration fixed, Duration perRequest) {
  /** The device time of a batch of {@code n}. */
  public Duration of(int n) {
    return fixed.plus(perRequest.multipliedBy(n));
  }

  /**
   * Queries per second of one device that runs both stages at batch {@code n}, never idle: each
   * query costs its share of a reasoning and of a segmentation batch.
   */
  public static double idealPipeline(DeviceCost reasoning, DeviceCost segmentation, int n) {
    return n / ((reasoning.of(n).toNanos() + segmentation.of(n).toNanos()) / 1e9);
  }

  /** Simulated devices by name: one batch at a time on each. */
  public static final class Devices {
    private final ConcurrentHashMap<String, Semaphore> busy = new ConcurrentHashMap<>();

    /** Holds {@code device} for the cost of a batch of {@code n} (waiting first while another batch runs). */
    public void run(String device, DeviceCost cost, int n) {
      Semaphore s = busy.computeIfAbsent(device, d -> new Semaphore(1, true));
      try {
        s.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + device, e);
      }
      try {
        long until = System.nanoTime() + cost.of(n).toNanos();
        long left;
        while ((left = until - System.nanoTime()) > 0) {
          LockSupport.parkNanos(left);
          if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted on " + device);
          }
        }
      } finally {
        s.release();
      }
    }
  }
}
