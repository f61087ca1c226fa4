package io.llavaseg.topology.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llavaseg.schemas.DeadLetter;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.ServiceConfig;
import java.util.Properties;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** Processor unit tests for the two codes a registry serde never produces. */
class ValidationProcessorTest {

  private static DeadLetter deadLetterFrom(Deserializer<ImageQuery> deserializer) {
    ValidationProcessor p = new ValidationProcessor(deserializer, ServiceConfig.from(new Properties()).limits(), null,
        "dedup", "dlq");
    MockProcessorContext<String, Object> ctx = new MockProcessorContext<>();
    ctx.setCurrentSystemTimeMs(1_800_000_000_000L);
    ctx.setRecordMetadata("image-queries", 1, 3L);
    p.init(ctx);
    p.process(new Record<>("cam-1".getBytes(), new byte[] {0, 0, 0, 0, 1, 2}, 9L));
    assertEquals(1, ctx.forwarded().size());
    assertEquals("dlq", ctx.forwarded().get(0).childName().orElseThrow());
    return (DeadLetter) ctx.forwarded().get(0).record().value();
  }

  @Test
  void shouldDeadLetterAPlainSerializationExceptionAsDeserializationFailed() {
    DeadLetter d = deadLetterFrom((topic, bytes) -> {
      throw new SerializationException("some other serde");
    });
    assertEquals(DeadLetters.DESERIALIZATION, d.getStage());
    assertEquals(ErrorCode.DESERIALIZATION_FAILED.name(), d.getErrorCode());
    assertEquals(3L, d.getOriginalOffset());
  }

  @Test
  void shouldDeadLetterAnUnforeseenFailureAsUnexpectedError() {
    // A record the checks do not foresee: every field null (a serde would never produce it).
    DeadLetter d = deadLetterFrom((topic, bytes) -> new ImageQuery());
    assertEquals(DeadLetters.VALIDATION, d.getStage());
    assertEquals(ErrorCode.UNEXPECTED_ERROR.name(), d.getErrorCode());
    assertEquals(NullPointerException.class.getName(), d.getExceptionClass());
  }

  @Test
  void shouldLeaveARecordUncommittedAndWriteNoDeadLetterWhileTheImageStoreIsDown() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Properties props = new Properties();
    props.setProperty(ServiceConfig.REFERENCE_HOSTS, "127.0.0.1:" + closed);
    props.setProperty(ServiceConfig.REFERENCE_ALLOW_PRIVATE, "true");
    io.llavaseg.topology.inference.InferenceMetrics metrics = io.llavaseg.topology.inference.InferenceMetrics.standalone();
    ImageQuery query = io.llavaseg.topology.TestData.query("q1", "cam-1", "segment the star",
        io.llavaseg.topology.TestData.reference("http://127.0.0.1:" + closed + "/a.png", "ab".repeat(32)));
    ValidationProcessor p = new ValidationProcessor((topic, bytes) -> query, ServiceConfig.from(props).limits(), metrics,
        "dedup", "dlq");
    MockProcessorContext<String, Object> ctx = new MockProcessorContext<>();
    ctx.setRecordMetadata("image-queries", 0, 7L);
    p.init(ctx);
    io.llavaseg.topology.DependencyUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.llavaseg.topology.DependencyUnavailableException.class,
        () -> p.process(new Record<>("cam-1".getBytes(), new byte[] {1}, 9L)));
    assertEquals(ValidationProcessor.IMAGE_STORE, e.dependency());
    assertEquals(0, ctx.forwarded().size(), "no dead letter, nothing forwarded");
    assertEquals(java.util.Set.of(ValidationProcessor.IMAGE_STORE), metrics.unavailable());
  }

  @Test
  void shouldShowTheRegistryAsUnavailableWhileItsBreakerHoldsUnknownSchemaIdsBackAndAvailableOnceARecordDecodes() {
    Properties props = new Properties();
    props.setProperty(ServiceConfig.REGISTRY_BREAKER_THRESHOLD, "2");
    io.llavaseg.topology.inference.InferenceMetrics metrics = io.llavaseg.topology.inference.InferenceMetrics.standalone();
    ImageQuery good = io.llavaseg.topology.TestData.query("q1", "cam-1", "segment the star");
    ValidationProcessor p = new ValidationProcessor((topic, bytes) -> {
      if (bytes[0] == 9) {
        throw new io.llavaseg.schemas.registry.WireFormatException(
            io.llavaseg.schemas.registry.WireFormatError.UNKNOWN_SCHEMA_ID, 77, "no schema 77", null);
      }
      return good;
    }, ServiceConfig.from(props).limits(), metrics, "dedup", "dlq");
    MockProcessorContext<String, Object> ctx = new MockProcessorContext<>();
    ctx.setCurrentSystemTimeMs(1_800_000_000_000L);
    ctx.setRecordMetadata("image-queries", 0, 7L);
    p.init(ctx);
    p.process(new Record<>("cam-1".getBytes(), new byte[] {9}, 9L));
    assertEquals(1, ctx.forwarded().size(), "the first unknown id is a dead letter");
    io.llavaseg.topology.DependencyUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(
        io.llavaseg.topology.DependencyUnavailableException.class,
        () -> p.process(new Record<>("cam-1".getBytes(), new byte[] {9}, 9L)));
    assertEquals(io.llavaseg.topology.InstanceGuards.REGISTRY, e.dependency());
    assertEquals(1, ctx.forwarded().size(), "the second is not");
    assertEquals(java.util.Set.of(io.llavaseg.topology.InstanceGuards.REGISTRY), metrics.unavailable(),
        "readiness is 503 while the registry looks state-less");
    p.process(new Record<>("cam-1".getBytes(), new byte[] {1}, 9L));
    assertEquals("dedup", ctx.forwarded().get(1).childName().orElseThrow());
    assertEquals(java.util.Set.of(), metrics.unavailable(), "a record that decodes makes it ready again");
  }

  private static MockProcessorContext<String, Object> run(Record<byte[], byte[]> record) {
    ValidationProcessor p = new ValidationProcessor((topic, bytes) -> {
      throw new AssertionError("an oversized record is refused before its value is read");
    }, ServiceConfig.from(new Properties()).limits(), null, "dedup", "dlq");
    MockProcessorContext<String, Object> ctx = new MockProcessorContext<>();
    ctx.setCurrentSystemTimeMs(1_800_000_000_000L);
    ctx.setRecordMetadata("image-queries", 0, 5L);
    p.init(ctx);
    p.process(record);
    return ctx;
  }

  @Test
  void shouldDeadLetterAnOversizedKeyAsOneSmallDeadLetterWithoutItsKey() {
    byte[] key = new byte[40_000];
    java.util.Arrays.fill(key, (byte) 'k');
    MockProcessorContext<String, Object> ctx = run(new Record<>(key, new byte[1_000_000], 9L));
    assertEquals(1, ctx.forwarded().size());
    var f = ctx.forwarded().get(0);
    DeadLetter d = (DeadLetter) f.record().value();
    assertEquals(ErrorCode.KEY_TOO_LARGE.name(), d.getErrorCode());
    assertEquals(null, f.record().key(), "the dead letter's own key stays small");
    assertEquals(null, d.getOriginalValue(), "the 1 MB value is left out");
  }

  @Test
  void shouldDeadLetterOversizedHeadersAndSendTheDeadLetterWithoutThem() {
    org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
    for (int i = 0; i < 9; i++) {
      headers.add("h" + i, new byte[100_000]);
    }
    MockProcessorContext<String, Object> ctx = run(new Record<>("cam-1".getBytes(), new byte[] {1}, 9L, headers));
    assertEquals(1, ctx.forwarded().size());
    var f = ctx.forwarded().get(0);
    assertEquals(ErrorCode.HEADERS_TOO_LARGE.name(), ((DeadLetter) f.record().value()).getErrorCode());
    assertEquals(0, f.record().headers().toArray().length);
    assertEquals("cam-1", f.record().key());
  }
}
