package io.llavaseg.topology.processor;

import io.llavaseg.schemas.registry.RegistryException;
import io.llavaseg.schemas.registry.WireFormatException;
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
 */
final class Decoding {
  private Decoding() {}

  static <T> T value(Deserializer<T> deserializer, String topic, Headers headers, byte[] bytes)
      throws StageFailure {
    if (bytes == null || bytes.length == 0) {
      throw new StageFailure(ErrorCode.VALUE_MISSING, "record has no value (tombstone or empty)");
    }
    try {
      T value = deserializer.deserialize(topic, headers, bytes);
      if (value == null) {
        throw new StageFailure(ErrorCode.VALUE_MISSING, "value deserialized to null");
      }
      return value;
    } catch (WireFormatException e) {
      if (!e.isRecordFault()) {
        throw e;
      }
      throw new StageFailure(e.code().name(), e.getMessage(), e);
    } catch (RegistryException e) {
      throw e;
    } catch (SerializationException e) {
      throw new StageFailure(ErrorCode.DESERIALIZATION_FAILED.name(), String.valueOf(e.getMessage()), e);
    }
  }
}
