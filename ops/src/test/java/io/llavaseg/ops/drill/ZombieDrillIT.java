package io.llavaseg.ops.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.embedded.KafkaBrokerProcess;
import io.llavaseg.embedded.RegistryLauncher;
import io.llavaseg.ops.ServiceProcess;
import io.llavaseg.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zombie instance: of two instances sharing the work, one is frozen with SIGSTOP mid-stream (as
 * in a long GC pause or a frozen VM) well past its session timeout (6 s), with its transactions
 * open. The group rebalances, the other instance takes over its partitions (once the frozen one's
 * open transactions are aborted at transaction.timeout.ms, 15 s here) and answers every query.
 * Then the frozen one is resumed with SIGCONT: it finds itself fenced, replaces the stream threads
 * whose transactions were aborted or fenced, and rejoins without exiting;
 * a read_committed consumer sees nothing duplicated and nothing lost, and nothing is dead-lettered.
 */
class ZombieDrillIT {
  private static final Duration DEADLINE = Duration.ofMinutes(4);
  /** What a resumed zombie logs when it learns it was fenced or dropped from the group. */
  private static final List<String> FENCED = List.of("fenced", "Fenced", "TaskMigratedException",
      "missed a rebalance", "UNKNOWN_MEMBER_ID", "is not the current generation", "InvalidProducerEpoch");

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void aFrozenInstanceResumedPastItsSessionTimeoutIsFencedAndDuplicatesNothing() throws Exception {
    String app = "drill-zombie";
    List<ServiceProcess> instances = new ArrayList<>();
    long started = System.nanoTime();
    try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dir.resolve("kafka"), Duration.ofMinutes(2));
        RegistryLauncher registry = RegistryLauncher.builder().logFile(dir.resolve("registry.log")).start()) {
      String bootstrap = broker.bootstrapServers();
      Map<String, String> p = DrillProperties.of(bootstrap, registry.url(), app, 1);
      // the frozen instance's open transactions are aborted after this (the derived default is 60 s or more)
      p.put("transaction.timeout.ms", "15000");
      ServiceProcess zombie = new ServiceProcess(dir.resolve("a"), p, "PT0.03S");
      ServiceProcess other = new ServiceProcess(dir.resolve("b"), p, "PT0.03S");
      instances.add(zombie);
      instances.add(other);
      zombie.start();
      other.start();
      zombie.awaitReady(Duration.ofMinutes(2));
      other.awaitReady(Duration.ofMinutes(2));
      int n = 500;
      try (OutputCounter outputs = new OutputCounter(bootstrap, registry.url(), instances)) {
        Thread producer = QueryProducer.start(bootstrap, registry.url(), "z-", n, 40);
        outputs.awaitMasks(100, DEADLINE);
        zombie.pause();
        long frozen = System.nanoTime();
        int atPause = outputs.masks.size();
        // every query, those of the zombie's partitions included, is answered by the other instance
        producer.join();
        outputs.awaitMasks(n, DEADLINE);
        outputs.awaitAnswers(n, DEADLINE);
        double tookOver = (System.nanoTime() - frozen) / 1e9;
        zombie.resume();
        double resumedAfter = (System.nanoTime() - frozen) / 1e9;
        String fencedBy = awaitLogged(zombie, Duration.ofMinutes(2));
        // the service replaces a stream thread whose transaction was aborted or fenced while it was
        // away (LlavasegService.onUncaught): the instance itself stays up and rejoins the group
        try {
          zombie.awaitReady(Duration.ofMinutes(2)); // back in the group
        } catch (IllegalStateException notBack) {
          throw new AssertionError("the resumed zombie did not rejoin (alive: " + zombie.isAlive() + ")", notBack);
        }
        Thread.sleep(5000); // anything duplicated would be committed by now
        assertTrue(zombie.isAlive(), "the resumed zombie stayed up:\n" + zombie.tail());
        int replaced = count(zombie.currentRunLog(), "aborted or fenced while it was away");
        outputs.assertExactlyOnce(n);
        int deadLetters = OutputCounter.countRecords(bootstrap, Topics.IMAGE_QUERIES_DLQ);
        System.out.printf("ZombieDrillIT: instance frozen (SIGSTOP) after %d of %d masks; the other answered all %d"
            + " within %.0f s; zombie resumed (SIGCONT) after %.0f s, fenced (logged \"%s\"), %d stream"
            + " threads replaced, rejoined without exiting; %d/%d answers and masks, 0 duplicates, %d dead letters, %.0f s%n", atPause, n, n, tookOver, resumedAfter,
            fencedBy, replaced, n, n, deadLetters, (System.nanoTime() - started) / 1e9);
        assertTrue(resumedAfter > 6, "frozen past the 6 s session timeout");
        assertEquals(0, deadLetters, "nothing dead-lettered");
      }
    } finally {
      for (ServiceProcess s : instances) {
        s.close();
      }
    }
  }

  private static int count(String text, String what) {
    int count = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      count++;
    }
    return count;
  }

  /** Waits until the instance logs one of {@link #FENCED} and returns it. */
  private static String awaitLogged(ServiceProcess s, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String log = s.currentRunLog();
      Optional<String> hit = FENCED.stream().filter(log::contains).findFirst();
      if (hit.isPresent()) {
        return hit.get();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the resumed zombie never logged being fenced:\n" + s.tail());
  }
}
