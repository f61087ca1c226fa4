package io.llavaseg.schemas.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A serde failure with a stable {@link #code()}; a Kafka {@link SerializationException}, so Kafka
 * clients and Streams' deserialization/processing exception handlers treat it as one.
 */
public class WireFormatException extends SerializationException {
  private static final long serialVersionUID = 1L;

  private final WireFormatError code;
  private final int schemaId;

  public WireFormatException(WireFormatError code, int schemaId, String message, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = code;
    this.schemaId = schemaId;
  }

  public WireFormatException(WireFormatError code, String message) {
    this(code, -1, message, null);
  }

  /** The stable error code. */
  public WireFormatError code() {
    return code;
  }

  /** The schema id involved, or -1 when unknown (e.g. bytes too short to hold one). */
  public int schemaId() {
    return schemaId;
  }

  /** Same as {@code code().isRecordFault()}: safe to dead-letter this record. */
  public boolean isRecordFault() {
    return code.isRecordFault();
  }

  /** Same as {@code code().isTransient()}. */
  public boolean isTransient() {
    return code.isTransient();
  }
}
