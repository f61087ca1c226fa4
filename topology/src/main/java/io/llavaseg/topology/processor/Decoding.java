package io.llavaseg.topology.processor;

import io.llavaseg.schemas.registry.RegistryException;
import io.llavaseg.schemas.registry.WireFormatException;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.StageFailure;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Deserializes a value read as raw bytes, turning a permanent failure into a {@link StageFailure}
 * with the serde's stable code (e.g. {@code WRONG_MAGIC_BYTE}) and letting a transient one (registry
 * unreachable) propagate, so the task fails, its transaction aborts and the record is read again
 * instead of being dead-lettered for an outage.
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
      if (e.isTransient()) {
        throw e;
      }
      throw new StageFailure(e.code().name(), e.getMessage(), e);
    } catch (RegistryException e) {
      if (e.isTransient()) {
        throw e;
      }
      throw new StageFailure(ErrorCode.DESERIALIZATION_FAILED.name(), e.getMessage(), e);
    } catch (SerializationException e) {
      throw new StageFailure(ErrorCode.DESERIALIZATION_FAILED.name(), String.valueOf(e.getMessage()), e);
    }
  }
}
