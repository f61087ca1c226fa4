package io.llavaseg.schemas.registry;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka {@link Serde} for one generated Avro class in the Confluent Schema Registry wire format
 * (see {@link RegistryAvroSerializer} and {@link RegistryAvroDeserializer}); the serializer and the
 * deserializer share one registry client.
 *
 * <p>Usage: {@code new RegistryAvroSerde<>(ImageQuery.class)} then {@code configure(props, false)}
 * with at least {@code schema.registry.url} (keys in {@link RegistryConfig}); Kafka Streams does not
 * configure serde instances passed to {@code Consumed}/{@code Produced}, so call configure yourself.
 * With an injected client, configure only reads {@code auto.register.schemas} and the key/value
 * side; without calling it, the serde is a value serde that auto-registers.
 */
public final class RegistryAvroSerde<T extends SpecificRecord> implements Serde<T> {
  private final Class<T> type;
  private SchemaRegistry client;
  private boolean ownsClient;
  private RegistryAvroSerializer<T> serializer;
  private RegistryAvroDeserializer<T> deserializer;

  /** A serde that creates its registry client from the configs given to {@link #configure}. */
  public RegistryAvroSerde(Class<T> type) {
    this.type = type;
  }

  /** A serde using {@code client}; the serde does not close it. */
  public RegistryAvroSerde(Class<T> type, SchemaRegistry client) {
    this.type = type;
    this.client = client;
    this.serializer = new RegistryAvroSerializer<>(type, client);
    this.deserializer = new RegistryAvroDeserializer<>(type, client);
  }

  /** The record class this serde reads and writes. */
  public Class<T> type() {
    return type;
  }

  @Override
  public synchronized void configure(Map<String, ?> configs, boolean isKey) {
    if (client == null) {
      client = RestSchemaRegistry.fromConfigs(configs);
      ownsClient = true;
    }
    serializer = new RegistryAvroSerializer<>(type, client);
    serializer.configure(configs, isKey);
    deserializer = new RegistryAvroDeserializer<>(type, client);
    deserializer.configure(configs, isKey);
  }

  @Override
  public synchronized Serializer<T> serializer() {
    requireConfigured();
    return serializer;
  }

  @Override
  public synchronized Deserializer<T> deserializer() {
    requireConfigured();
    return deserializer;
  }

  private void requireConfigured() {
    if (client == null) {
      throw new IllegalStateException("RegistryAvroSerde<" + type.getSimpleName()
          + "> is not configured: call configure(configs, isKey) with schema.registry.url");
    }
  }

  @Override
  public synchronized void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }
}
