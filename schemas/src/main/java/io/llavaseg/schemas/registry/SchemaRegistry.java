package io.llavaseg.schemas.registry;

import org.apache.avro.Schema;

/**
 * The three Confluent Schema Registry REST operations a Kafka serde needs.
 *
 * <p>Implementations throw {@link RegistryUnavailableException} when the registry could not be
 * reached or answered 5xx (transient: retrying later may succeed), {@link SchemaNotFoundException}
 * when the subject, schema or id does not exist, {@link IncompatibleSchemaException} when the
 * registry refuses a schema under the subject's compatibility rule, and {@link RegistryException}
 * for any other refusal (permanent). Subject naming is the caller's business (see {@link
 * SubjectNames}).
 */
public interface SchemaRegistry extends AutoCloseable {

  /**
   * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions}),
   * or returns the id of the identical schema already registered there.
   *
   * @return the global schema id written into the wire format
   */
  int register(String subject, Schema schema);

  /**
   * Looks up the id of {@code schema} under {@code subject} ({@code POST /subjects/{subject}})
   * without registering it.
   *
   * @throws SchemaNotFoundException if the subject does not exist or does not hold this schema
   */
  int lookup(String subject, Schema schema);

  /**
   * Fetches the schema with global id {@code id} ({@code GET /schemas/ids/{id}}).
   *
   * @throws SchemaNotFoundException if no schema has this id
   */
  Schema schemaById(int id);

  /** Releases HTTP resources; the default does nothing. Never throws a checked exception. */
  @Override
  default void close() {}
}
