package io.llavaseg.topology.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CpuThreadsTest {
  @Test
  void theCoresAreDividedBetweenTheCpuWorkers() {
    assertEquals(OptionalInt.of(1), CpuThreads.threadsFor(0, 2, 2));
    assertEquals(OptionalInt.of(8), CpuThreads.threadsFor(0, 16, 2));
    assertEquals(OptionalInt.of(5), CpuThreads.threadsFor(0, 16, 3));
    assertEquals(OptionalInt.of(2), CpuThreads.threadsFor(0, 2, 1));
  }

  @Test
  void moreWorkersThanCoresStillGetOneThreadEach() {
    assertEquals(OptionalInt.of(1), CpuThreads.threadsFor(0, 2, 6));
  }

  @Test
  void aConfiguredNumberWins() {
    assertEquals(OptionalInt.of(3), CpuThreads.threadsFor(3, 2, 2));
  }

  @Test
  void noCpuWorkerLeavesTheEngineAlone() {
    assertEquals(OptionalInt.empty(), CpuThreads.threadsFor(0, 8, 0));
  }
}
