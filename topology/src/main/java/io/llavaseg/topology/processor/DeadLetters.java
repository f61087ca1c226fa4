package io.llavaseg.topology.processor;

import io.llavaseg.schemas.DeadLetter;
import io.llavaseg.topology.StageFailure;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds the {@code DeadLetter} of a failed record: stage, code, message, where it came from, its bytes. */
public final class DeadLetters {
  /**
   * {@code DeadLetter.stage} values of the checks before a stage's own work; a failure in a stage's
   * work carries the stage's {@link io.llavaseg.topology.Stage#configName()}.
   */
  public static final String DESERIALIZATION = "deserialization";
  public static final String VALIDATION = "validation";

  private static final int MAX_MESSAGE_CHARS = 2000;
  /**
   * Original keys and values above this are left out (noted in the message), so that a dead letter
   * always fits the producer's max.request.size (1 MiB); original topic/partition/offset still
   * point at the record.
   */
  public static final int MAX_ORIGINAL_BYTES = 1_000_000;

  private DeadLetters() {}

  public static DeadLetter of(String stage, StageFailure failure, String queryId,
      Optional<RecordMetadata> origin, byte[] key, byte[] value, Instant failedAt) {
    return of(stage, failure, queryId, origin.map(RecordMetadata::topic).orElse(""),
        origin.map(RecordMetadata::partition).orElse(-1), origin.map(RecordMetadata::offset).orElse(-1L),
        key, value, failedAt);
  }

  /** A dead letter for the record at {@code topic}/{@code partition}/{@code offset} (-1 when unknown). */
  public static DeadLetter of(String stage, StageFailure failure, String queryId, String topic, int partition,
      long offset, byte[] key, byte[] value, Instant failedAt) {
    String message = failure.getMessage() == null ? failure.code() : failure.getMessage();
    if (message.length() > MAX_MESSAGE_CHARS) {
      message = message.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
    int keyLength = key == null ? 0 : key.length;
    int valueLength = value == null ? 0 : value.length;
    if (keyLength + valueLength > MAX_ORIGINAL_BYTES) {
      message += " [original key/value (" + keyLength + " + " + valueLength + " bytes) left out]";
      key = keyLength > MAX_ORIGINAL_BYTES / 100 ? null : key;
      value = null;
    }
    Throwable cause = failure.getCause();
    return DeadLetter.newBuilder()
        .setStage(stage)
        .setErrorCode(failure.code())
        .setMessage(message)
        .setQueryId(queryId)
        .setOriginalTopic(topic == null ? "" : topic)
        .setOriginalPartition(partition)
        .setOriginalOffset(offset)
        .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
        .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
        .setExceptionClass(cause == null ? null : cause.getClass().getName())
        .setFailedAt(failedAt)
        .build();
  }
}
