package io.llavaseg.topology.processor;

import io.llavaseg.topology.StageFailure;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * A processor's way to its dead-letter sink: writes the {@code DeadLetter} of a failed input record
 * (its raw key and value, timestamp and headers, where it was read) to the dead-letter child and
 * counts it in the processor's {@link StageMetrics}; also the first step of a processor that reads
 * raw bytes ({@link #decodeOrForward}).
 */
final class DeadLetterRoute {
  private final ProcessorContext<String, Object> context;
  private final StageMetrics metrics;
  private final String child;

  DeadLetterRoute(ProcessorContext<String, Object> context, StageMetrics metrics, String child) {
    this.context = context;
    this.metrics = metrics;
    this.child = child;
  }

  /**
   * Forwards the dead letter of {@code raw} (the record as read: key and value bytes).
   *
   * @param stage the {@code DeadLetter.stage} value (a stage's config name, or {@link
   *     DeadLetters#DESERIALIZATION} / {@link DeadLetters#VALIDATION})
   * @param queryId the query's id, null when unknown (not deserialized)
   */
  void forward(Record<byte[], byte[]> raw, String stage, StageFailure failure, String queryId) {
    metrics.deadLetter(failure.code());
    String key = raw.key() == null ? null : new String(raw.key(), StandardCharsets.UTF_8);
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    context.forward(new Record<String, Object>(key,
        DeadLetters.of(stage, failure, queryId, context.recordMetadata(), raw.key(), raw.value(), now),
        raw.timestamp(), raw.headers()), child);
  }

  /**
   * The value of {@code raw} deserialized (see {@link Decoding}); null when it does not
   * deserialize, after its dead letter (stage {@link DeadLetters#DESERIALIZATION}) was forwarded.
   */
  <T> T decodeOrForward(Deserializer<T> deserializer, Record<byte[], byte[]> raw) {
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
    try {
      return Decoding.value(deserializer, topic, raw.headers(), raw.value());
    } catch (StageFailure f) {
      forward(raw, DeadLetters.DESERIALIZATION, f, null);
      return null;
    }
  }
}
