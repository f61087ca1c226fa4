package io.llavaseg.schemas.registry;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format into a generated Avro class: fetches the writer schema by the id
 * in bytes 1-4 (cached), checks that it resolves to the reader class's schema (Avro schema
 * resolution, so older and newer compatible versions decode), and decodes the body. Null bytes
 * deserialize to null. Every failure is a {@link WireFormatException} with a stable code:
 * WRONG_MAGIC_BYTE, TRUNCATED, UNKNOWN_SCHEMA_ID, INCOMPATIBLE_SCHEMA, MALFORMED_PAYLOAD,
 * REGISTRY_REJECTED or REGISTRY_UNAVAILABLE (the only transient one).
 *
 * <p>Does not handle schema references, Protobuf/JSON schemas, or record-name subject strategies.
 */
public final class RegistryAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
  private final Class<T> type;
  private final SpecificData data;
  private final Schema readerSchema;
  private final Map<Integer, Resolution<T>> byWriterId = new ConcurrentHashMap<>();
  private volatile SchemaRegistry client;
  private volatile boolean ownsClient;

  /** A deserializer that creates its registry client in {@link #configure}. */
  public RegistryAvroDeserializer(Class<T> type) {
    this(type, null);
  }

  /** A deserializer using {@code client} (not closed by {@link #close()}). */
  public RegistryAvroDeserializer(Class<T> type, SchemaRegistry client) {
    this.type = type;
    this.data = SpecificData.getForClass(type);
    this.readerSchema = data.getSchema(type);
    this.client = client;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (client == null) {
      client = RestSchemaRegistry.fromConfigs(configs);
      ownsClient = true;
    }
  }

  /** The reader schema: the generated class's schema. */
  public Schema readerSchema() {
    return readerSchema;
  }

  @Override
  public T deserialize(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    int id = WireFormat.schemaId(bytes);
    Resolution<T> resolution = resolution(id, topic);
    if (resolution.incompatibility != null) {
      throw new WireFormatException(WireFormatError.INCOMPATIBLE_SCHEMA, id,
          resolution.incompatibility, null);
    }
    BinaryDecoder decoder = DecoderFactory.get()
        .binaryDecoder(bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE, null);
    T record;
    try {
      record = resolution.reader.read(null, decoder);
    } catch (EOFException e) {
      throw new WireFormatException(WireFormatError.TRUNCATED, id,
          "the Avro body (" + (bytes.length - WireFormat.HEADER_SIZE) + " bytes) ends before the "
              + resolution.writerName + " record does; topic " + topic, e);
    } catch (IOException | RuntimeException e) {
      throw new WireFormatException(WireFormatError.MALFORMED_PAYLOAD, id,
          "the body does not decode as " + resolution.writerName + " (schema id " + id + "); topic "
              + topic + ": " + e, e);
    }
    try {
      if (!decoder.isEnd()) {
        throw new WireFormatException(WireFormatError.MALFORMED_PAYLOAD, id,
            "bytes left over after the " + resolution.writerName + " record (schema id " + id
                + "); topic " + topic, null);
      }
    } catch (IOException e) {
      throw new WireFormatException(WireFormatError.MALFORMED_PAYLOAD, id, e.toString(), e);
    }
    return record;
  }

  private Resolution<T> resolution(int id, String topic) {
    Resolution<T> cached = byWriterId.get(id);
    if (cached != null) {
      return cached;
    }
    SchemaRegistry registry = client;
    if (registry == null) {
      throw new IllegalStateException(
          "RegistryAvroDeserializer is not configured: call configure() with schema.registry.url");
    }
    Schema writer;
    try {
      writer = registry.schemaById(id);
    } catch (RegistryUnavailableException e) {
      throw new WireFormatException(WireFormatError.REGISTRY_UNAVAILABLE, id,
          "cannot fetch schema id " + id + ": " + e.getMessage(), e);
    } catch (SchemaNotFoundException e) {
      throw new WireFormatException(WireFormatError.UNKNOWN_SCHEMA_ID, id,
          "the registry has no schema with id " + id + " (topic " + topic + ")", e);
    } catch (RegistryException e) {
      throw new WireFormatException(WireFormatError.REGISTRY_REJECTED, id,
          "cannot fetch schema id " + id + ": " + e.getMessage(), e);
    }
    SchemaCompatibility.SchemaPairCompatibility compat =
        SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
    Resolution<T> resolved;
    if (compat.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      resolved = new Resolution<>(new SpecificDatumReader<>(writer, readerSchema, data), null,
          writer.getFullName());
    } else {
      resolved = new Resolution<>(null,
          "schema id " + id + " (" + writer.getFullName() + ") cannot be read as "
              + type.getName() + ": " + describe(compat),
          writer.getFullName());
    }
    byWriterId.put(id, resolved);
    return resolved;
  }

  private static String describe(SchemaCompatibility.SchemaPairCompatibility compat) {
    StringBuilder sb = new StringBuilder();
    for (SchemaCompatibility.Incompatibility i : compat.getResult().getIncompatibilities()) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append(i.getType()).append(" at ").append(i.getLocation()).append(": ")
          .append(i.getMessage());
      if (sb.length() > 500) {
        sb.append(" ...");
        break;
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }

  private static final class Resolution<T> {
    final SpecificDatumReader<T> reader;
    final String incompatibility;
    final String writerName;

    Resolution(SpecificDatumReader<T> reader, String incompatibility, String writerName) {
      this.reader = reader;
      this.incompatibility = incompatibility;
      this.writerName = writerName;
    }
  }
}
