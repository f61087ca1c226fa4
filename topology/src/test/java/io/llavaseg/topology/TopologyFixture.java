package io.llavaseg.topology;

import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.schemas.DeadLetter;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.ReasonedQuery;
import io.llavaseg.schemas.registry.RegistryAvroSerde;
import io.llavaseg.topology.model.Models;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A TopologyTestDriver over {@link LlavasegTopology#build}, with the real registry serde over an
 * in-memory registry, the fake models, and typed input/output topics from {@link Topics}.
 */
final class TopologyFixture implements AutoCloseable {
  final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  final Topics topics = Topics.create(new Topics.ValueSerdes() {
    @Override
    public <T extends SpecificRecord> Serde<T> forClass(Class<T> type) {
      return new RegistryAvroSerde<>(type, registry);
    }
  });
  final List<FakeReasoner> reasoners = new java.util.concurrent.CopyOnWriteArrayList<>();
  final List<FakeSegmenter> segmenters = new java.util.concurrent.CopyOnWriteArrayList<>();
  final ServiceConfig config;
  final Topology topology;
  final TopologyTestDriver driver;
  final TestInputTopic<String, ImageQuery> queries;
  final TestInputTopic<byte[], byte[]> rawQueries;
  final TestInputTopic<byte[], byte[]> rawReasoned;
  final TestOutputTopic<String, ImageAnswer> answers;
  final TestOutputTopic<String, ReasonedQuery> reasoned;
  final TestOutputTopic<String, ImageMask> masks;
  final TestOutputTopic<String, DeadLetter> deadLetters;

  TopologyFixture(Path stateDir, Map<String, String> overrides) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "llavaseg-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    // each result awaited within process(), so outputs can be read right after pipeInput; the
    // in-flight path is tested with its own settings (InFlightTopologyTest)
    props.put("llavaseg.reasoning.batch.max-in-flight", "1");
    props.put("llavaseg.segmentation.batch.max-in-flight", "1");
    props.putAll(overrides);
    config = ServiceConfig.from(props);
    topology = LlavasegTopology.build(config, topics, new Models(
        device -> {
          FakeReasoner r = new FakeReasoner();
          reasoners.add(r);
          return r;
        },
        device -> {
          FakeSegmenter s = new FakeSegmenter();
          segmenters.add(s);
          return s;
        },
        PromptTemplates.DEFAULT));
    driver = new TopologyTestDriver(topology, config.streamsProperties(), Instant.parse("2026-11-27T12:00:00Z"));
    queries = driver.createInputTopic(Topics.IMAGE_QUERIES, Serdes.String().serializer(),
        topics.queries().valueSerde().serializer());
    rawQueries = driver.createInputTopic(Topics.IMAGE_QUERIES, Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer());
    rawReasoned = driver.createInputTopic(Topics.IMAGE_QUERIES_REASONED, Serdes.ByteArray().serializer(),
        Serdes.ByteArray().serializer());
    answers = output(topics.answers());
    reasoned = output(topics.reasoned());
    masks = output(topics.masks());
    deadLetters = output(topics.deadLetters());
  }

  private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
    return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
  }

  /** The query's bytes as the registry serde writes them to image-queries. */
  byte[] serialize(ImageQuery q) {
    return topics.queries().valueSerde().serializer().serialize(Topics.IMAGE_QUERIES, q);
  }

  @Override
  public void close() {
    driver.close();
  }
}
