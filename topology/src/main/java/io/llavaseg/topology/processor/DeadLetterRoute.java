package io.llavaseg.topology.processor;

import io.llavaseg.topology.StageFailure;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
  /**
   * A dead letter's own key and headers stay within these whatever the failed record had (the
   * record's key bytes are still in the dead letter up to {@link DeadLetters#MAX_ORIGINAL_BYTES}), so
   * a dead letter always fits the producer's {@code max.request.size}.
   */
  static final int MAX_KEY_BYTES = 1024;

  static final int MAX_HEADER_BYTES = 16_384;

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
    forward(raw, context.recordMetadata(), stage, failure, queryId);
  }

  /** As {@link #forward(Record, String, StageFailure, String)}, for a record read earlier at {@code origin}. */
  void forward(Record<byte[], byte[]> raw, java.util.Optional<RecordMetadata> origin, String stage,
      StageFailure failure, String queryId) {
    metrics.deadLetter(failure.code());
    boolean keyFits = raw.key() != null && raw.key().length <= MAX_KEY_BYTES;
    String key = keyFits ? new String(raw.key(), StandardCharsets.UTF_8) : null;
    Headers headers = headerBytes(raw.headers()) <= MAX_HEADER_BYTES ? raw.headers() : new RecordHeaders();
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    context.forward(new Record<String, Object>(key,
        DeadLetters.of(stage, failure, queryId, origin, raw.key(), raw.value(), now),
        raw.timestamp(), headers), child);
  }

  /** Bytes of the headers' keys (UTF-8) and values. */
  static long headerBytes(Headers headers) {
    long n = 0;
    for (Header h : headers) {
      n += h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length);
    }
    return n;
  }

  /**
   * The value of {@code raw} deserialized (see {@link Decoding}); null when it does not
   * deserialize, after its dead letter (stage {@link DeadLetters#DESERIALIZATION}) was forwarded.
   */
  <T> T decodeOrForward(Deserializer<T> deserializer, Record<byte[], byte[]> raw) {
    return decodeOrForward(deserializer, raw, null);
  }

  /** As {@link #decodeOrForward(Deserializer, Record)}, with the registry's breaker (see {@link Decoding}). */
  <T> T decodeOrForward(Deserializer<T> deserializer, Record<byte[], byte[]> raw,
      io.llavaseg.topology.CircuitBreaker registry) {
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
    try {
      return Decoding.value(deserializer, topic, raw.headers(), raw.value(), registry);
    } catch (StageFailure f) {
      forward(raw, DeadLetters.DESERIALIZATION, f, null);
      return null;
    }
  }
}
