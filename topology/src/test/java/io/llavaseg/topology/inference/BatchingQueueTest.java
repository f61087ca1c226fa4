package io.llavaseg.topology.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The batching queue with a test worker that squares numbers and records its batches. */
class BatchingQueueTest {

  /** Squares its inputs; 13 makes the whole batch throw. */
  static final class Squarer implements AutoCloseable {
    final String device;
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    Squarer(String device) {
      this.device = device;
    }

    List<String> run(List<Integer> xs) {
      batchSizes.add(xs.size());
      if (xs.contains(13)) {
        throw new IllegalArgumentException("unlucky");
      }
      if (xs.contains(50) || xs.contains(51)) {
        // a slow batch (51: slower) that, like native inference, ignores interrupts
        long until = System.nanoTime() + (xs.contains(51) ? 1_500_000_000L : 400_000_000L);
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      }
      if (xs.contains(99)) {
        try {
          Thread.sleep(60_000); // a predictor that hangs
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (xs.contains(7) && FLAKY.getAndIncrement() == 0) {
        throw new IllegalStateException("transient");
      }
      return xs.stream().map(x -> device + ":" + (x * x)).toList();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static final java.util.concurrent.atomic.AtomicInteger FLAKY = new java.util.concurrent.atomic.AtomicInteger();
  private final List<Squarer> made = new CopyOnWriteArrayList<>();
  private final InferenceMetrics metrics = InferenceMetrics.standalone();

  private BatchingQueue<Squarer, Integer, String> queue(BatchPolicy policy, List<String> devices) {
    return new BatchingQueue<>("test", policy, devices, d -> {
      Squarer s = new Squarer(d);
      made.add(s);
      return s;
    }, Squarer::run, metrics);
  }

  @Test
  void concurrentRequestsShareBatchesAndEachGetsItsOwnResult() throws Exception {
    BatchingQueue<Squarer, Integer, String> q = queue(new BatchPolicy(8, Duration.ofMillis(500)), List.of("cpu"));
    int callers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    CountDownLatch go = new CountDownLatch(1);
    try (BatchingQueue<Squarer, Integer, String>.Lease lease = q.acquire()) {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        int x = i;
        results.add(pool.submit(() -> {
          go.await();
          return lease.infer(x);
        }));
      }
      go.countDown();
      for (int i = 0; i < callers; i++) {
        assertEquals("cpu:" + i * i, results.get(i).get());
      }
      List<Integer> sizes = made.get(0).batchSizes;
      assertEquals(callers, sizes.stream().mapToInt(Integer::intValue).sum());
      assertTrue(sizes.size() < callers, "8 concurrent requests within 500 ms should share batches: " + sizes);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void oneThreadAloneFillsABatchWithRequestsInFlight() throws Exception {
    BatchingQueue<Squarer, Integer, String> q =
        queue(new BatchPolicy(8, Duration.ofSeconds(30), 8), List.of("cpu"));
    try (BatchingQueue<Squarer, Integer, String>.Lease lease = q.acquire()) {
      List<BatchingQueue<Squarer, Integer, String>.Request> requests = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        requests.add(lease.submit(20 + i)); // clear of the numbers that make the squarer fail
      }
      // the batch is not full and its max-delay is far: nothing has run, 7 of 8 slots are taken
      assertEquals(1, lease.freeSlots(), "7 of 8 slots taken");
      requests.add(lease.submit(27));
      for (int i = 0; i < 8; i++) {
        requests.get(i).await();
        assertEquals("cpu:" + (20 + i) * (20 + i), requests.get(i).result());
      }
      assertEquals(List.of(8), made.get(0).batchSizes, "one batch of 8 from one thread");
      assertEquals(8, lease.freeSlots(), "slots come back with the results");
    }
  }

  /**
   * Two stages' queues on one device: while the first runs a slow batch (1.5 s), six requests reach
   * the second one by one. With turns the second forms its batch when the device is free: one batch
   * of six, after the slow one. Without, it takes the first request at once (max-delay 0) and answers
   * it while the slow batch still runs.
   */
  @Test
  void workersTakingTurnsOnADeviceFormTheirBatchWhenItIsFree() throws Exception {
    SecondStage turns = secondStage(DeviceTurns.exclusive());
    assertEquals(List.of(6), turns.batches(), "with turns: one batch when the device frees");
    assertFalse(turns.firstBeforeSlow(), "with turns nothing of the second stage runs beside the slow batch");
    SecondStage alone = secondStage(DeviceTurns.NONE);
    assertEquals(6, alone.batches().stream().mapToInt(Integer::intValue).sum());
    assertTrue(alone.firstBeforeSlow(), "without turns the second stage does not wait for the device");
  }

  private record SecondStage(List<Integer> batches, boolean firstBeforeSlow) {}

  private SecondStage secondStage(DeviceTurns turns) throws Exception {
    List<Squarer> first = new CopyOnWriteArrayList<>();
    List<Squarer> second = new CopyOnWriteArrayList<>();
    BatchPolicy policy = new BatchPolicy(8, Duration.ZERO, 8);
    BatchingQueue<Squarer, Integer, String> a = new BatchingQueue<>("a", policy, List.of("cpu"), d -> {
      Squarer w = new Squarer(d);
      first.add(w);
      return w;
    }, Squarer::run, metrics, BatchingQueue.FailurePolicy.lenient(), turns);
    BatchingQueue<Squarer, Integer, String> b = new BatchingQueue<>("b", policy, List.of("cpu"), d -> {
      Squarer w = new Squarer(d);
      second.add(w);
      return w;
    }, Squarer::run, metrics, BatchingQueue.FailurePolicy.lenient(), turns);
    try (BatchingQueue<Squarer, Integer, String>.Lease la = a.acquire();
        BatchingQueue<Squarer, Integer, String>.Lease lb = b.acquire()) {
      BatchingQueue<Squarer, Integer, String>.Request slow = la.submit(51); // holds the device for 1.5 s
      while (first.isEmpty() || first.get(0).batchSizes.isEmpty()) {
        Thread.sleep(5);
      }
      List<BatchingQueue<Squarer, Integer, String>.Request> requests = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        requests.add(lb.submit(20 + i));
        Thread.sleep(10);
      }
      requests.get(0).await();
      boolean firstBeforeSlow = !slow.isDone();
      for (int i = 0; i < 6; i++) {
        requests.get(i).await();
        assertEquals("cpu:" + (20 + i) * (20 + i), requests.get(i).result());
      }
      slow.await();
      assertEquals("cpu:2601", slow.result());
      return new SecondStage(second.get(0).batchSizes, firstBeforeSlow);
    }
  }

  @Test
  void aThreadWithoutAFreeSlotWaitsAtMostTheRequestTimeout() throws Exception {
    BatchingQueue<Squarer, Integer, String> q = new BatchingQueue<>("slots", new BatchPolicy(1, Duration.ZERO, 1),
        List.of("cpu"), Squarer::new, Squarer::run, metrics,
        new BatchingQueue.FailurePolicy(1, Duration.ofMillis(200), Duration.ofHours(1)));
    try (BatchingQueue<Squarer, Integer, String>.Lease lease = q.acquire()) {
      BatchingQueue<Squarer, Integer, String>.Request slow = lease.submit(99); // hangs until the queue stops
      InferenceFailure e = assertThrows(InferenceFailure.class, () -> lease.submit(2));
      assertTrue(e.timedOut() && e.getMessage().contains("no free slot"), e.getMessage());
      slow.await();
      assertTrue(slow.isDone());
      InferenceFailure late = assertThrows(InferenceFailure.class, slow::result);
      assertTrue(late.timedOut(), "a hanging request is past the 200 ms request timeout: " + late.getMessage());
      assertEquals(1, lease.freeSlots(), "a withdrawn request gives its slot back");
    }
  }

  @Test
  void aFailingRequestFailsAloneAfterItsBatchIsRetriedOneByOne() throws Exception {
    BatchingQueue<Squarer, Integer, String> q = queue(new BatchPolicy(4, Duration.ofMillis(300)), List.of("cpu"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (BatchingQueue<Squarer, Integer, String>.Lease lease = q.acquire()) {
      List<Future<String>> results = new ArrayList<>();
      for (int x : new int[] {2, 13, 3, 4}) {
        results.add(pool.submit(() -> lease.infer(x)));
      }
      assertEquals("cpu:4", results.get(0).get());
      Exception e = assertThrows(Exception.class, () -> results.get(1).get());
      assertTrue(e.getCause() instanceof InferenceFailure, e.toString());
      assertTrue(e.getCause().getCause() instanceof IllegalArgumentException, e.toString());
      assertEquals("cpu:9", results.get(2).get());
      assertEquals("cpu:16", results.get(3).get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTransientFailureIsRetriedAndAHangingPredictorTimesOutAndIsReplaced() throws Exception {
    FLAKY.set(0);
    BatchingQueue<Squarer, Integer, String> q = new BatchingQueue<>("test", new BatchPolicy(1, Duration.ZERO),
        List.of("cpu"), d -> {
          Squarer s = new Squarer(d);
          made.add(s);
          return s;
        }, Squarer::run, metrics,
        new BatchingQueue.FailurePolicy(2, Duration.ofMillis(1500), Duration.ofMillis(500)));
    try (BatchingQueue<Squarer, Integer, String>.Lease lease = q.acquire()) {
      assertEquals("cpu:49", lease.infer(7), "failed once, then answered on its second attempt");
      InferenceFailure hung = assertThrows(InferenceFailure.class, () -> lease.infer(99));
      assertTrue(hung.timedOut(), hung.toString());
      // the stuck worker was abandoned and replaced: the stage answers again
      assertEquals("cpu:16", lease.infer(4));
      assertEquals(2, made.size(), "one replacement worker");
      assertEquals(1, q.liveWorkers());
    }
  }

  @Test
  void oneWorkerPerListedDeviceStartsWithTheFirstLeaseAndClosesWithTheLast() throws Exception {
    BatchingQueue<Squarer, Integer, String> q = queue(new BatchPolicy(1, Duration.ZERO), List.of("gpu0", "gpu1", "gpu0"));
    BatchingQueue<Squarer, Integer, String>.Lease a = q.acquire();
    BatchingQueue<Squarer, Integer, String>.Lease b = q.acquire();
    assertTrue(a.infer(5).endsWith(":25"));
    assertEquals(3, q.liveWorkers());
    a.close();
    a.close();
    assertEquals(3, q.liveWorkers());
    b.close();
    assertEquals(0, q.liveWorkers());
    assertEquals(List.of("gpu0", "gpu0", "gpu1"), made.stream().map(s -> s.device).sorted().toList());
    assertTrue(made.stream().allMatch(s -> s.closed));
    assertThrows(IllegalStateException.class, () -> a.infer(1));
    // a new lease starts new workers
    try (BatchingQueue<Squarer, Integer, String>.Lease c = q.acquire()) {
      assertTrue(c.infer(3).endsWith(":9"));
    }
    assertEquals(6, made.size());
  }

  private static long workerThreads(String stage) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("llavaseg-" + stage + "-cpu-")).count();
  }

  @Test
  void aLeaseTakenWhileTheLastOneIsReleasedKeepsItsRequestsAndOnlyItsOwnWorkersServeThem() throws Exception {
    BatchingQueue<Squarer, Integer, String> q = new BatchingQueue<>("race", new BatchPolicy(1, Duration.ZERO),
        List.of("cpu"), d -> {
          Squarer s = new Squarer(d);
          made.add(s);
          return s;
        }, Squarer::run, metrics);
    BatchingQueue<Squarer, Integer, String>.Lease first = q.acquire();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var slow = pool.submit(() -> first.infer(50)); // the old worker is busy for 400 ms
      Thread.sleep(100);
      var closing = pool.submit(() -> first.close()); // waits for the old worker's batch
      Thread.sleep(50);
      BatchingQueue<Squarer, Integer, String>.Lease second = q.acquire(); // starts new workers meanwhile
      var a = pool.submit(() -> second.infer(50)); // keeps the new worker busy
      var b = pool.submit(() -> second.infer(3));  // waits in the queue while the old one is released
      assertEquals("cpu:2500", slow.get(5, java.util.concurrent.TimeUnit.SECONDS));
      closing.get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals("cpu:2500", a.get(5, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals("cpu:9", b.get(5, java.util.concurrent.TimeUnit.SECONDS), "not failed by the old release");
      assertEquals(1, workerThreads("race"), "the old worker stopped; only the new one serves");
      second.close();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aModelThatHangsEverywhereDoesNotGrowThreadsWithoutBound() throws Exception {
    BatchingQueue<Squarer, Integer, String> q = new BatchingQueue<>("hang", new BatchPolicy(1, Duration.ZERO),
        List.of("cpu"), d -> {
          Squarer s = new Squarer(d);
          made.add(s);
          return s;
        }, Squarer::run, metrics,
        new BatchingQueue.FailurePolicy(1, Duration.ofMillis(600), Duration.ofMillis(200)));
    try (BatchingQueue<Squarer, Integer, String>.Lease lease = q.acquire()) {
      for (int i = 0; i < 4; i++) {
        assertTrue(assertThrows(InferenceFailure.class, () -> lease.infer(99)).timedOut());
      }
      Thread.sleep(400);
      assertTrue(workerThreads("hang") <= 2, "one worker and at most one abandoned per device: " + workerThreads("hang"));
    }
  }
}
