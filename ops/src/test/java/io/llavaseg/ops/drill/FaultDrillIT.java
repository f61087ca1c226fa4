package io.llavaseg.ops.drill;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.ops.embedded.KafkaBrokerProcess;
import io.llavaseg.ops.embedded.ServiceProcess;
import io.llavaseg.schemas.registry.RegistryLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault drills on a real KRaft broker and the real registry, with service instances in child JVMs
 * (models that wait a fixed time per batch, so the drill measures the streaming layer): an instance
 * killed with SIGKILL mid-stream and restarted, and a broker restarted mid-stream. After each, a
 * read_committed consumer sees exactly one answer and one mask per query: nothing lost, nothing
 * duplicated.
 */
class FaultDrillIT {
  /** A credential the instances are configured with; no log line may contain it. */
  private static final String SECRET = "drill-user:Zq8-not-in-logs-41";

  private static final Duration DEADLINE = Duration.ofMinutes(4);

  @TempDir Path dir;
  private KafkaBrokerProcess broker;
  private RegistryLauncher registry;
  private final List<ServiceProcess> instances = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    broker = KafkaBrokerProcess.start(dir.resolve("kafka"), Duration.ofMinutes(2));
    registry = RegistryLauncher.builder().logFile(dir.resolve("registry.log")).start();
  }

  @AfterEach
  void stop() throws Exception {
    for (ServiceProcess s : instances) {
      s.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private ServiceProcess instance(String app, String name) throws Exception {
    Map<String, String> p = DrillProperties.of(broker.bootstrapServers(), registry.url(), app, 1);
    // secrets come from a file (as a mounted Kubernetes secret) and must never reach the logs
    java.nio.file.Path secret = java.nio.file.Files.writeString(dir.resolve("registry-credentials"), SECRET + "\n");
    p.put("basic.auth.credentials.source", "USER_INFO");
    p.put("basic.auth.user.info", "${file:" + secret + "}");
    p.put("ssl.key.password", "${file:" + secret + "}");
    ServiceProcess s = new ServiceProcess(dir.resolve(name), p, "PT0.03S");
    instances.add(s);
    return s;
  }

  @Test
  void killingOneOfTwoInstancesWithSigkillMidStreamLosesAndDuplicatesNothing() throws Exception {
    ServiceProcess a = instance("drill-kill", "a").start();
    ServiceProcess b = instance("drill-kill", "b").start();
    a.awaitReady(Duration.ofMinutes(2));
    b.awaitReady(Duration.ofMinutes(2));
    int n = 500;
    try (OutputCounter outputs = new OutputCounter(broker.bootstrapServers(), registry.url(), instances)) {
      Thread producer = QueryProducer.start(broker.bootstrapServers(), registry.url(), "d-", n, 60);
      outputs.awaitMasks(150, DEADLINE);
      a.kill();
      int atKill = outputs.masks.size();
      System.out.printf("FaultDrillIT: instance a killed with SIGKILL after %d of %d masks%n", atKill, n);
      assertTrue(atKill < n, "killed mid-stream");
      a.start();
      producer.join();
      outputs.awaitMasks(n, DEADLINE);
      outputs.awaitAnswers(n, DEADLINE);
      Thread.sleep(5000); // anything duplicated would be committed by now
      outputs.assertExactlyOnce(n);
      for (ServiceProcess s : instances) {
        String log = java.nio.file.Files.readString(s.log());
        assertTrue(log.length() > 1000, "the instance logged");
        assertTrue(!log.contains(SECRET) && !log.contains("Zq8-not-in-logs"), "a secret reached " + s.log());
      }
    }
  }

  @Test
  void aBrokerRestartMidStreamLosesAndDuplicatesNothing() throws Exception {
    ServiceProcess a = instance("drill-broker", "a").start();
    a.awaitReady(Duration.ofMinutes(2));
    int n = 300;
    try (OutputCounter outputs = new OutputCounter(broker.bootstrapServers(), registry.url(), instances)) {
      Thread producer = QueryProducer.start(broker.bootstrapServers(), registry.url(), "d-", n, 40);
      outputs.awaitMasks(80, DEADLINE);
      broker.restart(Duration.ofSeconds(5), Duration.ofMinutes(2));
      System.out.printf("FaultDrillIT: broker restarted after %d of %d masks%n", outputs.masks.size(), n);
      producer.join();
      outputs.awaitMasks(n, DEADLINE);
      outputs.awaitAnswers(n, DEADLINE);
      Thread.sleep(5000);
      outputs.assertExactlyOnce(n);
      a.awaitReady(Duration.ofSeconds(30));
    }
  }


}
