package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import io.llavaseg.topology.inference.BatchPolicy;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

  private static ServiceConfig config(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return ServiceConfig.from(p);
  }

  @Test
  void shouldFillEveryDefaultFromTheDocumentedResource() {
    ServiceConfig c = config();
    assertEquals(EnumSet.of(Stage.REASONING, Stage.SEGMENTATION), c.stages());
    assertEquals(Duration.ofHours(1), c.dedupWindow());
    assertEquals(Duration.ofSeconds(30), c.inferenceTimeout());
    assertTrue(c.isExactlyOnce());
    assertEquals("exactly_once_v2", c.streamsProperties().getProperty("processing.guarantee"));
    assertEquals(1_000_000, c.limits().maxRecordBytes());
    assertEquals(64, c.limits().minSide());
    assertEquals(4096, c.limits().maxSide());
    assertTrue(c.limits().referenceRoots().isEmpty());
    assertFalse(c.createTopics());
  }

  @Test
  void shouldGiveTheTopicAdminClientTheServicesSecuritySettingsButNoStreamsKeys() {
    ServiceConfig c = config("bootstrap.servers", "broker:9093", "security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512", "ssl.truststore.location", "/etc/kafka/trust.p12",
        "llavaseg.topics.create", "true");
    Properties admin = c.adminProperties();
    assertEquals("broker:9093", admin.getProperty("bootstrap.servers"));
    assertEquals("SASL_SSL", admin.getProperty("security.protocol"));
    assertEquals("SCRAM-SHA-512", admin.getProperty("sasl.mechanism"));
    assertEquals("/etc/kafka/trust.p12", admin.getProperty("ssl.truststore.location"));
    assertFalse(admin.containsKey("application.id"));
    assertFalse(admin.containsKey("processing.guarantee"));
    assertFalse(admin.containsKey("llavaseg.topics.create"));
  }

  @Test
  void shouldDeriveThePollAndTransactionTimeoutsFromTheInferenceBudget() {
    ServiceConfig c = config();
    // W = 10 ms + ceil(8 threads / batch 8) * 30 s; 2 * 10 * W + 60 s
    assertEquals(new KafkaTimeouts(10, 660_200, 660_200), c.timeouts());
    assertEquals("660200", c.streamsProperties().getProperty("max.poll.interval.ms"));
    assertEquals("660200", c.streamsProperties().getProperty("transaction.timeout.ms"));

    ServiceConfig fast = config("llavaseg.inference.timeout", "200ms", "max.poll.records", "50");
    assertEquals(new KafkaTimeouts(50, 300_000, 81_000), fast.timeouts());
  }

  @Test
  void shouldCountTheBatchesAheadOfARecordInTheDerivedTimeouts() {
    // 16 threads, reasoning batches of 4: a request may wait for 4 batches (T = 1 s each) plus 50 ms
    ServiceConfig c = config("llavaseg.inference.timeout", "1s", "max.poll.records", "10", "num.stream.threads", "16",
        "llavaseg.reasoning.batch.max-size", "4", "llavaseg.reasoning.batch.max-delay", "50ms");
    assertEquals(2 * 10 * 4_050 + 60_000, c.timeouts().transactionTimeoutMs());
    assertEquals(300_000, c.timeouts().maxPollIntervalMs());
    assertEquals(new BatchPolicy(4, Duration.ofMillis(50)), c.batchPolicy(Stage.REASONING));
    assertEquals(new BatchPolicy(8, Duration.ofMillis(5)), c.batchPolicy(Stage.SEGMENTATION));
  }

  @Test
  void shouldReadDevicesWorkersAndMetricsPort() {
    ServiceConfig c = config("llavaseg.inference.devices", "gpu0,gpu1", "llavaseg.segmentation.workers", "4",
        "llavaseg.metrics.port", "9464");
    assertEquals("gpu0,gpu1", c.inferenceDevices());
    assertEquals(2, c.workers(Stage.REASONING, 2));
    assertEquals(4, c.workers(Stage.SEGMENTATION, 2));
    assertEquals(9464, c.metricsPort());
    assertEquals(0, config().metricsPort());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> config("llavaseg.reasoning.batch.max-size", "0"));
    assertTrue(e.getMessage().contains("llavaseg.reasoning.batch.max-size"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> config("llavaseg.metrics.port", "70000").metricsPort());
  }

  @Test
  void shouldLetExplicitKafkaSettingsWinOverDerivedOnes() {
    ServiceConfig c = config("max.poll.interval.ms", "900000", "transaction.timeout.ms", "120000");
    assertEquals(900_000, c.timeouts().maxPollIntervalMs());
    assertEquals(120_000, c.timeouts().transactionTimeoutMs());
  }

  @Test
  void shouldRefuseATransactionTimeoutAboveTheBrokersCap() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> config("llavaseg.inference.timeout", "2m", "max.poll.records", "10"));
    assertTrue(e.getMessage().contains("transaction.max.timeout.ms"), e.getMessage());
    // Accepted when the broker's cap was raised, or without exactly-once.
    assertEquals(2_460_200, config("llavaseg.inference.timeout", "2m",
        "llavaseg.broker.transaction.max.timeout", "1h").timeouts().transactionTimeoutMs());
    config("llavaseg.inference.timeout", "2m", "processing.guarantee", "at_least_once");
  }

  @Test
  void shouldGiveASingleStageInstanceItsOwnDefaultApplicationId() {
    assertEquals("llavaseg", config().get("application.id"));
    assertEquals("llavaseg-reasoning", config("llavaseg.stages", "reasoning").get("application.id"));
    assertEquals("llavaseg-segmentation", config("llavaseg.stages", "segmentation").get("application.id"));
    assertEquals("mine", config("llavaseg.stages", "segmentation", "application.id", "mine").get("application.id"));
  }

  @Test
  void shouldParseStagesAndRefuseUnknownOnes() {
    assertEquals(EnumSet.of(Stage.SEGMENTATION), config("llavaseg.stages", " segmentation ").stages());
    assertThrows(IllegalArgumentException.class, () -> config("llavaseg.stages", "reasoning,painting"));
    assertThrows(IllegalArgumentException.class, () -> config("llavaseg.stages", " , "));
  }

  @Test
  void shouldNameTheOffendingKeyOfABadValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> config("llavaseg.image.max-side", "big"));
    assertTrue(e.getMessage().startsWith("llavaseg.image.max-side"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> config("llavaseg.dedup.window", "soon"));
    assertTrue(e.getMessage().startsWith("llavaseg.dedup.window"), e.getMessage());
  }

  @Test
  void shouldSplitStreamsAndRegistrySettings() {
    ServiceConfig c = config("schema.registry.url", "http://r:1/apis/ccompat/v7", "basic.auth.user.info", "u:p",
        "llavaseg.reference.roots", "/data/frames, /data/other");
    assertEquals("http://r:1/apis/ccompat/v7", c.serdeConfig().get("schema.registry.url"));
    assertEquals("u:p", c.serdeConfig().get("basic.auth.user.info"));
    Properties streams = c.streamsProperties();
    assertFalse(streams.containsKey("schema.registry.url"));
    assertFalse(streams.containsKey("basic.auth.user.info"));
    assertTrue(streams.keySet().stream().noneMatch(k -> k.toString().startsWith("llavaseg.")));
    assertEquals(List.of(Path.of("/data/frames"), Path.of("/data/other")), c.limits().referenceRoots());
  }

  @Test
  void shouldParseDurationsWithUnitsMillisAndIso() {
    assertEquals(Duration.ofMillis(250), Durations.parse("k", "250ms"));
    assertEquals(Duration.ofMinutes(5), Durations.parse("k", "5m"));
    assertEquals(Duration.ofDays(7), Durations.parse("k", "7d"));
    assertEquals(Duration.ofMillis(60000), Durations.parse("k", "60000"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("k", "PT1H30M"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("k", "-PT1H"));
  }
}
