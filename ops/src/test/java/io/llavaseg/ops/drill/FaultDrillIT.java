package io.llavaseg.ops.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.registry.RestSchemaRegistry;
import io.llavaseg.schemas.registry.SchemaRegistry;
import io.llavaseg.topology.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.llavaseg.embedded.KafkaBrokerProcess;
import io.llavaseg.embedded.RegistryLauncher;
import io.llavaseg.ops.ServiceProcess;
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
 * killed with SIGKILL mid-stream and restarted, a broker restarted mid-stream, and the registry
 * unresponsive (SIGSTOP, as in a long GC pause or a network partition) while the service meets its
 * first query. After each, a read_committed consumer sees exactly one answer and one mask per
 * query: nothing lost, nothing duplicated, nothing dead-lettered.
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

  @Test
  void aRegistryOutageIsWaitedOutNotDeadLettered() throws Exception {
    Map<String, String> p = DrillProperties.of(broker.bootstrapServers(), registry.url(), "drill-registry", 1);
    // fail a stalled registry request quickly, so that the outage shows in the log while it lasts
    p.put("schema.registry.request.timeout.ms", "1500");
    p.put("schema.registry.retries", "1");
    ServiceProcess a = new ServiceProcess(dir.resolve("a"), p, "PT0.03S");
    instances.add(a);
    a.start().awaitReady(Duration.ofMinutes(2));
    int n = 60;
    Map<String, Object> serde = Map.of("schema.registry.url", registry.url());
    try (SchemaRegistry client = RestSchemaRegistry.fromConfigs(serde);
        OutputCounter outputs = new OutputCounter(broker.bootstrapServers(), registry.url(), instances)) {
      Topics topics = Topics.withRegistry(client, serde);
      var serializer = topics.queries().valueSerde().serializer();
      serializer.serialize(topics.queries().name(), QueryProducer.query("warm-up", "cam-0")); // schema id cached here
      Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(registry.pid())).start();
      assertTrue(stop.waitFor() == 0, "registry paused");
      try (KafkaProducer<String, ImageQuery> producer = new KafkaProducer<>(
          Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers(), "acks", "all"),
          new StringSerializer(), serializer)) {
        for (int i = 0; i < n; i++) {
          producer.send(new ProducerRecord<>(topics.queries().name(), "cam-" + (i % 6), QueryProducer.query("r-" + i, "cam-" + (i % 6))));
        }
        producer.flush();
      }
      Thread.sleep(15_000); // the service meets the queries with the registry unresponsive
      int duringOutage = outputs.masks.size();
      new ProcessBuilder("kill", "-CONT", Long.toString(registry.pid())).start().waitFor();
      System.out.printf("FaultDrillIT: %d of %d masks while the registry was paused for 15 s%n", duringOutage, n);
      assertEquals(0, duringOutage, "nothing can be read without the schema");
      outputs.awaitMasks(n, DEADLINE);
      outputs.awaitAnswers(n, DEADLINE);
      Thread.sleep(3000);
      outputs.assertExactlyOnce(n);
      assertEquals(0, OutputCounter.countRecords(broker.bootstrapServers(), Topics.IMAGE_QUERIES_DLQ),
          "a registry outage is not the records' fault: no dead letters");
      String log = java.nio.file.Files.readString(a.log());
      assertTrue(log.contains("registry unavailable"), "the service says why it is waiting:\n" + a.tail());
      a.awaitReady(Duration.ofSeconds(30));
    }
  }
}
