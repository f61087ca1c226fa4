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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a broker on the 3-node KRaft cluster (topics with replication 3, min ISR 2): while
 * queries stream through two instances, the node coordinating the service's consumer group is
 * killed with SIGKILL (no controlled shutdown: its leaderships, group and transaction coordination
 * move to the others), the service carries on with two of three nodes, then the node is started
 * again. A read_committed consumer sees every query answered and masked exactly once; nothing is
 * dead-lettered.
 */
class BrokerKillDrillIT {
  private static final Duration DEADLINE = Duration.ofMinutes(4);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir;

  @Test
  void killingTheGroupCoordinatorsBrokerMidStreamLosesAndDuplicatesNothing() throws Exception {
    String app = "drill-broker-kill";
    List<ServiceProcess> instances = new ArrayList<>();
    long started = System.nanoTime();
    try (KafkaClusterProcess cluster = KafkaClusterProcess.start(dir.resolve("kafka"), 3, Duration.ofMinutes(3));
        RegistryLauncher registry = RegistryLauncher.builder().logFile(dir.resolve("registry.log")).start()) {
      String bootstrap = cluster.bootstrapServers();
      Map<String, String> p = DrillProperties.of(bootstrap, registry.url(), app, 3);
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
      int n = 600;
      try (OutputCounter outputs = new OutputCounter(bootstrap, registry.url(), instances);
          Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        Thread producer = QueryProducer.start(bootstrap, registry.url(), "bk-", n, 30);
        outputs.awaitMasks(100, DEADLINE);
        int coordinator = admin.describeConsumerGroups(List.of(app)).all().get(30, TimeUnit.SECONDS).get(app)
            .coordinator().id();
        int node = coordinator - 1; // node.id is the 0-based index + 1
        cluster.killNode(node);
        int atKill = outputs.masks.size();
        long killed = System.nanoTime();
        outputs.awaitMasks(atKill + 100, DEADLINE); // the service carries on with two of three nodes
        int whileDown = outputs.masks.size() - atKill;
        double down = (System.nanoTime() - killed) / 1e9;
        assertTrue(outputs.masks.size() < n, "the node was down mid-stream");
        cluster.startNode(node);
        cluster.awaitBrokers(3, Duration.ofMinutes(2));
        producer.join();
        outputs.awaitMasks(n, DEADLINE);
        outputs.awaitAnswers(n, DEADLINE);
        Thread.sleep(5000); // anything duplicated would be committed by now
        outputs.assertExactlyOnce(n);
        int deadLetters = OutputCounter.countRecords(bootstrap, Topics.IMAGE_QUERIES_DLQ);
        System.out.printf("BrokerKillDrillIT: broker node %d (the group's coordinator) killed with SIGKILL after %d of %d"
            + " masks, %d masks in the %.0f s it was down, restarted; %d/%d answers and masks, 0 duplicates,"
            + " %d dead letters, %.0f s%n", coordinator, atKill, n, whileDown, down, n, n, deadLetters,
            (System.nanoTime() - started) / 1e9);
        assertEquals(0, deadLetters, "nothing dead-lettered");
      }
    } finally {
      for (ServiceProcess s : instances) {
        s.close();
      }
    }
  }
}
