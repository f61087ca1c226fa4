package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.schemas.registry.RegistryAvroSerde;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** llavaseg.topics.prefix names every topic; value.subject.name.strategy names the subjects registered at start. */
class TopicPrefixTest {
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final Topics.ValueSerdes serdes = new Topics.ValueSerdes() {
    @Override
    public <T extends SpecificRecord> Serde<T> forClass(Class<T> type) {
      return new RegistryAvroSerde<>(type, registry);
    }
  };

  @Test
  void shouldPutThePrefixBeforeEveryTopicName() {
    ServiceConfig c = ServiceConfigTest.config("llavaseg.topics.prefix", "team-a.");
    Topics topics = Topics.create(serdes, c.topicPrefix());
    assertEquals(Topics.NAMES.stream().map(n -> "team-a." + n).toList(),
        topics.all().stream().map(Topic::name).toList());
    assertEquals("", ServiceConfigTest.config().topicPrefix());
    assertEquals(Topics.NAMES, Topics.create(serdes).all().stream().map(Topic::name).toList());
    ConfigException e = assertThrows(ConfigException.class, () -> ServiceConfigTest.config("llavaseg.topics.prefix", "team a/"));
    assertTrue(e.getMessage().contains("llavaseg.topics.prefix"), e.getMessage());
  }

  @Test
  void shouldRegisterTheOutputSubjectsOfThePrefixedTopicsUnderTheConfiguredStrategy() {
    ServiceConfig topicNames = ServiceConfigTest.config("llavaseg.topics.prefix", "team-a.", "llavaseg.stages", "segmentation");
    assertEquals(List.of("team-a.image-masks-value", "team-a.image-queries-dlq-value"), List.copyOf(
        SchemaSetup.outputSubjects(topicNames, Topics.create(serdes, "team-a.")).keySet()));
    ServiceConfig recordNames = ServiceConfigTest.config("llavaseg.topics.prefix", "team-a.", "llavaseg.stages", "segmentation",
        "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy");
    assertEquals(List.of("io.llavaseg.schemas.ImageMask", "io.llavaseg.schemas.DeadLetter"), List.copyOf(
        SchemaSetup.outputSubjects(recordNames, Topics.create(serdes, "team-a.")).keySet()));
  }
}
