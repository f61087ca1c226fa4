package io.llavaseg.ops.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.embedded.KafkaClusterProcess;
import io.llavaseg.embedded.RegistryLauncher;
import io.llavaseg.ops.ServiceProcess;
import io.llavaseg.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three rounds of SIGKILL on the 3-node KRaft cluster (topics with replication 3, min ISR 2): two
 * instances share the work while a round's queries stream in (300 at 20 a second); at a random
 * point of the round (between a quarter and three quarters of its queries sent, once it is being
 * answered, at the first moment after it that the victim has a transaction open) a random instance
 * is killed with SIGKILL and started again. A {@link TransactionProbe}
 * shows that each kill hit open transactions (the coordinators list the killed instance's
 * transactions as ONGOING right after the kill, and records of the round stay aborted in the
 * log); a read_committed consumer sees every query answered and masked exactly
 * once, and nothing is dead-lettered. The seed is printed ({@code -Ddrill.seed} replays it).
 */
class InstanceKillRoundsDrillIT {
  private static final Duration DEADLINE = Duration.ofMinutes(4);
  private static final int ROUNDS = 3;
  private static final int PER_ROUND = 300;
  /** Queries per second: a round streams for 15 s, so the kill lands while queries still arrive. */
  private static final int RATE = 20;
  /** Queries answered before the first round. */
  private static final int WARMUP = 40;

  /** The Kafka Streams process id of an instance: from its state directory, else from its log. */
  private static String processId(ServiceProcess s, String app) throws Exception {
    Path file = s.log().getParent().resolve("state").resolve(app).resolve("kafka-streams-process-metadata");
    if (Files.exists(file)) {
      Matcher m = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
          .matcher(Files.readString(file));
      if (m.find()) {
        return m.group();
      }
    }
    return TransactionProbe.processId(app, s.currentRunLog());
  }

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
      List<TransactionProbe.Open> opens = new ArrayList<>();
      List<Boolean> streamed = new ArrayList<>();
      try (OutputCounter outputs = new OutputCounter(bootstrap, registry.url(), instances);
          TransactionProbe probe = new TransactionProbe(bootstrap, app)) {
        // warm-up: the first queries of cold instances take many seconds, which would let a round's
        // stream end before its first answers
        Thread warm = QueryProducer.start(bootstrap, registry.url(), "w-", WARMUP, RATE);
        warm.join();
        outputs.awaitMasks(WARMUP, DEADLINE);
        outputs.awaitAnswers(WARMUP, DEADLINE);
        for (int round = 1; round <= ROUNDS; round++) {
          int base = WARMUP + (round - 1) * PER_ROUND;
          AtomicInteger sent = new AtomicInteger();
          Thread producer = QueryProducer.start(bootstrap, registry.url(), "k" + round + "-", PER_ROUND, RATE, sent);
          // a random point while the round's queries still stream in and are being answered
          int killAt = PER_ROUND / 4 + random.nextInt(PER_ROUND / 2);
          outputs.awaitMasks(base + 10, DEADLINE);
          while (sent.get() < killAt && producer.isAlive()) {
            Thread.sleep(20);
          }
          int victim = random.nextInt(instances.size());
          ServiceProcess killed = instances.get(victim);
          String processId = processId(killed, app);
          boolean streaming;
          int sentAtKill;
          int masksAtKill;
          TransactionProbe.Open open;
          double readyAfter;
          int attempt = 0;
          do {
            // and the next moment the victim has a transaction open: between two commits a loaded
            // instance may have none (its threads idle, or rejoining the group)
            long openDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (probe.openTransactions(processId).transactions() == 0 && System.nanoTime() < openDeadline) {
              Thread.sleep(10);
            }
            streaming = producer.isAlive();
            sentAtKill = sent.get();
            masksAtKill = outputs.masks.size() - base;
            killed.kill();
            // the coordinators still hold the killed producer's open transactions (aborted at its
            // restart, when a new producer with the same transactional id starts, or at the timeout)
            open = probe.openTransactions(processId);
            long down = System.nanoTime();
            killed.start().awaitReady(Duration.ofMinutes(3));
            readyAfter = (System.nanoTime() - down) / 1e9;
            // a transaction seen open may commit in the moment before the SIGKILL lands: then that
            // kill tested nothing, and the round kills again while queries still stream
          } while (open.transactions() == 0 && ++attempt < 3 && producer.isAlive());
          // by now whatever the killed producer wrote is replicated: below this round's offsets
          kills.add(probe.endOffsets());
          producer.join();
          outputs.awaitMasks(base + PER_ROUND, DEADLINE);
          outputs.awaitAnswers(base + PER_ROUND, DEADLINE);
          opens.add(open);
          streamed.add(streaming);
          rounds.add(String.format("round %d: %s killed after %d of %d queries sent and %d masked (queries streaming: %s),"
              + " %d transactions open at the kill over %d partitions, ready again after %.0f s",
              round, victim == 0 ? "a" : "b", sentAtKill, PER_ROUND, masksAtKill, streaming, open.transactions(),
              open.partitions(), readyAfter));
        }
        Thread.sleep(5000); // anything duplicated would be committed by now
        int n = WARMUP + ROUNDS * PER_ROUND;
        outputs.assertExactlyOnce(n);
        assertEquals(0, OutputCounter.countRecords(bootstrap, Topics.IMAGE_QUERIES_DLQ), "nothing dead-lettered");
        List<Integer> aborted = probe.abortedPerKill(kills);
        for (int i = 0; i < ROUNDS; i++) {
          System.out.printf("InstanceKillRoundsDrillIT: %s; %d records of the round aborted%n",
              rounds.get(i), aborted.get(i));
        }
        System.out.printf("InstanceKillRoundsDrillIT: %d SIGKILL rounds (seed %d) while queries streamed, each hitting"
            + " open transactions (%s open at the kills; aborted records %s); %d/%d answers and masks, 0 duplicates,"
            + " 0 dead letters, %.0f s%n", ROUNDS, seed, opens.stream().map(o -> Integer.toString(o.transactions()))
            .collect(java.util.stream.Collectors.joining("/")), aborted, n, n, (System.nanoTime() - started) / 1e9);
        for (int i = 0; i < ROUNDS; i++) {
          String round = "round " + (i + 1) + " (seed " + seed + "): ";
          assertTrue(streamed.get(i), round + "the queries had all been sent before the kill");
          assertTrue(opens.get(i).transactions() > 0, round + "no transaction of the killed instance was open at the kill");
          assertTrue(aborted.get(i) > 0, round + "no record of the round was aborted");
        }
      }
    } finally {
      for (ServiceProcess s : instances) {
        s.close();
      }
    }
  }
}
