package io.llavaseg.schemas.registry;

/**
 * Stable codes of serde failures, fit for dead-letter records and metrics. The names never change;
 * new codes may be added.
 *
 * <p>Two properties tell a stream processor what to do: {@link #isRecordFault()} codes are caused
 * by the bytes (or record) at hand and are safe to dead-letter while the rest flows; the others
 * (registry down, credentials or TLS wrong, schema refused) would hit every record alike, so the
 * processor should fail or retry instead of dead-lettering everything; {@link #isTransient()}
 * marks the one that may pass by itself. Caveat: UNKNOWN_SCHEMA_ID is a record fault, but if the
 * registry lost its state (the project's registry keeps schemas in memory), every record gets it.
 */
public enum WireFormatError {
  /** Byte 0 is not 0x00: not Confluent wire format (plain JSON, another serde, garbage). */
  WRONG_MAGIC_BYTE(false, true),
  /** Fewer than 5 bytes, or the Avro body ends before the record does. */
  TRUNCATED(false, true),
  /** The registry does not know the schema id in bytes 1-4 (HTTP 404). */
  UNKNOWN_SCHEMA_ID(false, true),
  /** The writer schema cannot be resolved to the reader's class (another record type, or an
   * incompatible version). */
  INCOMPATIBLE_SCHEMA(false, true),
  /** The body does not decode with the writer schema, or has bytes left over after the record. */
  MALFORMED_PAYLOAD(false, true),
  /** Serializer: the record cannot be written with its schema (e.g. a required field is null). */
  INVALID_RECORD(false, true),
  /** Serializer with auto.register.schemas=false: the schema is not registered under the subject. */
  SCHEMA_NOT_REGISTERED(false, false),
  /** Serializer: the registry refused to register the schema under the subject's compatibility
   * rule (HTTP 409). */
  SCHEMA_REFUSED(false, false),
  /** The registry refused the request for another reason (HTTP 401/403/422, TLS handshake). */
  REGISTRY_REJECTED(false, false),
  /** The registry is unreachable, timed out or answered 5xx after retries. */
  REGISTRY_UNAVAILABLE(true, false);

  private final boolean isTransient;
  private final boolean recordFault;

  WireFormatError(boolean isTransient, boolean recordFault) {
    this.isTransient = isTransient;
    this.recordFault = recordFault;
  }

  /** True when the same bytes may succeed later (do not dead-letter; retry or fail the task). */
  public boolean isTransient() {
    return isTransient;
  }

  /** True when this record's bytes or content are at fault, so dead-lettering it is right. */
  public boolean isRecordFault() {
    return recordFault;
  }
}
