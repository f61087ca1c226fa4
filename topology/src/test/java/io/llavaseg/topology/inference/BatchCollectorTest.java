package io.llavaseg.topology.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/** Batch formation: full batches close at once, partial ones at their first item's deadline. */
class BatchCollectorTest {
  private record Item(int id, long enqueued) {}

  private static Item item(int id) {
    return new Item(id, System.nanoTime());
  }

  @Test
  void queuedItemsFormFullBatchesInArrivalOrder() throws InterruptedException {
    LinkedBlockingQueue<Item> q = new LinkedBlockingQueue<>();
    for (int i = 0; i < 10; i++) {
      q.add(new Item(i, 0)); // enqueued long ago
    }
    BatchCollector<Item> c = new BatchCollector<>(q, new BatchPolicy(4, Duration.ofMillis(20)), Item::enqueued);
    assertEquals(List.of(0, 1, 2, 3), c.next(10).stream().map(Item::id).toList());
    assertEquals(List.of(4, 5, 6, 7), c.next(10).stream().map(Item::id).toList());
    assertEquals(List.of(8, 9), c.next(10).stream().map(Item::id).toList());
    assertTrue(c.next(10).isEmpty());
  }

  @Test
  void aLateItemJoinsWhileTheFirstItemsDelayLasts() throws Exception {
    LinkedBlockingQueue<Item> q = new LinkedBlockingQueue<>();
    BatchCollector<Item> c = new BatchCollector<>(q, new BatchPolicy(8, Duration.ofSeconds(5)), Item::enqueued);
    q.add(item(1));
    Thread late = new Thread(() -> {
      try {
        Thread.sleep(100);
        q.add(item(2));
        q.add(item(3));
      } catch (InterruptedException ignored) {
        // test ends
      }
    });
    late.start();
    // closes at max-size? no: 3 < 8, so at the 5 s deadline; stop waiting early by filling it up
    Thread filler = new Thread(() -> {
      try {
        Thread.sleep(300);
        for (int i = 4; i <= 8; i++) {
          q.add(item(i));
        }
      } catch (InterruptedException ignored) {
        // test ends
      }
    });
    filler.start();
    List<Item> batch = c.next(1000);
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), batch.stream().map(Item::id).toList());
    late.join();
    filler.join();
  }

  @Test
  void aLoneItemLeavesAtItsDeadlineWithoutWaitingForCompany() throws InterruptedException {
    LinkedBlockingQueue<Item> q = new LinkedBlockingQueue<>();
    BatchCollector<Item> c = new BatchCollector<>(q, new BatchPolicy(8, Duration.ofMillis(50)), Item::enqueued);
    q.add(item(1));
    List<Item> batch = c.next(1000);
    assertEquals(1, batch.size());
    assertTrue(q.isEmpty());
  }

  @Test
  void itemsThatWaitedForTheWorkerStillGetMaxDelayForCompany() throws Exception {
    LinkedBlockingQueue<Item> q = new LinkedBlockingQueue<>();
    // queued while the worker ran its previous batch, long past their own max-delay
    q.add(new Item(1, 0));
    q.add(new Item(2, 0));
    BatchCollector<Item> c = new BatchCollector<>(q, new BatchPolicy(4, Duration.ofSeconds(5)), Item::enqueued);
    Thread refill = new Thread(() -> {
      try {
        Thread.sleep(100); // the stream threads' slots came free with the previous batch's results
        q.add(item(3));
        q.add(item(4));
      } catch (InterruptedException ignored) {
        // test ends
      }
    });
    refill.start();
    List<Item> batch = c.next(1000);
    assertEquals(List.of(1, 2, 3, 4), batch.stream().map(Item::id).toList());
    refill.join();
  }

  @Test
  void itemsThatWaitedForTheWorkerLeaveAtMaxDelayWhenNoneComes() throws InterruptedException {
    LinkedBlockingQueue<Item> q = new LinkedBlockingQueue<>();
    q.add(new Item(1, 0));
    BatchCollector<Item> c = new BatchCollector<>(q, new BatchPolicy(4, Duration.ofMillis(50)), Item::enqueued);
    long t0 = System.nanoTime();
    assertEquals(1, c.next(1000).size());
    long waitedMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(waitedMs >= 45 && waitedMs < 5_000, "waited " + waitedMs + " ms");
  }

  @Test
  void maxSizeOneTurnsBatchingOff() throws InterruptedException {
    LinkedBlockingQueue<Item> q = new LinkedBlockingQueue<>();
    q.add(item(1));
    q.add(item(2));
    BatchCollector<Item> c = new BatchCollector<>(q, new BatchPolicy(1, Duration.ofSeconds(5)), Item::enqueued);
    assertEquals(1, c.next(10).size());
    assertEquals(1, c.next(10).size());
  }

  @Test
  void aWorkerInterruptedWhileItsBatchFormsPutsBackWhatItTook() throws Exception {
    LinkedBlockingQueue<Item> q = new LinkedBlockingQueue<>();
    BatchCollector<Item> c = new BatchCollector<>(q, new BatchPolicy(8, Duration.ofSeconds(30)), Item::enqueued);
    q.add(item(1));
    q.add(item(2));
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
    Thread worker = new Thread(() -> {
      try {
        c.next(1000); // takes 1 and 2, then waits up to 30 s for six more
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    worker.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!q.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(q.isEmpty(), "the worker took both items");
    worker.interrupt();
    worker.join(10_000);
    assertTrue(thrown.get() instanceof InterruptedException, "interrupted: " + thrown.get());
    assertEquals(List.of(1, 2), q.stream().map(Item::id).toList());
  }
}
