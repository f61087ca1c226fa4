package io.llavaseg.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llavaseg.embedded.RegistryLauncher;
import io.llavaseg.schemas.CocoRle;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.SampleRecords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our REST client and serde against the real Apicurio Registry (Confluent-compatible API). */
class RestSchemaRegistryIT {
  private static RegistryLauncher registry;
  private static RestSchemaRegistry client;

  @BeforeAll
  static void startRegistry() {
    registry = RegistryLauncher.start();
    client = new RestSchemaRegistry(RegistryConfig.forUrl(registry.url()));
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
      assertTrue(!registry.isAlive(), "the registry process is gone after close()");
    }
  }

  @Test
  void shouldRegisterLookUpAndFetchByIdAcrossFreshClients() {
    Schema schema = ImageQuery.getClassSchema();
    int id = client.register("image-queries-value", schema);
    assertEquals(id, client.register("image-queries-value", schema), "registering again");

    RestSchemaRegistry fresh = new RestSchemaRegistry(RegistryConfig.forUrl(registry.url()));
    assertEquals(id, fresh.lookup("image-queries-value", schema));
    assertEquals(schema, fresh.schemaById(id));
    assertTrue(fresh.subjects().contains("image-queries-value"));
  }

  @Test
  void shouldReportUnknownIdsAndUnregisteredSchemasAsNotFound() {
    RestSchemaRegistry fresh = new RestSchemaRegistry(RegistryConfig.forUrl(registry.url()));
    SchemaNotFoundException unknownId =
        assertThrows(SchemaNotFoundException.class, () -> fresh.schemaById(987654));
    assertEquals(404, unknownId.httpStatus());
    assertThrows(SchemaNotFoundException.class,
        () -> fresh.lookup("never-registered-value", ImageAnswer.getClassSchema()));
    fresh.register("lookup-miss-value", ImageAnswer.getClassSchema());
    assertThrows(SchemaNotFoundException.class,
        () -> fresh.lookup("lookup-miss-value", ImageMask.getClassSchema()));
  }

  @Test
  void shouldRefuseABackwardIncompatibleSchemaUnderBackwardCompatibility() {
    String subject = "compat-check-value";
    Schema v1 = ImageAnswer.getClassSchema();
    int id1 = client.register(subject, v1);
    client.setCompatibility(subject, "BACKWARD");

    List<Schema.Field> required = copyFields(v1);
    required.add(new Schema.Field("confidence", Schema.create(Schema.Type.DOUBLE), null));
    Schema incompatible =
        Schema.createRecord(v1.getName(), null, v1.getNamespace(), false, required);
    IncompatibleSchemaException refused =
        assertThrows(IncompatibleSchemaException.class, () -> client.register(subject, incompatible));
    assertEquals(409, refused.httpStatus());

    List<Schema.Field> withDefault = copyFields(v1);
    withDefault.add(new Schema.Field("confidence", Schema.create(Schema.Type.DOUBLE), null, 0.0));
    Schema compatible =
        Schema.createRecord(v1.getName(), null, v1.getNamespace(), false, withDefault);
    int id2 = client.register(subject, compatible);
    assertNotEquals(id1, id2);
  }

  @Test
  void shouldWriteBytesThatDecodeWithTheRegistrySchemaFetchedOverPlainHttp() throws Exception {
    RegistryAvroSerde<ImageMask> serde = new RegistryAvroSerde<>(ImageMask.class);
    serde.configure(java.util.Map.of("schema.registry.url", registry.url()), false);
    ImageMask mask = SampleRecords.mask();
    byte[] bytes = serde.serializer().serialize("image-masks", mask);

    // Independent of our serde and client: parse the header by hand, fetch the schema over HTTP.
    assertEquals(0, bytes[0]);
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    HttpResponse<String> resp = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(registry.url() + "/schemas/ids/" + id)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, resp.statusCode());
    String schemaText = new ObjectMapper().readTree(resp.body()).get("schema").asText();
    Schema writer = new Schema.Parser().parse(schemaText);
    GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer).read(null,
        DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));

    assertEquals("q-1", decoded.get("query_id").toString());
    assertEquals(3, decoded.get("width"));
    assertEquals(2, decoded.get("height"));
    assertEquals(mask.getCaptureTime().toEpochMilli(), decoded.get("capture_time"));
    @SuppressWarnings("unchecked")
    List<Long> counts = new ArrayList<>((List<Long>) decoded.get("rle_counts"));
    byte[] pixels = CocoRle.decode(counts.stream().mapToLong(Long::longValue).toArray(), 3, 2);
    assertEquals(3, CocoRle.area(counts.stream().mapToLong(Long::longValue).toArray()));
    assertEquals(1, pixels[1]);
    assertNull(decoded.get("empty_reason"));
    serde.close();
  }

  @Test
  void shouldReadBackOwnBytesThroughTheRealRegistry() {
    RegistryAvroSerde<ImageQuery> writer = new RegistryAvroSerde<>(ImageQuery.class);
    writer.configure(java.util.Map.of("schema.registry.url", registry.url()), false);
    RegistryAvroSerde<ImageQuery> reader = new RegistryAvroSerde<>(ImageQuery.class);
    reader.configure(java.util.Map.of("schema.registry.url", registry.url()), false);
    ImageQuery q = SampleRecords.referenceQuery("q-ref");
    assertEquals(q, reader.deserializer().deserialize("image-queries",
        writer.serializer().serialize("image-queries", q)));
    byte[] unknown = ByteBuffer.allocate(6).put((byte) 0).putInt(555_555).put((byte) 0).array();
    WireFormatException e = assertThrows(WireFormatException.class,
        () -> reader.deserializer().deserialize("image-queries", unknown));
    assertEquals(WireFormatError.UNKNOWN_SCHEMA_ID, e.code());
  }

  private static List<Schema.Field> copyFields(Schema record) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : record.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    return fields;
  }
}
