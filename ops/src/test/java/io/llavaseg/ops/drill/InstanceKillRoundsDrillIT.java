package io.llavaseg.ops.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.embedded.KafkaClusterProcess;
import io.llavaseg.embedded.RegistryLauncher;
import io.llavaseg.ops.ServiceProcess;
import io.llavaseg.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three rounds of SIGKILL on the 3-node KRaft cluster (topics with replication 3, min ISR 2): two
 * instances share the work while a round's queries stream in; at a random point of the round
 * (a random number of masks in) a random instance is killed with SIGKILL and started again. A
 * {@link TransactionProbe} shows that each kill hit an open transaction (records of it stay
 * aborted in the log); a read_committed consumer sees every query answered and masked exactly
 * once, and nothing is dead-lettered. The seed is printed ({@code -Ddrill.seed} replays it).
 */
class InstanceKillRoundsDrillIT {
  private static final Duration DEADLINE = Duration.ofMinutes(4);
  private static final int ROUNDS = 3;
  private static final int PER_ROUND = 240;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void threeRoundsOfSigkillOfARandomInstanceAtARandomPointLoseAndDuplicateNothing() throws Exception {
    long seed = Long.getLong("drill.seed", System.nanoTime());
    Random random = new Random(seed);
    String app = "drill-kill-rounds";
    List<ServiceProcess> instances = new ArrayList<>();
    long started = System.nanoTime();
    try (KafkaClusterProcess cluster = KafkaClusterProcess.start(dir.resolve("kafka"), 3, Duration.ofMinutes(3));
        RegistryLauncher registry = RegistryLauncher.builder().logFile(dir.resolve("registry.log")).start()) {
      String bootstrap = cluster.bootstrapServers();
      Map<String, String> p = DrillProperties.of(bootstrap, registry.url(), app, 3);
      // a killed instance's open transaction is aborted after this (the derived default is 60 s or more)
      p.put("transaction.timeout.ms", "15000");
      instances.add(new ServiceProcess(dir.resolve("a"), p, "PT0.03S"));
      instances.add(new ServiceProcess(dir.resolve("b"), p, "PT0.03S"));
      for (ServiceProcess s : instances) {
        s.start();
      }
      for (ServiceProcess s : instances) {
        s.awaitReady(Duration.ofMinutes(2));
      }
      DrillProperties.assertReplicated(bootstrap, Topics.IMAGE_ANSWERS, 3, 2);
      DrillProperties.assertReplicated(bootstrap, Topics.IMAGE_MASKS, 3, 2);
      List<Map<TopicPartition, Long>> kills = new ArrayList<>();
      List<String> rounds = new ArrayList<>();
      try (OutputCounter outputs = new OutputCounter(bootstrap, registry.url(), instances);
          TransactionProbe probe = new TransactionProbe(bootstrap, app)) {
        for (int round = 1; round <= ROUNDS; round++) {
          int base = (round - 1) * PER_ROUND;
          Thread producer = QueryProducer.start(bootstrap, registry.url(), "k" + round + "-", PER_ROUND, 30);
          int killAt = base + 10 + random.nextInt(PER_ROUND / 2);
          outputs.awaitMasks(killAt, DEADLINE);
          int victim = random.nextInt(instances.size());
          boolean streaming = producer.isAlive();
          instances.get(victim).kill();
          kills.add(probe.endOffsets()); // the killed producer can add nothing after this
          long down = System.nanoTime();
          instances.get(victim).start().awaitReady(Duration.ofMinutes(3));
          double readyAfter = (System.nanoTime() - down) / 1e9;
          producer.join();
          outputs.awaitMasks(round * PER_ROUND, DEADLINE);
          outputs.awaitAnswers(round * PER_ROUND, DEADLINE);
          rounds.add(String.format("round %d: %s killed after %d of %d masks (queries streaming: %s), ready again after %.0f s",
              round, victim == 0 ? "a" : "b", killAt - base, PER_ROUND, streaming, readyAfter));
        }
        Thread.sleep(5000); // anything duplicated would be committed by now
        int n = ROUNDS * PER_ROUND;
        outputs.assertExactlyOnce(n);
        assertEquals(0, OutputCounter.countRecords(bootstrap, Topics.IMAGE_QUERIES_DLQ), "nothing dead-lettered");
        List<Integer> aborted = probe.abortedPerKill(kills);
        for (int i = 0; i < ROUNDS; i++) {
          System.out.printf("InstanceKillRoundsDrillIT: %s; %d records of transactions open at the kill aborted%n",
              rounds.get(i), aborted.get(i));
        }
        System.out.printf("InstanceKillRoundsDrillIT: %d SIGKILL rounds (seed %d), each hitting an open transaction "
            + "(aborted records %s); %d/%d answers and masks, 0 duplicates, 0 dead letters, %.0f s%n",
            ROUNDS, seed, aborted, n, n, (System.nanoTime() - started) / 1e9);
        for (int i = 0; i < ROUNDS; i++) {
          assertTrue(aborted.get(i) > 0, "round " + (i + 1) + ": no transaction was open at the kill (seed " + seed + ")");
        }
      }
    } finally {
      for (ServiceProcess s : instances) {
        s.close();
      }
    }
  }
}
