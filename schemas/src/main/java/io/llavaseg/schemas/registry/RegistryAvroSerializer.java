package io.llavaseg.schemas.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a generated Avro record in the Confluent wire format under the subject its subject name
 * strategy gives ({@code <topic>-value} or {@code -key} by default; see {@link SubjectNames}),
 * registering its schema ({@code auto.register.schemas=true}, the default) or
 * only looking it up. The schema id per subject is cached, so the registry is asked once per topic.
 * A null record serializes to null (tombstone). Failures are {@link WireFormatException}s.
 */
public final class RegistryAvroSerializer<T extends SpecificRecord> implements Serializer<T> {
  private final Class<T> type;
  private final Schema schema;
  private final SpecificDatumWriter<T> writer;
  private final Map<String, Integer> idBySubject = new ConcurrentHashMap<>();
  private volatile SchemaRegistry client;
  private volatile boolean ownsClient;
  private volatile boolean isKey;
  private volatile boolean autoRegister = true;
  private volatile SubjectNames.Strategy strategy = SubjectNames.Strategy.TOPIC;

  /** A serializer that creates its registry client in {@link #configure}. */
  public RegistryAvroSerializer(Class<T> type) {
    this(type, null);
  }

  /** A serializer using {@code client} (not closed by {@link #close()}); value side, auto-register. */
  public RegistryAvroSerializer(Class<T> type, SchemaRegistry client) {
    this.type = type;
    SpecificData data = SpecificData.getForClass(type);
    this.schema = data.getSchema(type);
    this.writer = new SpecificDatumWriter<>(schema, data);
    this.client = client;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    this.autoRegister = RegistryConfig.autoRegister(configs);
    this.strategy = RegistryConfig.subjectNameStrategy(configs, isKey);
    if (client == null) {
      client = RestSchemaRegistry.fromConfigs(configs);
      ownsClient = true;
    }
    idBySubject.clear();
  }

  /** The writer schema: the generated class's schema. */
  public Schema schema() {
    return schema;
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    int id = schemaId(topic);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(WireFormat.header(id));
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new WireFormatException(WireFormatError.INVALID_RECORD, id,
          "cannot write " + type.getSimpleName() + " for topic " + topic + ": " + e, e);
    }
    return out.toByteArray();
  }

  private int schemaId(String topic) {
    String subject = strategy.subject(topic, isKey, schema);
    Integer cached = idBySubject.get(subject);
    if (cached != null) {
      return cached;
    }
    SchemaRegistry registry = client;
    if (registry == null) {
      throw new IllegalStateException(
          "RegistryAvroSerializer is not configured: call configure() with schema.registry.url");
    }
    int id;
    try {
      id = autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema);
    } catch (RegistryUnavailableException e) {
      throw new WireFormatException(WireFormatError.REGISTRY_UNAVAILABLE, -1,
          "cannot get the schema id of subject " + subject + ": " + e.getMessage(), e);
    } catch (SchemaNotFoundException e) {
      throw new WireFormatException(WireFormatError.SCHEMA_NOT_REGISTERED, -1,
          schema.getFullName() + " is not registered under subject " + subject
              + " and auto.register.schemas=false: " + e.getMessage(), e);
    } catch (IncompatibleSchemaException e) {
      throw new WireFormatException(WireFormatError.SCHEMA_REFUSED, -1,
          "the registry refused " + schema.getFullName() + " under subject " + subject + ": "
              + e.getMessage(), e);
    } catch (RegistryException e) {
      throw new WireFormatException(WireFormatError.REGISTRY_REJECTED, -1,
          "the registry refused subject " + subject + ": " + e.getMessage(), e);
    }
    idBySubject.put(subject, id);
    return id;
  }

  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }
}
