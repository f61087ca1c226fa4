package io.llavaseg.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.schemas.DeadLetter;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.ReasonedQuery;
import io.llavaseg.schemas.SampleRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegistryAvroSerdeTest {
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

  static Stream<Arguments> samples() {
    return Stream.of(
        Arguments.of(ImageQuery.class, SampleRecords.inlineQuery("q-1")),
        Arguments.of(ImageQuery.class, SampleRecords.referenceQuery("q-2")),
        Arguments.of(ReasonedQuery.class, SampleRecords.reasoned()),
        Arguments.of(ImageAnswer.class, SampleRecords.answer()),
        Arguments.of(ImageMask.class, SampleRecords.mask()),
        Arguments.of(DeadLetter.class, SampleRecords.deadLetter()));
  }

  @ParameterizedTest
  @MethodSource("samples")
  <T extends SpecificRecord> void shouldRoundTripEveryRecordType(Class<T> type, T record) {
    RegistryAvroSerde<T> serde = new RegistryAvroSerde<>(type, registry);
    byte[] bytes = serde.serializer().serialize("some-topic", record);
    T back = serde.deserializer().deserialize("some-topic", bytes);
    assertEquals(record, back);
  }

  @Test
  void shouldFrameMagicByteBigEndianIdAndPlainAvroBody() throws IOException {
    for (int i = 0; i < 300; i++) { // push the id above one byte to see the byte order
      registry.register("filler-" + i, Schema.createFixed("F" + i, null, "x", 1));
    }
    ImageAnswer answer = SampleRecords.answer();
    byte[] bytes = new RegistryAvroSerde<>(ImageAnswer.class, registry).serializer()
        .serialize("image-answers", answer);
    int id = registry.lookup("image-answers-value", ImageAnswer.getClassSchema());
    assertTrue(id > 255);
    assertEquals(0, bytes[0]);
    assertArrayEquals(new byte[] {0, (byte) (id >>> 16), (byte) (id >>> 8), (byte) id},
        Arrays.copyOfRange(bytes, 1, 5));
    assertArrayEquals(plainAvro(answer), Arrays.copyOfRange(bytes, 5, bytes.length));
  }

  @Test
  void shouldNameSubjectsAfterTheTopicAndSide() {
    RegistryAvroSerde<ImageQuery> values = new RegistryAvroSerde<>(ImageQuery.class, registry);
    values.configure(Map.of(), false);
    RegistryAvroSerde<ImageQuery> keys = new RegistryAvroSerde<>(ImageQuery.class, registry);
    keys.configure(Map.of(), true);
    values.serializer().serialize("image-queries", SampleRecords.inlineQuery("q"));
    keys.serializer().serialize("image-queries-reasoned", SampleRecords.inlineQuery("q"));
    assertEquals(List.of("image-queries-value", "image-queries-reasoned-key"), registry.subjects());
  }

  @Test
  void shouldAskTheRegistryOncePerSubjectAndOncePerSchemaId() {
    RegistryAvroSerde<ImageMask> serde = new RegistryAvroSerde<>(ImageMask.class, registry);
    List<byte[]> written = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      written.add(serde.serializer().serialize("image-masks", SampleRecords.mask()));
    }
    for (byte[] b : written) {
      assertEquals(SampleRecords.mask(), serde.deserializer().deserialize("image-masks", b));
    }
    assertEquals(1, registry.registerCalls);
    assertEquals(1, registry.schemaByIdCalls);
    serde.serializer().serialize("image-masks-copy", SampleRecords.mask());
    assertEquals(2, registry.registerCalls);
  }

  @Test
  void shouldOnlyLookUpWhenAutoRegisterIsOff() {
    RegistryAvroSerde<ImageAnswer> serde = new RegistryAvroSerde<>(ImageAnswer.class, registry);
    serde.configure(Map.of("auto.register.schemas", "false"), false);
    WireFormatException e = assertThrows(WireFormatException.class,
        () -> serde.serializer().serialize("image-answers", SampleRecords.answer()));
    assertEquals(WireFormatError.SCHEMA_NOT_REGISTERED, e.code());
    assertEquals(0, registry.registerCalls);

    int id = registry.register("image-answers-value", ImageAnswer.getClassSchema());
    byte[] bytes = serde.serializer().serialize("image-answers", SampleRecords.answer());
    assertEquals(id, WireFormat.schemaId(bytes));
    assertEquals(1, registry.registerCalls);
  }

  @Test
  void shouldMapNullToNullBothWays() {
    RegistryAvroSerde<ImageQuery> serde = new RegistryAvroSerde<>(ImageQuery.class, registry);
    assertNull(serde.serializer().serialize("t", null));
    assertNull(serde.deserializer().deserialize("t", null));
  }

  @Test
  void shouldRejectPlainJsonAsWrongMagicByte() {
    WireFormatException e = deserializeFails(ImageQuery.class, "{\"query_id\":\"q\"}".getBytes());
    assertEquals(WireFormatError.WRONG_MAGIC_BYTE, e.code());
    assertTrue(e.getMessage().contains("0x7b"), e.getMessage());
    assertTrue(e instanceof SerializationException);
    assertFalse(e.isTransient());
  }

  @Test
  void shouldRejectPayloadsShorterThanTheHeaderAsTruncated() {
    assertEquals(WireFormatError.TRUNCATED, deserializeFails(ImageQuery.class, new byte[0]).code());
    assertEquals(WireFormatError.TRUNCATED,
        deserializeFails(ImageQuery.class, new byte[] {0, 0, 1}).code());
  }

  @Test
  void shouldRejectABodyCutShortAsTruncated() {
    byte[] full = new RegistryAvroSerde<>(ImageQuery.class, registry).serializer()
        .serialize("image-queries", SampleRecords.inlineQuery("q"));
    WireFormatException e =
        deserializeFails(ImageQuery.class, Arrays.copyOf(full, full.length - 10));
    assertEquals(WireFormatError.TRUNCATED, e.code());
    assertEquals(WireFormat.schemaId(full), e.schemaId());
  }

  @Test
  void shouldRejectBytesLeftOverAfterTheRecordAsMalformed() {
    byte[] full = new RegistryAvroSerde<>(ImageAnswer.class, registry).serializer()
        .serialize("image-answers", SampleRecords.answer());
    byte[] longer = Arrays.copyOf(full, full.length + 3);
    assertEquals(WireFormatError.MALFORMED_PAYLOAD, deserializeFails(ImageAnswer.class, longer).code());
  }

  @Test
  void shouldRejectAnIdTheRegistryDoesNotKnow() {
    byte[] bytes = ByteBuffer.allocate(9).put((byte) 0).putInt(4242).putInt(0).array();
    WireFormatException e = deserializeFails(ImageQuery.class, bytes);
    assertEquals(WireFormatError.UNKNOWN_SCHEMA_ID, e.code());
    assertEquals(4242, e.schemaId());
    assertTrue(e.getMessage().contains("4242"), e.getMessage());
  }

  @Test
  void shouldRejectARecordOfAnotherTypeAsIncompatible() {
    byte[] maskBytes = new RegistryAvroSerde<>(ImageMask.class, registry).serializer()
        .serialize("image-queries", SampleRecords.mask());
    WireFormatException e = deserializeFails(ImageQuery.class, maskBytes);
    assertEquals(WireFormatError.INCOMPATIBLE_SCHEMA, e.code());
    assertTrue(e.getMessage().contains("io.llavaseg.schemas.ImageMask"), e.getMessage());
  }

  @Test
  void shouldReportAnUnavailableRegistryAsTransient() {
    byte[] bytes = new RegistryAvroSerde<>(ImageAnswer.class, registry).serializer()
        .serialize("image-answers", SampleRecords.answer());
    registry.unavailable = true;
    WireFormatException read = deserializeFails(ImageAnswer.class, bytes);
    assertEquals(WireFormatError.REGISTRY_UNAVAILABLE, read.code());
    assertTrue(read.isTransient());
    WireFormatException write = assertThrows(WireFormatException.class,
        () -> new RegistryAvroSerde<>(ImageAnswer.class, registry).serializer()
            .serialize("image-answers", SampleRecords.answer()));
    assertEquals(WireFormatError.REGISTRY_UNAVAILABLE, write.code());
  }

  @Test
  void shouldReportASchemaTheRegistryRefusesAsRefusedNotAsARecordFault() {
    SchemaRegistry refusing = new SchemaRegistry() {
      @Override
      public int register(String subject, Schema schema) {
        throw new IncompatibleSchemaException("BACKWARD violated", 409);
      }

      @Override
      public int lookup(String subject, Schema schema) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Schema schemaById(int id) {
        throw new UnsupportedOperationException();
      }
    };
    WireFormatException e = assertThrows(WireFormatException.class,
        () -> new RegistryAvroSerde<>(ImageAnswer.class, refusing).serializer()
            .serialize("image-answers", SampleRecords.answer()));
    assertEquals(WireFormatError.SCHEMA_REFUSED, e.code());
    assertFalse(e.isRecordFault());
    assertFalse(e.isTransient());
  }

  @Test
  void shouldClassifyOnlyBadBytesAndRecordsAsRecordFaults() {
    for (WireFormatError code : WireFormatError.values()) {
      boolean registryWide = code == WireFormatError.SCHEMA_NOT_REGISTERED
          || code == WireFormatError.SCHEMA_REFUSED || code == WireFormatError.REGISTRY_REJECTED
          || code == WireFormatError.REGISTRY_UNAVAILABLE;
      assertEquals(!registryWide, code.isRecordFault(), code.name());
      assertEquals(code == WireFormatError.REGISTRY_UNAVAILABLE, code.isTransient(), code.name());
    }
  }

  @Test
  void shouldRejectARecordMissingARequiredFieldAsInvalid() {
    ImageAnswer broken = SampleRecords.answer();
    broken.setAnswer(null);
    WireFormatException e = assertThrows(WireFormatException.class,
        () -> new RegistryAvroSerde<>(ImageAnswer.class, registry).serializer()
            .serialize("image-answers", broken));
    assertEquals(WireFormatError.INVALID_RECORD, e.code());
  }

  @Test
  void shouldReadAnOlderWriterSchemaFillingDefaults() throws IOException {
    Schema current = ImageAnswer.getClassSchema();
    Schema v0 = withoutFields(current, "no_target_reason", "reasoning_ms");
    GenericRecord old = new GenericData.Record(v0);
    old.put("query_id", "q-old");
    old.put("source_id", "camera-1");
    old.put("capture_time", 1000L);
    old.put("question", "Which shape?");
    old.put("answer", "The heart.");
    old.put("target", null);
    old.put("attributes", null);
    GenericRecord model = new GenericData.Record(current.getField("reasoning_model").schema());
    model.put("name", "reasoner");
    model.put("version", "r0");
    model.put("device", "cpu()");
    model.put("backend", "djl");
    old.put("reasoning_model", model);
    old.put("answered_at", 2000L);
    byte[] bytes = frame(registry.register("image-answers-value", v0), old);

    ImageAnswer read = new RegistryAvroSerde<>(ImageAnswer.class, registry).deserializer()
        .deserialize("image-answers", bytes);
    assertEquals("q-old", read.getQueryId());
    assertEquals(java.time.Instant.ofEpochMilli(1000), read.getCaptureTime());
    assertNull(read.getNoTargetReason());
    assertEquals(0.0, read.getReasoningMs());
    assertEquals("r0", read.getReasoningModel().getVersion());
  }

  @Test
  void shouldReadANewerWriterSchemaIgnoringItsExtraField() throws IOException {
    Schema current = ImageAnswer.getClassSchema();
    List<Schema.Field> fields = copyFields(current, List.of());
    fields.add(new Schema.Field("confidence", Schema.create(Schema.Type.DOUBLE), null, 0.0));
    Schema v2 = Schema.createRecord(current.getName(), null, current.getNamespace(), false, fields);
    ImageAnswer answer = SampleRecords.answer();
    GenericRecord newer = new GenericData.Record(v2);
    for (Schema.Field f : current.getFields()) {
      Object v = answer.get(f.pos());
      if (v instanceof java.time.Instant) {
        v = ((java.time.Instant) v).toEpochMilli();
      }
      newer.put(f.name(), v);
    }
    newer.put("confidence", 0.9);
    byte[] bytes = frame(registry.register("image-answers-value", v2), newer);

    ImageAnswer read = new RegistryAvroSerde<>(ImageAnswer.class, registry).deserializer()
        .deserialize("image-answers", bytes);
    assertEquals(answer, read);
  }

  @Test
  void shouldRejectAnOlderWriterLackingARequiredFieldAsIncompatible() throws IOException {
    Schema v0 = withoutFields(ImageAnswer.getClassSchema(), "answer");
    int id = registry.register("image-answers-value", v0);
    byte[] bytes = ByteBuffer.allocate(6).put((byte) 0).putInt(id).put((byte) 0).array();
    WireFormatException e = deserializeFails(ImageAnswer.class, bytes);
    assertEquals(WireFormatError.INCOMPATIBLE_SCHEMA, e.code());
    assertTrue(e.getMessage().contains("answer"), e.getMessage());
  }

  @Test
  void shouldRefuseToWorkUnconfiguredWithoutClient() {
    RegistryAvroSerde<ImageQuery> serde = new RegistryAvroSerde<>(ImageQuery.class);
    assertThrows(IllegalStateException.class, serde::serializer);
    serde.configure(Map.of("schema.registry.url", "http://127.0.0.1:1"), false);
    serde.serializer(); // a REST client exists now; nothing is contacted before the first record
    serde.close();
  }

  private <T extends SpecificRecord> WireFormatException deserializeFails(Class<T> type, byte[] b) {
    RegistryAvroSerde<T> serde = new RegistryAvroSerde<>(type, registry);
    return assertThrows(WireFormatException.class,
        () -> serde.deserializer().deserialize("image-queries", b));
  }

  private static byte[] plainAvro(ImageAnswer answer) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>(ImageAnswer.getClassSchema(),
        SpecificData.getForClass(ImageAnswer.class)).write(answer, enc);
    enc.flush();
    return out.toByteArray();
  }

  private static byte[] frame(int id, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(WireFormat.header(id));
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, enc);
    enc.flush();
    return out.toByteArray();
  }

  static Schema withoutFields(Schema record, String... names) {
    Schema copy = Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(),
        false, copyFields(record, List.of(names)));
    return copy;
  }

  private static List<Schema.Field> copyFields(Schema record, List<String> skip) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : record.getFields()) {
      if (!skip.contains(f.name())) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    return fields;
  }
}
