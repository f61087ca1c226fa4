package io.llavaseg.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.llavaseg.embedded.RegistryLauncher;
import io.llavaseg.schemas.DeadLetter;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.ReasonedQuery;
import io.llavaseg.schemas.SampleRecords;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cross-check against an independent implementation: Apicurio's own Avro serde in Confluent mode
 * (no headers, 4-byte content id) reads what our serde writes, and ours reads what it writes, all
 * through the real registry.
 */
class ApicurioSerdeInteropIT {
  private static RegistryLauncher registry;

  @BeforeAll
  static void startRegistry() {
    registry = RegistryLauncher.start();
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  static Stream<Arguments> samples() {
    return Stream.of(
        Arguments.of("image-queries", ImageQuery.class, SampleRecords.inlineQuery("q-1")),
        Arguments.of("image-queries-reasoned", ReasonedQuery.class, SampleRecords.reasoned()),
        Arguments.of("image-answers", ImageAnswer.class, SampleRecords.answer()),
        Arguments.of("image-masks", ImageMask.class, SampleRecords.mask()),
        Arguments.of("image-queries-dlq", DeadLetter.class, SampleRecords.deadLetter()));
  }

  @ParameterizedTest
  @MethodSource("samples")
  <T extends SpecificRecord> void shouldLetApicurioReadWhatWeWrite(String topic, Class<T> type,
      T record) {
    RegistryAvroSerde<T> ours = ourSerde(type);
    byte[] bytes = ours.serializer().serialize(topic, record);
    try (AvroKafkaDeserializer<T> theirs = new AvroKafkaDeserializer<>()) {
      theirs.configure(apicurioConfig(), false);
      T read = theirs.deserialize(topic, bytes);
      assertEquals(record, read);
    }
  }

  @ParameterizedTest
  @MethodSource("samples")
  <T extends SpecificRecord> void shouldReadWhatApicurioWrites(String topic, Class<T> type,
      T record) {
    byte[] bytes;
    try (AvroKafkaSerializer<T> theirs = new AvroKafkaSerializer<>()) {
      theirs.configure(apicurioConfig(), false);
      bytes = theirs.serialize(topic + "-apicurio", record);
    }
    assertEquals(0, bytes[0], "Confluent magic byte");
    RegistryAvroSerde<T> ours = ourSerde(type);
    assertEquals(record, ours.deserializer().deserialize(topic + "-apicurio", bytes));
    assertTrue(new RestSchemaRegistry(RegistryConfig.forUrl(registry.url()))
        .subjects().contains(topic + "-apicurio-value"), "Apicurio used the same subject naming");
  }

  private static <T extends SpecificRecord> RegistryAvroSerde<T> ourSerde(Class<T> type) {
    RegistryAvroSerde<T> serde = new RegistryAvroSerde<>(type);
    serde.configure(Map.of(RegistryConfig.URL, registry.url()), false);
    return serde;
  }

  private static Map<String, Object> apicurioConfig() {
    Map<String, Object> c = new HashMap<>();
    c.put("apicurio.registry.url", registry.registryApiUrl());
    c.put("apicurio.registry.auto-register", "true");
    c.put("apicurio.registry.headers.enabled", "false");
    c.put("apicurio.registry.as-confluent", "true");
    c.put("apicurio.registry.use-id", "contentId");
    c.put("apicurio.registry.use-specific-avro-reader", "true");
    return c;
  }
}
