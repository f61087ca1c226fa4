package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.topology.model.ThreadWorkers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadWorkersTest {

  @Test
  void shouldShareOneWorkerPerThreadAndCloseItWithTheLastLease() {
    List<FakeSegmenter> made = new ArrayList<>();
    ThreadWorkers<FakeSegmenter> workers = new ThreadWorkers<>("segmenter", () -> {
      FakeSegmenter s = new FakeSegmenter();
      made.add(s);
      return s;
    });
    ThreadWorkers<FakeSegmenter>.Lease a = workers.acquire();
    ThreadWorkers<FakeSegmenter>.Lease b = workers.acquire();
    assertSame(a.worker(), b.worker());
    assertEquals(1, made.size());
    a.close();
    a.close();
    assertFalse(made.get(0).isClosed(), "still leased by b");
    b.close();
    assertTrue(made.get(0).isClosed());
    assertEquals(0, workers.liveWorkers());
    assertThrows(IllegalStateException.class, a::worker);
    // A new lease after all were closed makes a new worker.
    ThreadWorkers<FakeSegmenter>.Lease c = workers.acquire();
    assertNotSame(made.get(0), c.worker());
    c.close();
  }

  @Test
  void shouldGiveEachThreadItsOwnWorker() throws Exception {
    ThreadWorkers<FakeReasoner> workers = new ThreadWorkers<>("reasoner", FakeReasoner::new);
    ThreadWorkers<FakeReasoner>.Lease mine = workers.acquire();
    AtomicReference<FakeReasoner> theirs = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try (ThreadWorkers<FakeReasoner>.Lease lease = workers.acquire()) {
        theirs.set(lease.worker());
      }
    });
    t.start();
    t.join();
    assertNotSame(mine.worker(), theirs.get());
    assertSame(t, theirs.get().thread());
    assertTrue(theirs.get().isClosed());
    assertEquals(1, workers.liveWorkers());
    mine.close();
  }

  @Test
  void shouldMoveALeaseUsedFromAnotherThreadToThatThreadsWorker() throws Exception {
    ThreadWorkers<FakeReasoner> workers = new ThreadWorkers<>("reasoner", FakeReasoner::new);
    ThreadWorkers<FakeReasoner>.Lease lease = workers.acquire();
    FakeReasoner first = lease.worker();
    AtomicReference<FakeReasoner> used = new AtomicReference<>();
    Thread t = new Thread(() -> used.set(lease.worker()));
    t.start();
    t.join();
    assertSame(t, used.get().thread());
    assertTrue(first.isClosed(), "the first thread's worker had no other lease");
    lease.close();
    assertTrue(used.get().isClosed());
    assertEquals(0, workers.liveWorkers());
  }
}
