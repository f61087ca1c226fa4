package io.llavaseg.schemas.registry;

/**
 * Stable codes of serde failures, fit for dead-letter records and metrics. The names never change;
 * new codes may be added.
 */
public enum WireFormatError {
  /** Byte 0 is not 0x00: not Confluent wire format (plain JSON, another serde, garbage). */
  WRONG_MAGIC_BYTE(false),
  /** Fewer than 5 bytes, or the Avro body ends before the record does. */
  TRUNCATED(false),
  /** The registry does not know the schema id in bytes 1-4 (HTTP 404). */
  UNKNOWN_SCHEMA_ID(false),
  /**
   * The writer schema cannot be resolved to the reader's class (a record of another type or an
   * incompatible version); on the serializer side, the registry refused the schema (HTTP 409).
   */
  INCOMPATIBLE_SCHEMA(false),
  /** The body does not decode with the writer schema, or has bytes left over after the record. */
  MALFORMED_PAYLOAD(false),
  /** Serializer: the record cannot be written with its schema (e.g. a required field is null). */
  INVALID_RECORD(false),
  /** Serializer with auto.register.schemas=false: the schema is not registered under the subject. */
  SCHEMA_NOT_REGISTERED(false),
  /** The registry refused the request for another reason (HTTP 4xx, e.g. 401, 422). */
  REGISTRY_REJECTED(false),
  /** The registry is unreachable, timed out or answered 5xx after retries. Transient. */
  REGISTRY_UNAVAILABLE(true);

  private final boolean isTransient;

  WireFormatError(boolean isTransient) {
    this.isTransient = isTransient;
  }

  /** True when the same bytes may succeed later (do not dead-letter; retry or fail the task). */
  public boolean isTransient() {
    return isTransient;
  }
}
