package io.llavaseg.topology.processor;

import io.llavaseg.schemas.registry.RegistryException;
import io.llavaseg.schemas.registry.WireFormatError;
import io.llavaseg.schemas.registry.WireFormatException;
import io.llavaseg.topology.CircuitBreaker;
import io.llavaseg.topology.DependencyUnavailableException;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.StageFailure;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Deserializes a value read as raw bytes. A failure caused by the record's own bytes (the serde's
 * record-fault codes: {@code WRONG_MAGIC_BYTE}, {@code TRUNCATED}, {@code UNKNOWN_SCHEMA_ID}, {@code
 * INCOMPATIBLE_SCHEMA}, {@code MALFORMED_PAYLOAD}) becomes a {@link StageFailure} with that code, to
 * be dead-lettered. A failure that would hit every record alike (registry unreachable, credentials
 * or TLS refused) propagates instead: the task fails, its transaction aborts and the record is read
 * again once the cause is fixed, rather than the whole stream being dead-lettered.
 *
 * <p>Why the topology reads its input topics as bytes and deserializes here, rather than with a
 * {@code DeserializationExceptionHandler} or Kafka 4.2's {@code errors.dead.letter.queue.topic.name}:
 * the dead letter must be our Avro {@code DeadLetter} with our codes and the original bytes, written
 * in the same transaction as the rest of the task's output; inside a processor we have all of that,
 * and the same code path serves both stages and the tests.
 *
 * <p><b>A registry that lost its state.</b> {@code UNKNOWN_SCHEMA_ID} is the record's fault when one
 * producer writes an id the registry never had, but the registry's when it lost its schemas (the
 * project's registry keeps them in memory): then every record gets it, and dead-lettering them all
 * would turn an outage into data loss. With the registry's {@link CircuitBreaker} ({@code
 * llavaseg.registry.unknown-schema.breaker-threshold}, N), the policy is:
 *
 * <ul>
 *   <li>a record that fails with an unknown id, or cannot reach the registry, counts one failure;
 *       a record that deserializes (or whose id the registry resolved: {@code INCOMPATIBLE_SCHEMA},
 *       {@code MALFORMED_PAYLOAD}) closes the breaker and resets the count; other failures ({@code
 *       WRONG_MAGIC_BYTE}, a value too short to hold an id) leave it as it is;
 *   <li>fewer than N failures in a row: an unknown id is a dead letter, as an isolated bad producer's
 *       record should be;
 *   <li>the N-th in a row opens the breaker: that record and every further one with an unknown id
 *       is not dead-lettered but thrown back as {@link DependencyUnavailableException} ({@code
 *       schema-registry}): the task's transaction aborts, the stream thread is replaced, the record
 *       is read again, and readiness is 503 (the processor reports it to the metrics);
 *   <li>after the breaker's backoff one record is let through as a half-open probe: if it
 *       deserializes, the breaker closes; an unknown id again reopens it for twice as long. Records
 *       with known (cached) ids deserialize all along and close the breaker.
 * </ul>
 *
 * So the first N-1 records of a registry's state loss are dead letters (replayable from the
 * dead-letter topic, which keeps the original bytes), and a producer that writes nothing but unknown
 * ids, N or more in a row while no other record on the instance deserializes, holds its partition
 * until the registry knows the id or another record deserializes: at that point its next record is
 * a dead letter again.
 */
final class Decoding {
  private Decoding() {}

  static <T> T value(Deserializer<T> deserializer, String topic, Headers headers, byte[] bytes)
      throws StageFailure {
    return value(deserializer, topic, headers, bytes, null);
  }

  /** As {@link #value(Deserializer, String, Headers, byte[])}, with the registry's breaker (may be null). */
  static <T> T value(Deserializer<T> deserializer, String topic, Headers headers, byte[] bytes,
      CircuitBreaker registry) throws StageFailure {
    if (bytes == null || bytes.length == 0) {
      throw new StageFailure(ErrorCode.VALUE_MISSING, "record has no value (tombstone or empty)");
    }
    boolean permitted = registry == null || registry.tryAcquire();
    boolean verdict = false;
    try {
      T value = deserializer.deserialize(topic, headers, bytes);
      if (registry != null) {
        registry.onSuccess();
        verdict = true;
      }
      if (value == null) {
        throw new StageFailure(ErrorCode.VALUE_MISSING, "value deserialized to null");
      }
      return value;
    } catch (WireFormatException e) {
      if (registry != null) {
        WireFormatError code = e.code();
        if (code == WireFormatError.UNKNOWN_SCHEMA_ID || code == WireFormatError.REGISTRY_UNAVAILABLE) {
          if (!permitted) {
            verdict = true;
            DependencyUnavailableException open = registry.failFast("schema id " + e.schemaId());
            open.addSuppressed(e);
            throw open;
          }
          boolean open = registry.onFailure();
          verdict = true;
          if (open && code == WireFormatError.UNKNOWN_SCHEMA_ID) {
            throw new DependencyUnavailableException(registry.dependency(), registry.failures()
                + " records in a row have schema ids the registry does not know (now " + e.schemaId()
                + ", topic " + topic + "): the registry has probably lost its state; the record is retried, not"
                + " dead-lettered (llavaseg.registry.unknown-schema.breaker-threshold)", e);
          }
        } else if (e.schemaId() >= 0 && (code == WireFormatError.INCOMPATIBLE_SCHEMA
            || code == WireFormatError.MALFORMED_PAYLOAD || code == WireFormatError.TRUNCATED)) {
          registry.onSuccess(); // the registry resolved the id: it has its state
          verdict = true;
        }
      }
      if (!e.isRecordFault()) {
        throw e;
      }
      throw new StageFailure(e.code().name(), e.getMessage(), e);
    } catch (RegistryException e) {
      throw e;
    } catch (SerializationException e) {
      throw new StageFailure(ErrorCode.DESERIALIZATION_FAILED.name(), String.valueOf(e.getMessage()), e);
    } finally {
      if (registry != null && !verdict) {
        registry.release();
      }
    }
  }
}
