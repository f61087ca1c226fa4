package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.schemas.DeadLetter;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.registry.WireFormatError;
import io.llavaseg.schemas.registry.WireFormatException;
import io.llavaseg.topology.image.ImageLoader;
import io.llavaseg.topology.processor.DeadLetters;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every dead-letter code of the front door (deserialization and validation of image-queries): the
 * record goes to image-queries-dlq with its stage, code, origin and bytes, nothing else is written,
 * and the next valid record is still answered.
 */
class ValidationDeadLetterTest {
  @TempDir Path stateDir;
  @TempDir Path refs;
  private TopologyFixture fx;

  @AfterEach
  void close() {
    if (fx != null) {
      fx.close();
    }
  }

  private TopologyFixture fixture() {
    Map<String, String> o = new HashMap<>();
    o.put(ServiceConfig.REFERENCE_ROOTS, refs.toString());
    o.put(ServiceConfig.IMAGE_MAX_BYTES, "20000");
    o.put(ServiceConfig.RECORD_MAX_BYTES, "30000");
    o.put(ServiceConfig.QUESTION_MAX_CHARS, "50");
    fx = new TopologyFixture(stateDir, o);
    return fx;
  }

  /** Pipes raw bytes, expects exactly one dead letter with this stage and code, then checks recovery. */
  private DeadLetter expectDeadLetter(String key, byte[] value, String stage, String code) {
    byte[] k = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    fx.rawQueries.pipeInput(k, value);
    DeadLetter d = fx.deadLetters.readValue();
    assertEquals(stage, d.getStage(), d.getMessage());
    assertEquals(code, d.getErrorCode(), d.getMessage());
    assertEquals(Topics.IMAGE_QUERIES, d.getOriginalTopic());
    assertEquals(0, d.getOriginalPartition());
    assertEquals(k == null ? null : ByteBuffer.wrap(k), d.getOriginalKey());
    assertEquals(value == null ? null : ByteBuffer.wrap(value), d.getOriginalValue());
    assertTrue(fx.deadLetters.isEmpty());
    assertTrue(fx.answers.isEmpty() && fx.reasoned.isEmpty() && fx.masks.isEmpty());
    fx.queries.pipeInput("cam-ok", TestData.query("ok-" + d.getOriginalOffset(), "cam-ok", "segment the star"));
    ImageAnswer a = fx.answers.readValue();
    assertEquals("ok-" + d.getOriginalOffset(), a.getQueryId());
    fx.reasoned.readValuesToList();
    fx.masks.readValuesToList();
    return d;
  }

  private DeadLetter expectInvalid(ImageQuery q, String code) {
    return expectDeadLetter(q.getSourceId(), fx.serialize(q), DeadLetters.VALIDATION, code);
  }

  private static byte[] withSchemaId(int id, byte[] body) {
    return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body).array();
  }

  @Test
  void shouldDeadLetterValuesThatAreNotInTheWireFormat() {
    fixture();
    DeadLetter d = expectDeadLetter("cam-1", "{\"question\":\"hi\"}".getBytes(StandardCharsets.UTF_8),
        DeadLetters.DESERIALIZATION, "WRONG_MAGIC_BYTE");
    assertNull(d.getQueryId());
    assertEquals(WireFormatException.class.getName(), d.getExceptionClass());
  }

  @Test
  void shouldDeadLetterTruncatedValues() {
    fixture();
    expectDeadLetter("cam-1", new byte[] {0, 0, 0}, DeadLetters.DESERIALIZATION, "TRUNCATED");
    byte[] full = fx.serialize(TestData.query("q1", "cam-1", "segment the star"));
    expectDeadLetter("cam-1", Arrays.copyOf(full, full.length / 2), DeadLetters.DESERIALIZATION, "TRUNCATED");
  }

  @Test
  void shouldDeadLetterMalformedPayloads() {
    fixture();
    byte[] full = fx.serialize(TestData.query("q1", "cam-1", "segment the star"));
    byte[] trailing = Arrays.copyOf(full, full.length + 3);
    expectDeadLetter("cam-1", trailing, DeadLetters.DESERIALIZATION, "MALFORMED_PAYLOAD");
  }

  @Test
  void shouldDeadLetterUnknownSchemaIds() {
    fixture();
    expectDeadLetter("cam-1", withSchemaId(4242, new byte[] {2, 65}), DeadLetters.DESERIALIZATION,
        "UNKNOWN_SCHEMA_ID");
  }

  @Test
  void shouldDeadLetterRecordsOfAnotherSchema() {
    fixture();
    ImageAnswer answer = ImageAnswer.newBuilder()
        .setQueryId("q").setSourceId("cam-1").setCaptureTime(TestData.CAPTURED).setQuestion("?")
        .setAnswer("a").setReasoningModel(io.llavaseg.topology.processor.OutputRecords.modelRef(FakeReasoner.ID))
        .setAnsweredAt(TestData.CAPTURED).build();
    byte[] value = fx.topics.answers().valueSerde().serializer().serialize(Topics.IMAGE_ANSWERS, answer);
    expectDeadLetter("cam-1", value, DeadLetters.DESERIALIZATION, "INCOMPATIBLE_SCHEMA");
  }

  @Test
  void shouldDeadLetterTombstones() {
    fixture();
    expectDeadLetter("cam-1", null, DeadLetters.DESERIALIZATION, ErrorCode.VALUE_MISSING.name());
  }

  @Test
  void shouldRetryInsteadOfDeadLetteringWhenTheRegistryIsDown() {
    fixture();
    byte[] value = fx.serialize(TestData.query("q1", "cam-1", "segment the star"));
    // A fresh deserializer has not cached the schema yet; make the registry unreachable.
    TopologyFixture other = new TopologyFixture(stateDir.resolve("other"), Map.of());
    try {
      other.registry.unavailable = true;
      StreamsException e = assertThrows(StreamsException.class,
          () -> other.rawQueries.pipeInput("cam-1".getBytes(StandardCharsets.UTF_8), value));
      Throwable t = e;
      while (t != null && !(t instanceof WireFormatException)) {
        t = t.getCause();
      }
      assertTrue(t instanceof WireFormatException w && w.code() == WireFormatError.REGISTRY_UNAVAILABLE
          || t == null && hasTransientCause(e), String.valueOf(e));
      assertTrue(other.deadLetters.isEmpty());
      assertTrue(other.answers.isEmpty());
    } finally {
      other.close();
    }
  }

  @Test
  void shouldDeadLetterAnIsolatedUnknownSchemaIdButRetryARunOfThemAsARegistryThatLostItsState() throws Exception {
    Map<String, String> o = new HashMap<>();
    o.put(ServiceConfig.REGISTRY_BREAKER_THRESHOLD, "3");
    o.put(ServiceConfig.BREAKER_OPEN_FOR, "300ms");
    fx = new TopologyFixture(stateDir, o);
    byte[] key = "cam-1".getBytes(StandardCharsets.UTF_8);
    // one bad producer: a dead letter, and the next good record resets the count
    expectDeadLetter("cam-1", withSchemaId(4242, new byte[] {2, 65}), DeadLetters.DESERIALIZATION, "UNKNOWN_SCHEMA_ID");
    expectDeadLetter("cam-1", withSchemaId(4243, new byte[] {2, 65}), DeadLetters.DESERIALIZATION, "UNKNOWN_SCHEMA_ID");
    // the registry lost its state: every record has an id it does not know
    fx.rawQueries.pipeInput(key, withSchemaId(7001, new byte[] {2, 65}));
    fx.rawQueries.pipeInput(key, withSchemaId(7002, new byte[] {2, 65}));
    assertEquals(2, fx.deadLetters.readValuesToList().size(), "below the threshold: dead letters");
    StreamsException third = assertThrows(StreamsException.class,
        () -> fx.rawQueries.pipeInput(key, withSchemaId(7003, new byte[] {2, 65})));
    DependencyUnavailableException cause = dependencyCause(third);
    assertEquals(InstanceGuards.REGISTRY, cause.dependency(), String.valueOf(third));
    assertTrue(cause.getMessage().contains("lost its state"), cause.getMessage());
    StreamsException fourth = assertThrows(StreamsException.class,
        () -> fx.rawQueries.pipeInput(key, withSchemaId(7004, new byte[] {2, 65})));
    assertEquals(InstanceGuards.REGISTRY, dependencyCause(fourth).dependency(), "open: retried, not dead-lettered");
    assertTrue(fx.deadLetters.isEmpty(), "no dead letter once the breaker is open");
    Thread.sleep(350);
    StreamsException probe = assertThrows(StreamsException.class,
        () -> fx.rawQueries.pipeInput(key, withSchemaId(7005, new byte[] {2, 65})));
    assertEquals(InstanceGuards.REGISTRY, dependencyCause(probe).dependency(), "a failed probe opens it again");
    assertTrue(fx.deadLetters.isEmpty());
    // the registry has its schemas again: a record deserializes and closes the breaker
    fx.queries.pipeInput("cam-ok", TestData.query("back", "cam-ok", "segment the star"));
    assertEquals("back", fx.answers.readValue().getQueryId());
    fx.reasoned.readValuesToList();
    fx.masks.readValuesToList();
    expectDeadLetter("cam-1", withSchemaId(4244, new byte[] {2, 65}), DeadLetters.DESERIALIZATION, "UNKNOWN_SCHEMA_ID");
  }

  private static DependencyUnavailableException dependencyCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DependencyUnavailableException d) {
        return d;
      }
    }
    throw new AssertionError("no DependencyUnavailableException in " + e, e);
  }

  private static boolean hasTransientCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.llavaseg.schemas.registry.RegistryException r && r.isTransient()) {
        return true;
      }
    }
    return false;
  }

  @Test
  void shouldDeadLetterOversizedRecords() {
    fixture();
    byte[] noise = new byte[31000];
    new java.util.Random(1).nextBytes(noise);
    expectInvalid(TestData.query("q1", "cam-1", "segment", TestData.inline("image/png", noise)),
        ErrorCode.RECORD_TOO_LARGE.name());
  }

  @Test
  void shouldDeadLetterAKeyThatIsNotTheSourceId() {
    fixture();
    ImageQuery q = TestData.query("q1", "cam-1", "segment the star");
    expectDeadLetter("cam-2", fx.serialize(q), DeadLetters.VALIDATION, ErrorCode.KEY_MISMATCH.name());
    expectDeadLetter(null, fx.serialize(q), DeadLetters.VALIDATION, ErrorCode.KEY_MISMATCH.name());
  }

  @Test
  void shouldDeadLetterInvalidQueryIds() {
    fixture();
    expectInvalid(TestData.query(" ", "cam-1", "segment the star"), ErrorCode.QUERY_ID_INVALID.name());
    expectInvalid(TestData.query("q\u0000", "cam-1", "segment the star"), ErrorCode.QUERY_ID_INVALID.name());
    expectInvalid(TestData.query("q".repeat(129), "cam-1", "segment the star"), ErrorCode.QUERY_ID_INVALID.name());
  }

  @Test
  void shouldDeadLetterBadQuestions() {
    fixture();
    DeadLetter d = expectInvalid(TestData.query("q1", "cam-1", " \n "), ErrorCode.QUESTION_EMPTY.name());
    assertEquals("q1", d.getQueryId());
    expectInvalid(TestData.query("q2", "cam-1", "x".repeat(51)), ErrorCode.QUESTION_TOO_LONG.name());
    expectInvalid(TestData.query("q3", "cam-1", "segment\u001b[2J the star"), ErrorCode.QUESTION_CONTROL_CHARS.name());
  }

  @Test
  void shouldDeadLetterUnsupportedOrUndecodableImages() {
    fixture();
    expectInvalid(TestData.query("q1", "cam-1", "segment", TestData.inline("image/gif", TestData.png(64, 64))),
        ErrorCode.MEDIA_TYPE_UNSUPPORTED.name());
    expectInvalid(TestData.query("q2", "cam-1", "segment", TestData.inline("image/png", new byte[] {1, 2, 3, 4})),
        ErrorCode.IMAGE_UNDECODABLE.name());
    expectInvalid(TestData.query("q3", "cam-1", "segment", TestData.inline("image/png", TestData.image(64, 64, "jpg"))),
        ErrorCode.IMAGE_UNDECODABLE.name());
    expectInvalid(TestData.query("q4", "cam-1", "segment", TestData.inline("image/png", new byte[0])),
        ErrorCode.IMAGE_TOO_LARGE.name());
  }

  @Test
  void shouldDeadLetterImagesOutsideTheSizeLimits() {
    fixture();
    expectInvalid(TestData.query("q1", "cam-1", "segment", TestData.inline("image/png", TestData.png(32, 128))),
        ErrorCode.IMAGE_SIZE_OUT_OF_RANGE.name());
    // 5000 x 64 px of white compresses to a few KB: the header is refused before decoding.
    expectInvalid(TestData.query("q2", "cam-1", "segment", TestData.inline("image/png", TestData.png(5000, 64))),
        ErrorCode.IMAGE_SIZE_OUT_OF_RANGE.name());
  }

  @Test
  void shouldResolveAReferenceUnderTheRootsWithTheRightHash() throws Exception {
    fixture();
    byte[] png = TestData.png(100, 80);
    Path file = Files.write(refs.resolve("frame.png"), png);
    fx.queries.pipeInput("cam-1", TestData.query("q1", "cam-1", "segment the star",
        TestData.reference(file.toUri().toString(), ImageLoader.sha256(png))));
    assertEquals("q1", fx.answers.readValue().getQueryId());
    assertEquals(100, fx.masks.readValue().getWidth());
    assertTrue(fx.deadLetters.isEmpty());
  }

  @Test
  void shouldDeadLetterReferencesThatAreNotAllowedUnreadableOrTampered(@TempDir Path outside) throws Exception {
    fixture();
    byte[] png = TestData.png(100, 80);
    String hash = ImageLoader.sha256(png);
    Path good = Files.write(refs.resolve("frame.png"), png);
    Path elsewhere = Files.write(outside.resolve("secret.png"), png);
    Path link = Files.createSymbolicLink(refs.resolve("link.png"), elsewhere);

    expectInvalid(TestData.query("q1", "cam-1", "segment", TestData.reference("http://example.com/a.png", hash)),
        ErrorCode.REFERENCE_NOT_ALLOWED.name());
    expectInvalid(TestData.query("q2", "cam-1", "segment", TestData.reference(elsewhere.toUri().toString(), hash)),
        ErrorCode.REFERENCE_NOT_ALLOWED.name());
    expectInvalid(TestData.query("q3", "cam-1", "segment", TestData.reference(link.toUri().toString(), hash)),
        ErrorCode.REFERENCE_NOT_ALLOWED.name());
    expectInvalid(TestData.query("q4", "cam-1", "segment",
        TestData.reference(refs.resolve("missing.png").toUri().toString(), hash)), ErrorCode.REFERENCE_UNREADABLE.name());
    expectInvalid(TestData.query("q5", "cam-1", "segment", TestData.reference(good.toUri().toString(), "00" + hash.substring(2))),
        ErrorCode.REFERENCE_HASH_MISMATCH.name());
    Path big = Files.write(refs.resolve("big.png"), new byte[20001]);
    expectInvalid(TestData.query("q6", "cam-1", "segment", TestData.reference(big.toUri().toString(), hash)),
        ErrorCode.IMAGE_TOO_LARGE.name());
    Path txt = Files.write(refs.resolve("frame.txt"), png);
    expectInvalid(TestData.query("q7", "cam-1", "segment", TestData.reference(txt.toUri().toString(), hash)),
        ErrorCode.MEDIA_TYPE_UNSUPPORTED.name());
  }
}
