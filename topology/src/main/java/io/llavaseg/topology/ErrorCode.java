package io.llavaseg.topology;

/**
 * Stable codes of the dead letters this topology writes ({@code DeadLetter.error_code}); the names
 * never change, new ones may be added. Records that fail to deserialize carry the registry serde's
 * code instead ({@code WRONG_MAGIC_BYTE}, {@code TRUNCATED}, {@code UNKNOWN_SCHEMA_ID}, {@code
 * INCOMPATIBLE_SCHEMA}, {@code MALFORMED_PAYLOAD}). Registry-wide failures ({@code
 * REGISTRY_UNAVAILABLE}, {@code REGISTRY_REJECTED}) are never dead-lettered: the task fails and the
 * record is read again (an outage replaces the stream thread; a refusal stops the instance).
 */
public enum ErrorCode {
  /** The value is null (a tombstone) or empty. */
  VALUE_MISSING,
  /** Deserialization failed without a serde code (should not happen with the registry serde). */
  DESERIALIZATION_FAILED,
  /** The serialized query exceeds {@code llavaseg.record.max-bytes}. */
  RECORD_TOO_LARGE,
  KEY_TOO_LARGE,
  HEADERS_TOO_LARGE,
  /** The record key is missing or differs from the value's source_id (ordering is per key). */
  KEY_MISMATCH,
  /** query_id is blank, longer than 128 characters or contains control characters. */
  QUERY_ID_INVALID,
  /** The question is blank. */
  QUESTION_EMPTY,
  /** The question is longer than {@code llavaseg.question.max-chars}. */
  QUESTION_TOO_LONG,
  /** The question contains control characters other than tab and newline. */
  QUESTION_CONTROL_CHARS,
  /** The question's bytes were not valid UTF-8 (they decode to U+FFFD replacement characters). */
  QUESTION_NOT_UTF8,
  /**
   * The options map has more than 32 entries, a blank key or one over 64 characters, a value over
   * 1024 characters, control characters, or a {@code mask} that is not true or false.
   */
  OPTIONS_INVALID,
  /** The media type is not image/png or image/jpeg (or a reference's type cannot be told). */
  MEDIA_TYPE_UNSUPPORTED,
  /** The encoded image exceeds {@code llavaseg.image.max-bytes} (or is empty). */
  IMAGE_TOO_LARGE,
  /** Width or height outside [{@code llavaseg.image.min-side}, {@code llavaseg.image.max-side}]. */
  IMAGE_SIZE_OUT_OF_RANGE,
  /** The bytes do not decode as the declared media type. */
  IMAGE_UNDECODABLE,
  /** A reference that is not file:// under one of {@code llavaseg.reference.roots}. */
  REFERENCE_NOT_ALLOWED,
  /**
   * An http(s) reference's host resolves to a loopback, link-local, private or otherwise internal
   * address ({@code AddressPolicy}) and {@code llavaseg.reference.allow-private-addresses} is false.
   */
  REFERENCE_ADDRESS_REFUSED,
  /**
   * The image's decoded pixels (width x height x bytes per pixel, read from the header) exceed this
   * instance's whole decode budget ({@code llavaseg.image.decode-budget-bytes}).
   */
  IMAGE_DECODE_TOO_LARGE,
  /** A referenced file is missing or unreadable. */
  REFERENCE_UNREADABLE,
  /** A referenced file's SHA-256 differs from the event's. */
  REFERENCE_HASH_MISMATCH,
  /** The reasoner threw. */
  REASONING_FAILED,
  /** The segmenter threw. */
  SEGMENTATION_FAILED,
  /**
   * The stage's model gave no result within the request timeout (its worker is replaced if it is
   * stuck); derived from {@code llavaseg.inference.timeout} and the batching settings.
   */
  INFERENCE_TIMEOUT,
  /** The segmenter returned a mask that is not at the image's size. */
  MASK_SIZE_MISMATCH,
  /**
   * An output record (answer, reasoned query or mask) would exceed {@code llavaseg.output.max-bytes}
   * (checked before sending: under exactly_once_v2 a send refused for size fails the transaction).
   */
  OUTPUT_TOO_LARGE,
  /**
   * Validation or segmentation of this record threw something unforeseen (a bug, or an input the
   * checks missed); the exception class is in the dead letter. Registry and Kafka failures are never
   * reported this way: they fail the task.
   */
  UNEXPECTED_ERROR
}
