package io.llavaseg.topology.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Device assignment without a GPU: the GPU count is given, not probed. */
class DevicePlanTest {

  @Test
  void cpuIsOneDeviceAndEveryWorkerRunsOnIt() {
    DevicePlan plan = DevicePlan.parse("cpu", () -> 4);
    assertEquals(List.of("cpu"), plan.devices());
    assertEquals(List.of("cpu", "cpu", "cpu"), plan.assign(3));
  }

  @Test
  void workersGoToTheListedGpusRoundRobin() {
    DevicePlan plan = DevicePlan.parse(" gpu0, gpu1 ", () -> 0);
    assertEquals(List.of("gpu0", "gpu1"), plan.devices());
    assertEquals(List.of("gpu0", "gpu1", "gpu0", "gpu1", "gpu0"), plan.assign(5));
    assertEquals("gpu1", plan.deviceOf(7));
  }

  @Test
  void autoTakesEveryGpuTheEngineSeesElseTheCpu() {
    assertEquals(List.of("gpu0", "gpu1", "gpu2"), DevicePlan.parse("auto", () -> 3).devices());
    assertEquals(List.of("cpu"), DevicePlan.parse("AUTO", () -> 0).devices());
  }

  @Test
  void theGpuCountIsOnlyAskedForAuto() {
    AtomicInteger asked = new AtomicInteger();
    DevicePlan.parse("gpu1", () -> asked.incrementAndGet());
    assertEquals(0, asked.get());
  }

  @Test
  void refusesUnknownDuplicatedOrMixedDevices() {
    for (String bad : new String[] {"", "tpu0", "gpu0,gpu0", "cpu,gpu0", "gpu-1"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DevicePlan.parse(bad, () -> 0), bad);
      assertTrue(e.getMessage().contains("llavaseg.inference.devices"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> DevicePlan.parse("cpu", () -> 0).assign(0));
  }
}
