package io.llavaseg.topology.processor;

import io.llavaseg.schemas.DeadLetter;
import io.llavaseg.topology.StageFailure;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds the {@code DeadLetter} of a failed record: stage, code, message, where it came from, its bytes. */
public final class DeadLetters {
  /** {@code DeadLetter.stage} values. */
  public static final String DESERIALIZATION = "deserialization";
  public static final String VALIDATION = "validation";
  public static final String REASONING = "reasoning";
  public static final String SEGMENTATION = "segmentation";

  private static final int MAX_MESSAGE_CHARS = 2000;

  private DeadLetters() {}

  public static DeadLetter of(String stage, StageFailure failure, String queryId,
      Optional<RecordMetadata> origin, byte[] key, byte[] value, Instant failedAt) {
    String message = failure.getMessage() == null ? failure.code() : failure.getMessage();
    if (message.length() > MAX_MESSAGE_CHARS) {
      message = message.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
    Throwable cause = failure.getCause();
    return DeadLetter.newBuilder()
        .setStage(stage)
        .setErrorCode(failure.code())
        .setMessage(message)
        .setQueryId(queryId)
        .setOriginalTopic(origin.map(RecordMetadata::topic).orElse(""))
        .setOriginalPartition(origin.map(RecordMetadata::partition).orElse(-1))
        .setOriginalOffset(origin.map(RecordMetadata::offset).orElse(-1L))
        .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
        .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
        .setExceptionClass(cause == null ? null : cause.getClass().getName())
        .setFailedAt(failedAt)
        .build();
  }
}
