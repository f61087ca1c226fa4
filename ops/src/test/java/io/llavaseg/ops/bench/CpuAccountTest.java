package io.llavaseg.ops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The CPU accounting of the benchmark's end-to-end run: parts that sum up, and work that shows. */
@EnabledOnOs(OS.LINUX)
class CpuAccountTest {

  @Test
  void busyWorkOfAStreamThreadIsCountedAsStreamThreadsAndThePartsSumToTheTotal() throws Exception {
    CpuAccount account = CpuAccount.start(Map.of("itself", ProcessHandle.current().pid()));
    java.util.concurrent.CountDownLatch spun = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(1);
    Thread busy = new Thread(() -> {
      spinCpu(120);
      spun.countDown();
      try {
        read.await(); // alive while the account is read (ThreadMXBean counts live threads)
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-test-StreamThread-1");
    busy.start();
    spun.await();
    Map<String, Object> ms = CpuAccount.msPerQuery(account.secondsSinceStart(), 1);
    read.countDown();
    busy.join();
    double stream = (double) ms.get("stream_threads");
    assertTrue(stream > 100, "the stream thread's CPU: " + ms);
    double sum = ms.entrySet().stream().filter(e -> !e.getKey().equals("total"))
        .mapToDouble(e -> (double) e.getValue()).sum();
    assertEquals(sum, (double) ms.get("total"), 1e-6);
    // the same process counted as an "other process" sees at least the thread's work
    assertTrue((double) ms.get("itself") >= stream * 0.5, ms.toString());
  }

  /** Works until this thread has used {@code millis} of CPU, however loaded the machine. */
  private static void spinCpu(long millis) {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long end = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
    long x = 0;
    while (threads.getCurrentThreadCpuTime() < end) {
      x += System.nanoTime() % 7;
    }
    if (x == 42) {
      System.out.println(x);
    }
  }
}
