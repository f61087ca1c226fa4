package io.llavaseg.ops.drill;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.embedded.KafkaClusterProcess;
import io.llavaseg.embedded.RegistryLauncher;
import io.llavaseg.ops.ClusterCommand;
import io.llavaseg.ops.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scaling out and in on a real 3-node KRaft cluster (topics with replication 3 and min ISR 2): while
 * queries stream in, a second service instance joins the consumer group, then the first leaves
 * (SIGTERM); every query is answered and masked exactly once (read_committed). Consumer lag is shown
 * with Kafka's own {@code ConsumerGroupCommand}.
 */
class ClusterScaleIT {
  @TempDir Path dir;

  @Test
  void addingAndRemovingAnInstanceMidStreamAnswersEveryQueryExactlyOnce() throws Exception {
    List<ServiceProcess> instances = new ArrayList<>();
    try (KafkaClusterProcess cluster = KafkaClusterProcess.start(dir.resolve("kafka"), 3, Duration.ofMinutes(3));
        RegistryLauncher registry = RegistryLauncher.builder().logFile(dir.resolve("registry.log")).start()) {
      Map<String, String> p = DrillProperties.of(cluster.bootstrapServers(), registry.url(), "scale-drill", 3);
      ServiceProcess a = new ServiceProcess(dir.resolve("a"), p, "PT0.03S");
      ServiceProcess b = new ServiceProcess(dir.resolve("b"), p, "PT0.03S");
      instances.add(a);
      instances.add(b);
      a.start().awaitReady(Duration.ofMinutes(2));
      int n = 900;
      try (OutputCounter outputs = new OutputCounter(cluster.bootstrapServers(), registry.url(), instances)) {
        Thread producer = QueryProducer.start(cluster.bootstrapServers(), registry.url(), "s-", n, 30);
        outputs.awaitMasks(60, Duration.ofMinutes(3));
        b.start().awaitReady(Duration.ofMinutes(2));
        int joined = outputs.masks.size();
        System.out.printf("ClusterScaleIT: instance b joined after %d of %d masks%n", joined, n);
        assertTrue(joined < n - 200, "b joined mid-stream");
        outputs.awaitMasks(joined + 60, Duration.ofMinutes(3));
        String lag = ClusterCommand.lag(cluster.bootstrapServers(), "scale-drill");
        System.out.println("ClusterScaleIT: ConsumerGroupCommand --describe:\n" + lag);
        assertTrue(lag.contains("LAG") && lag.contains("image-queries"), lag);
        a.close();
        int left = outputs.masks.size();
        System.out.printf("ClusterScaleIT: instance a stopped (SIGTERM) after %d of %d masks%n", left, n);
        assertTrue(left < n, "a left mid-stream");
        producer.join();
        outputs.awaitMasks(n, Duration.ofMinutes(4));
        outputs.awaitAnswers(n, Duration.ofMinutes(4));
        Thread.sleep(5000);
        outputs.assertExactlyOnce(n);
      }
    } finally {
      for (ServiceProcess s : instances) {
        s.close();
      }
    }
  }
}
