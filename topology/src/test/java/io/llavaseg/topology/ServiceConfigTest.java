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
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

  static ServiceConfig config(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return ServiceConfig.from(p);
  }

  @Test
  void shouldFillEveryDefaultFromTheDefinitions() {
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
  void shouldCountTheModelWorkersOfTheStagesThisInstanceRuns() {
    assertEquals(2, config().modelWorkers(1));
    assertEquals(4, config().modelWorkers(2));
    assertEquals(3, config("llavaseg.stages", "segmentation", "llavaseg.segmentation.workers", "3").modelWorkers(1));
    assertEquals(0, config("llavaseg.stages", "standing").modelWorkers(1));
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
    // W = 10 ms + ceil(2 threads * 16 in flight / batch 8) * 30 s; 2 * 2 * W + 60 s
    assertEquals(new KafkaTimeouts(2, 540_040, 540_040), c.timeouts());
    assertEquals("540040", c.streamsProperties().getProperty("max.poll.interval.ms"));
    assertEquals("540040", c.streamsProperties().getProperty("transaction.timeout.ms"));

    ServiceConfig fast = config("llavaseg.inference.timeout", "200ms", "max.poll.records", "50");
    assertEquals(new KafkaTimeouts(50, 300_000, 2 * 50 * 810 + 60_000), fast.timeouts());
  }

  @Test
  void shouldCountTheBatchesAheadOfARecordInTheDerivedTimeouts() {
    // 16 threads with 4 * ceil(4 / 16) = 4 requests in flight each, reasoning batches of 4: a request
    // may wait for 64 / 4 = 16 batches (T = 1 s each) plus 50 ms
    ServiceConfig c = config("llavaseg.inference.timeout", "1s", "max.poll.records", "10", "num.stream.threads", "16",
        "llavaseg.reasoning.batch.max-size", "4", "llavaseg.reasoning.batch.max-delay", "50ms");
    assertEquals(2 * 10 * 16_050 + 60_000, c.timeouts().transactionTimeoutMs());
    assertEquals(381_000, c.timeouts().maxPollIntervalMs());
    assertEquals(new BatchPolicy(4, Duration.ofMillis(50), 4), c.batchPolicy(Stage.REASONING));
    assertEquals(new BatchPolicy(8, Duration.ofMillis(5), 4), c.batchPolicy(Stage.SEGMENTATION));
    // one request in flight per thread: 16 / 4 = 4 batches ahead
    ServiceConfig waiting = config("llavaseg.inference.timeout", "1s", "max.poll.records", "10",
        "num.stream.threads", "16", "llavaseg.reasoning.batch.max-size", "4", "llavaseg.reasoning.batch.max-delay",
        "50ms", "llavaseg.reasoning.batch.max-in-flight", "1", "llavaseg.segmentation.batch.max-in-flight", "1");
    assertEquals(2 * 10 * 4_050 + 60_000, waiting.timeouts().transactionTimeoutMs());
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
    ConfigException e = assertThrows(ConfigException.class, () -> config("llavaseg.reasoning.batch.max-size", "0"));
    assertTrue(e.getMessage().contains("llavaseg.reasoning.batch.max-size"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> config("llavaseg.metrics.port", "70000"));
    assertTrue(e.getMessage().contains("llavaseg.metrics.port") && e.getMessage().contains("70000"), e.getMessage());
  }

  @Test
  void shouldLetExplicitKafkaSettingsWinOverDerivedOnes() {
    ServiceConfig c = config("max.poll.interval.ms", "900000", "transaction.timeout.ms", "120000");
    assertEquals(900_000, c.timeouts().maxPollIntervalMs());
    assertEquals(120_000, c.timeouts().transactionTimeoutMs());
  }

  @Test
  void shouldRefuseATransactionTimeoutAboveTheBrokersCap() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> config("llavaseg.inference.timeout", "2m", "max.poll.records", "10"));
    assertTrue(e.getMessage().contains("transaction.max.timeout.ms"), e.getMessage());
    // Accepted when the broker's cap was raised, or without exactly-once.
    assertEquals(1_980_040, config("llavaseg.inference.timeout", "2m",
        "llavaseg.broker.transaction.max.timeout", "1h").timeouts().transactionTimeoutMs());
    config("llavaseg.inference.timeout", "2m", "processing.guarantee", "at_least_once");
  }

  @Test
  void shouldGiveASingleStageInstanceItsOwnDefaultApplicationId() {
    assertEquals("llavaseg", config().applicationId());
    assertEquals("llavaseg-reasoning", config("llavaseg.stages", "reasoning").applicationId());
    assertEquals("llavaseg-segmentation", config("llavaseg.stages", "segmentation").applicationId());
    assertEquals("mine", config("llavaseg.stages", "segmentation", "application.id", "mine").applicationId());
  }

  @Test
  void shouldParseStagesAndRefuseUnknownOnes() {
    assertEquals(EnumSet.of(Stage.SEGMENTATION), config("llavaseg.stages", " segmentation ").stages());
    ConfigException e = assertThrows(ConfigException.class, () -> config("llavaseg.stages", "reasoning,painting"));
    assertTrue(e.getMessage().contains("llavaseg.stages") && e.getMessage().contains("painting"), e.getMessage());
    assertThrows(ConfigException.class, () -> config("llavaseg.stages", " , "));
  }

  @Test
  void shouldNameTheOffendingKeyAndValueOfABadValue() {
    ConfigException e = assertThrows(ConfigException.class, () -> config("llavaseg.image.max-side", "big"));
    assertTrue(e.getMessage().contains("llavaseg.image.max-side") && e.getMessage().contains("big"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> config("llavaseg.dedup.window", "soon"));
    assertTrue(e.getMessage().contains("llavaseg.dedup.window") && e.getMessage().contains("soon"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> config("llavaseg.standing.max-age", "-PT1S"));
    assertTrue(e.getMessage().contains("llavaseg.standing.max-age"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> config("max.poll.records", "many"));
    assertTrue(e.getMessage().contains("max.poll.records") && e.getMessage().contains("many"), e.getMessage());
  }

  @Test
  void shouldRefuseOutOfRangeValues() {
    assertThrows(ConfigException.class, () -> config("llavaseg.dedup.window", "0s"));
    assertThrows(ConfigException.class, () -> config("llavaseg.inference.attempts", "0"));
    assertThrows(ConfigException.class, () -> config("llavaseg.reasoning.workers", "-1"));
    assertThrows(ConfigException.class, () -> config("llavaseg.metrics.port", "-2"));
    assertThrows(ConfigException.class, () -> config("llavaseg.standing.max-fps", "NaN"));
    assertThrows(ConfigException.class, () -> config("llavaseg.topics.replication-factor", "0"));
    assertThrows(ConfigException.class, () -> config("llavaseg.image.min-side", "512", "llavaseg.image.max-side", "256"));
    assertThrows(ConfigException.class, () -> config("num.stream.threads", "0"));
    assertEquals(-1, config("llavaseg.metrics.port", "-1").metricsPort());
    assertEquals(65535, config("llavaseg.metrics.port", "65535").metricsPort());
  }

  @Test
  void shouldValidateTheDeviceListWithoutAskingForGpus() {
    assertEquals("auto", config("llavaseg.inference.devices", "auto").inferenceDevices());
    for (String bad : new String[] {"tpu0", "cpu,gpu0", "gpu0,gpu0", " "}) {
      ConfigException e = assertThrows(ConfigException.class, () -> config("llavaseg.inference.devices", bad));
      assertTrue(e.getMessage().contains("llavaseg.inference.devices"), e.getMessage());
    }
  }

  @Test
  void shouldWarnAboutAnUnknownServiceKeyButStart() {
    ServiceConfig c = config("llavaseg.reasoner.verison", "v2", "llavaseg.stages", "reasoning", "linger.ms", "5");
    assertEquals(java.util.Set.of("llavaseg.reasoner.verison"), c.unknownKeys());
    assertEquals("v11", c.reasonerVersion());
    assertEquals("5", c.streamsProperties().getProperty("linger.ms"), "Kafka keys pass through, not warned");
    assertTrue(config().unknownKeys().isEmpty());
  }

  @Test
  void shouldResolveTheModelFoldersFromTheDefaults() {
    ServiceConfig d = ServiceConfig.defaults();
    assertEquals("v11", d.reasonerVersion());
    assertEquals("v3", d.segmenterVersion());
    Path store = Path.of(ServiceConfig.modelStoreDefault());
    assertEquals(store, d.modelStore());
    assertEquals(store.resolve("reasoner").resolve("v11"), d.reasonerDir());
    assertEquals(store.resolve("segmenter").resolve("v3"), d.segmenterDir());
    assertEquals(java.util.Optional.empty(), d.promptsFile());

    ServiceConfig c = config("llavaseg.model.store", "/models", "llavaseg.reasoner.version", "v2",
        "llavaseg.prompts.file", "/etc/prompts.properties");
    assertEquals(Path.of("/models", "reasoner", "v2"), c.reasonerDir());
    assertEquals(Path.of("/models", "segmenter", "v3"), c.segmenterDir());
    assertEquals(java.util.Optional.of(Path.of("/etc/prompts.properties")), c.promptsFile());
  }

  @Test
  void shouldDefaultTheModelStoreToTheSystemPropertyElseTheFallback() {
    String saved = System.getProperty(ServiceConfig.MODEL_STORE);
    try {
      System.setProperty(ServiceConfig.MODEL_STORE, "/models");
      assertEquals("/models", ServiceConfig.modelStoreDefault());
      System.clearProperty(ServiceConfig.MODEL_STORE);
      assertEquals(ServiceConfig.MODEL_STORE_FALLBACK, ServiceConfig.modelStoreDefault());
    } finally {
      if (saved != null) {
        System.setProperty(ServiceConfig.MODEL_STORE, saved);
      }
    }
  }

  @Test
  void shouldShowEveryDefaultInTheEffectiveProperties() {
    Properties all = config().properties();
    for (String key : ServiceConfig.CONFIG_DEF.names()) {
      assertTrue(all.containsKey(key), key);
    }
    assertEquals("10ms", all.getProperty("llavaseg.reasoning.batch.max-delay"));
    assertEquals("127.0.0.1:9092", all.getProperty("bootstrap.servers"));
    assertEquals(ServiceConfig.DEFAULT_SCHEMA_REGISTRY_URL, all.getProperty("schema.registry.url"));
  }

  @Test
  void shouldPassNonStringKafkaValuesThroughAndReadTypedOnes() {
    Properties p = new Properties();
    p.put("commit.interval.ms", 100);
    p.put("num.stream.threads", 16);
    p.put("llavaseg.reasoning.batch.max-size", 4);
    p.put("llavaseg.inference.timeout", "1s");
    ServiceConfig c = ServiceConfig.from(p);
    assertEquals(100, c.streamsProperties().get("commit.interval.ms"));
    assertEquals(4, c.batchPolicy(Stage.REASONING).maxSize());
    // W = 10 ms + ceil(16 * 4 / 4) * 1 s; 2 * 2 * W + 60 s
    assertEquals(2 * 2 * 16_010 + 60_000, c.timeouts().transactionTimeoutMs(), "16 threads were read");
  }

  @Test
  void shouldRefuseBadRegistrySettingsAtStart() {
    ConfigException e = assertThrows(ConfigException.class, () -> config("schema.registry.url", "127.0.0.1:8081"));
    assertTrue(e.getMessage().contains("schema.registry.url"), e.getMessage());
    assertThrows(ConfigException.class, () -> config("schema.registry.retries", "-1"));
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
