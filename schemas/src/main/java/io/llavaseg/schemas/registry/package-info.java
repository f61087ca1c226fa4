/**
 * The schema registry seen from Kafka clients: a REST client for Confluent-compatible registries
 * ({@link io.llavaseg.schemas.registry.RestSchemaRegistry}, configured by {@link
 * io.llavaseg.schemas.registry.RegistryConfig}), the Avro serde that writes and reads the
 * Confluent wire format, its errors, and {@link io.llavaseg.schemas.registry.RegistryLauncher},
 * which starts the bundled Apicurio registry as a child process. No topology or models here.
 */
package io.llavaseg.schemas.registry;
