package io.llavaseg.ops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The simulated device's cost model and its one-batch-at-a-time sharing. */
class DeviceCostTest {
  private final DeviceCost reasoning = new DeviceCost(Duration.ofMillis(1200), Duration.ofMillis(10));
  private final DeviceCost segmentation = new DeviceCost(Duration.ofMillis(5), Duration.ofMillis(30));

  @Test
  void aBatchCostsItsFixedPartPlusItsSizeTimesThePerRequestPart() {
    assertEquals(Duration.ofMillis(1520), reasoning.of(32));
    // one device running both stages at batch 32: 32 queries per 1.52 s + 0.965 s
    assertEquals(32 / 2.485, DeviceCost.idealPipeline(reasoning, segmentation, 32), 1e-9);
    assertTrue(DeviceCost.idealPipeline(reasoning, segmentation, 32) > 2 * DeviceCost.idealPipeline(reasoning,
        segmentation, 1), "batching pays when the fixed part dominates");
  }

  @Test
  void workersPinnedToOneDeviceRunOneBatchAtATimeAndOtherDevicesRunBeside() throws Exception {
    DeviceCost.Devices devices = new DeviceCost.Devices();
    DeviceCost cost = new DeviceCost(Duration.ofMillis(40), Duration.ZERO);
    Runnable fiveBatches = () -> {
      for (int i = 0; i < 5; i++) {
        devices.run("gpu0", cost, 1);
      }
    };
    long t0 = System.nanoTime();
    Thread a = new Thread(fiveBatches);
    a.start();
    fiveBatches.run();
    a.join();
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(elapsedMs >= 10 * 40, "10 batches of 40 ms from two workers on one device take at least 400 ms,"
        + " took " + elapsedMs);

    // two devices: 400 ms apiece, together well under the 800 ms they would take one after the other
    DeviceCost long400 = new DeviceCost(Duration.ofMillis(400), Duration.ZERO);
    long t1 = System.nanoTime();
    Thread c = new Thread(() -> devices.run("gpu1", long400, 1));
    c.start();
    devices.run("gpu2", long400, 1);
    c.join();
    long besideMs = (System.nanoTime() - t1) / 1_000_000;
    assertTrue(besideMs < 700, "two devices run beside each other, took " + besideMs + " ms");
  }
}
