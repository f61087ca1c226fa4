package io.llavaseg.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.SampleRecords;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Confluent's subject name strategies, by class name or simple name, in the serializer. */
class SubjectNamesTest {

  @Test
  void shouldNameSubjectsAsConfluentsStrategiesDo() {
    var schema = ImageAnswer.getClassSchema();
    assertEquals("image-answers-value", SubjectNames.Strategy.TOPIC.subject("image-answers", false, schema));
    assertEquals("io.llavaseg.schemas.ImageAnswer", SubjectNames.Strategy.RECORD.subject("image-answers", false, schema));
    assertEquals("image-answers-io.llavaseg.schemas.ImageAnswer",
        SubjectNames.Strategy.TOPIC_RECORD.subject("image-answers", true, schema));
    assertEquals(SubjectNames.Strategy.RECORD,
        SubjectNames.Strategy.parse("io.confluent.kafka.serializers.subject.RecordNameStrategy"));
    assertEquals(SubjectNames.Strategy.TOPIC_RECORD, SubjectNames.Strategy.parse("TopicRecordNameStrategy"));
    assertEquals(SubjectNames.Strategy.TOPIC_RECORD, SubjectNames.Strategy.parse("topic-record"));
    assertThrows(IllegalArgumentException.class, () -> SubjectNames.Strategy.parse("ByTheMoonStrategy"));
  }

  @Test
  void shouldRegisterUnderTheConfiguredValueStrategyAndStillReadBack() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    try (RegistryAvroSerde<ImageAnswer> serde = new RegistryAvroSerde<>(ImageAnswer.class, registry)) {
      serde.configure(Map.of(RegistryConfig.VALUE_SUBJECT_NAME_STRATEGY,
          "io.confluent.kafka.serializers.subject.RecordNameStrategy"), false);
      ImageAnswer answer = SampleRecords.answer();
      byte[] bytes = serde.serializer().serialize("team-a.image-answers", answer);
      serde.serializer().serialize("team-b.image-answers", answer);
      assertEquals(List.of("io.llavaseg.schemas.ImageAnswer"), registry.subjects(), "one subject for both topics");
      assertEquals(answer, serde.deserializer().deserialize("team-a.image-answers", bytes));
    }
    ConfigException e = assertThrows(ConfigException.class, () -> RegistryConfig.subjectNameStrategy(
        Map.of(RegistryConfig.VALUE_SUBJECT_NAME_STRATEGY, "Nope"), false));
    assertTrue(e.getMessage().contains(RegistryConfig.VALUE_SUBJECT_NAME_STRATEGY), e.getMessage());
  }
}
