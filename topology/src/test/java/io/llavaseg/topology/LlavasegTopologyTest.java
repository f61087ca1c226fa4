package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.schemas.Attributes;
import io.llavaseg.schemas.CocoRle;
import io.llavaseg.schemas.DeadLetter;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.ReasonedQuery;
import io.llavaseg.topology.processor.DeadLetters;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing, dead letters of the model stages, dedup, stage selection and per-key order. */
class LlavasegTopologyTest {
  @TempDir Path stateDir;
  private TopologyFixture fx;

  private TopologyFixture fixture(Map<String, String> overrides) {
    fx = new TopologyFixture(stateDir, overrides);
    return fx;
  }

  @AfterEach
  void close() {
    if (fx != null) {
      fx.close();
    }
  }

  /** The stages as two sub-topologies meeting through image-queries-reasoned, as when instances run one each. */
  private static final Map<String, String> SPLIT = Map.of(ServiceConfig.STAGES_FUSED, "false");

  private static ByteBuffer bytes(byte[] b) {
    return ByteBuffer.wrap(b);
  }

  @Test
  void shouldRouteAValidQueryToAnswerReasonedAndMask() {
    TopologyFixture f = fixture(SPLIT);
    ImageQuery q = TestData.query("q1", "cam-1", "Please segment the red square");
    f.queries.pipeInput("cam-1", q, Instant.parse("2026-11-27T12:00:01Z"));

    TestRecord<String, ImageAnswer> answer = f.answers.readRecord();
    assertEquals("cam-1", answer.key());
    ImageAnswer a = answer.value();
    assertEquals("q1", a.getQueryId());
    assertEquals("answer to: Please segment the red square", a.getAnswer());
    assertEquals("the square", a.getTarget());
    assertEquals(new Attributes("red", "square", "small", "top left", null), a.getAttributes());
    assertNull(a.getNoTargetReason());
    assertEquals("fake-reasoner", a.getReasoningModel().getName());
    assertEquals(Instant.parse("2026-11-27T12:00:01Z"), answer.getRecordTime());

    ReasonedQuery r = f.reasoned.readValue();
    assertEquals(q, r.getQuery());
    assertEquals("the square", r.getTarget());

    ImageMask m = f.masks.readValue();
    assertEquals("q1", m.getQueryId());
    assertEquals("Please segment the red square", m.getQuestion(), "a mask consumer needs no join");
    assertEquals("answer to: Please segment the red square", m.getAnswer());
    assertEquals("djl", m.getReasoningModel().getBackend());
    assertEquals(128, m.getWidth());
    assertEquals(96, m.getHeight());
    long[] counts = m.getRleCounts().stream().mapToLong(Long::longValue).toArray();
    assertArrayEquals(FakeSegmenter.quarter(128, 96).pixels(), CocoRle.decode(counts, 128, 96));
    assertEquals(List.of(0, 0, 64, 48), m.getBbox());
    assertEquals(64 * 48, m.getArea());
    assertEquals(0.9f, m.getScore());
    assertNull(m.getEmptyReason());
    assertEquals("fake-segmenter", m.getSegmentationModel().getName());
    assertEquals("fake-reasoner", m.getReasoningModel().getName());
    assertEquals(1.0 + 2.0 + 2.0 + 2.0, m.getReasoningMs(), 1e-9);

    assertTrue(f.answers.isEmpty() && f.reasoned.isEmpty() && f.masks.isEmpty());
    assertTrue(f.deadLetters.isEmpty());
  }

  @Test
  void shouldEmitAnEmptyMaskWithoutCallingTheSegmenterWhenThereIsNoTarget() {
    TopologyFixture f = fixture(Map.of());
    int before = FakeSegmenter.CALLS.get();
    f.queries.pipeInput("cam-1", TestData.query("q1", "cam-1", "How many red shapes are there"));
    f.queries.pipeInput("cam-1", TestData.query("q2", "cam-1", "gibberish please"));

    ImageAnswer none = f.answers.readValue();
    assertNull(none.getTarget());
    assertEquals("NO_TARGET", none.getNoTargetReason());
    ImageAnswer unparseable = f.answers.readValue();
    assertTrue(unparseable.getNoTargetReason().startsWith("UNPARSEABLE_TARGET"), unparseable.getNoTargetReason());

    ImageMask m1 = f.masks.readValue();
    assertEquals("NO_TARGET", m1.getEmptyReason());
    assertEquals(List.of(128L * 96), m1.getRleCounts());
    assertEquals(List.of(0, 0, 0, 0), m1.getBbox());
    assertEquals(0, m1.getArea());
    assertNull(m1.getSegmentationModel());
    ImageMask m2 = f.masks.readValue();
    assertTrue(m2.getEmptyReason().startsWith("UNPARSEABLE_TARGET"));
    assertEquals(before, FakeSegmenter.CALLS.get());
    assertTrue(f.deadLetters.isEmpty());
  }

  @Test
  void shouldAnswerWithoutMaskingWhenTheQueryAsksForNoMask() {
    TopologyFixture f = fixture(Map.of());
    ImageQuery q = TestData.query("q1", "cam-1", "segment the star");
    q.setOptions(Map.of("mask", "false"));
    f.queries.pipeInput("cam-1", q);
    assertEquals("q1", f.answers.readValue().getQueryId());
    assertTrue(f.reasoned.isEmpty());
    assertTrue(f.masks.isEmpty());
  }

  @Test
  void shouldDeadLetterAReasonerFailureWithTheOriginalRecord() {
    TopologyFixture f = fixture(Map.of());
    ImageQuery q = TestData.query("q-boom", "cam-1", "explode now");
    byte[] value = f.serialize(q);
    f.rawQueries.pipeInput("cam-1".getBytes(StandardCharsets.UTF_8), value);

    DeadLetter d = f.deadLetters.readValue();
    assertEquals(Stage.REASONING.configName(), d.getStage());
    assertEquals(ErrorCode.REASONING_FAILED.name(), d.getErrorCode());
    assertEquals("q-boom", d.getQueryId());
    assertEquals(Topics.IMAGE_QUERIES, d.getOriginalTopic());
    assertEquals(0, d.getOriginalPartition());
    assertEquals(0L, d.getOriginalOffset());
    assertEquals(bytes("cam-1".getBytes(StandardCharsets.UTF_8)), d.getOriginalKey());
    assertEquals(bytes(value), d.getOriginalValue());
    assertEquals(IllegalStateException.class.getName(), d.getExceptionClass());
    assertTrue(f.answers.isEmpty() && f.reasoned.isEmpty() && f.masks.isEmpty());
  }

  @Test
  void shouldDeadLetterASegmenterFailureAndAWrongSizeMask() {
    TopologyFixture f = fixture(SPLIT);
    f.queries.pipeInput("cam-1", TestData.query("q1", "cam-1", "segment the glitch"));
    f.queries.pipeInput("cam-1", TestData.query("q2", "cam-1", "segment the wrongsize"));
    f.queries.pipeInput("cam-1", TestData.query("q3", "cam-1", "segment the circle"));

    List<DeadLetter> dl = f.deadLetters.readValuesToList();
    assertEquals(2, dl.size());
    assertEquals(Stage.SEGMENTATION.configName(), dl.get(0).getStage());
    assertEquals(ErrorCode.SEGMENTATION_FAILED.name(), dl.get(0).getErrorCode());
    assertEquals("q1", dl.get(0).getQueryId());
    assertEquals(Topics.IMAGE_QUERIES_REASONED, dl.get(0).getOriginalTopic());
    assertEquals(ErrorCode.MASK_SIZE_MISMATCH.name(), dl.get(1).getErrorCode());
    assertEquals(1L, dl.get(1).getOriginalOffset());
    // The dead letter carries the reasoned record's bytes, which decode back to the query.
    ReasonedQuery original = f.topics.reasoned().valueSerde().deserializer()
        .deserialize(Topics.IMAGE_QUERIES_REASONED, toArray(dl.get(1).getOriginalValue()));
    assertEquals("q2", original.getQuery().getQueryId());
    assertEquals(3, f.answers.readValuesToList().size());
    assertEquals(List.of("q3"), f.masks.readValuesToList().stream().map(ImageMask::getQueryId).toList());
  }

  @Test
  void shouldDeadLetterOutputsOverTheSizeLimitInsteadOfSendingThem() {
    TopologyFixture f = fixture(Map.of(ServiceConfig.OUTPUT_MAX_BYTES, "6000", ServiceConfig.STAGES_FUSED, "false"));
    // A checkerboard mask of a 128 x 96 image has 12288 RLE runs: about 12 KB.
    f.queries.pipeInput("cam-1", TestData.query("q-noise", "cam-1", "segment the noise"));
    DeadLetter mask = f.deadLetters.readValue();
    assertEquals(Stage.SEGMENTATION.configName(), mask.getStage());
    assertEquals(ErrorCode.OUTPUT_TOO_LARGE.name(), mask.getErrorCode());
    assertEquals("q-noise", mask.getQueryId());
    assertEquals("q-noise", f.answers.readValue().getQueryId());
    assertEquals("q-noise", f.reasoned.readValue().getQuery().getQueryId());
    assertTrue(f.masks.isEmpty());

    // A reasoned record repeats the query, image included: a 7 KB image makes it too large.
    byte[] noisy = new byte[7000];
    new java.util.Random(3).nextBytes(noisy);
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < 64 * 64; i++) {
      img.setRGB(i % 64, i / 64, (noisy[i] << 16) ^ (noisy[i + 1] << 8) ^ noisy[i + 2]);
    }
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    try {
      javax.imageio.ImageIO.write(img, "png", png);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertTrue(png.size() > 6000, "png of " + png.size() + " bytes");
    f.queries.pipeInput("cam-1", TestData.query("q-big", "cam-1", "segment the star",
        TestData.inline("image/png", png.toByteArray())));
    DeadLetter reasoned = f.deadLetters.readValue();
    assertEquals(Stage.REASONING.configName(), reasoned.getStage());
    assertEquals(ErrorCode.OUTPUT_TOO_LARGE.name(), reasoned.getErrorCode());
    assertTrue(f.answers.isEmpty(), "neither output is written");
    assertTrue(f.reasoned.isEmpty());
  }

  @Test
  void shouldLeaveHugeOriginalsOutOfADeadLetter() {
    DeadLetter d = DeadLetters.of(DeadLetters.VALIDATION,
        new StageFailure(ErrorCode.RECORD_TOO_LARGE, "big"), "q", Topics.IMAGE_QUERIES, 1, 2,
        "cam-1".getBytes(StandardCharsets.UTF_8), new byte[DeadLetters.MAX_ORIGINAL_BYTES], Instant.EPOCH);
    assertNull(d.getOriginalValue());
    assertEquals(ByteBuffer.wrap("cam-1".getBytes(StandardCharsets.UTF_8)), d.getOriginalKey());
    assertTrue(d.getMessage().contains("left out"), d.getMessage());
    DeadLetter small = DeadLetters.of(DeadLetters.VALIDATION, new StageFailure(ErrorCode.RECORD_TOO_LARGE, "big"),
        "q", Topics.IMAGE_QUERIES, 1, 2, null, new byte[10], Instant.EPOCH);
    assertEquals(ByteBuffer.wrap(new byte[10]), small.getOriginalValue());
  }

  @Test
  void shouldDeadLetterUndeserializableReasonedRecordsInTheSegmentationStage() {
    TopologyFixture f = fixture(Map.of());
    f.rawReasoned.pipeInput("cam-9".getBytes(StandardCharsets.UTF_8), "{\"json\":1}".getBytes(StandardCharsets.UTF_8));
    DeadLetter d = f.deadLetters.readValue();
    assertEquals(DeadLetters.DESERIALIZATION, d.getStage());
    assertEquals("WRONG_MAGIC_BYTE", d.getErrorCode());
    assertEquals(Topics.IMAGE_QUERIES_REASONED, d.getOriginalTopic());
    assertNull(d.getQueryId());
    assertTrue(f.masks.isEmpty());
  }

  @Test
  void shouldProcessARedeliveredQueryIdOnlyOnceWithinTheWindow() {
    TopologyFixture f = fixture(Map.of(ServiceConfig.DEDUP_WINDOW, "1h"));
    Instant t0 = Instant.parse("2026-11-27T12:00:00Z");
    ImageQuery q = TestData.query("q1", "cam-1", "segment the star");
    f.queries.pipeInput("cam-1", q, t0);
    f.driver.advanceWallClockTime(Duration.ofMinutes(59)); // the fixture's wall clock starts at t0
    f.queries.pipeInput("cam-1", q, t0.plus(Duration.ofMinutes(59)));
    f.queries.pipeInput("cam-1", TestData.query("q2", "cam-1", "segment the star"), t0.plus(Duration.ofMinutes(59)));
    // An out-of-order redelivery, earlier than the first, within the window: still a duplicate.
    f.queries.pipeInput("cam-1", q, t0.minus(Duration.ofMinutes(30)));
    assertEquals(List.of("q1", "q2"), f.answers.readValuesToList().stream().map(ImageAnswer::getQueryId).toList());
    assertEquals(2, f.masks.readValuesToList().size());

    // After the window the id is processed again.
    f.driver.advanceWallClockTime(Duration.ofMinutes(2));
    f.queries.pipeInput("cam-1", q, t0.plus(Duration.ofMinutes(61)));
    assertEquals(List.of("q1"), f.answers.readValuesToList().stream().map(ImageAnswer::getQueryId).toList());
    assertTrue(f.deadLetters.isEmpty());
  }

  @Test
  void shouldKeepTheQueriesOfTwoSourcesThatReuseAQueryId() {
    TopologyFixture f = fixture(Map.of());
    f.queries.pipeInput("cam-1", TestData.query("q1", "cam-1", "segment the star"));
    f.queries.pipeInput("cam-2", TestData.query("q1", "cam-2", "segment the heart"));
    assertEquals(List.of("cam-1", "cam-2"), f.answers.readValuesToList().stream().map(ImageAnswer::getSourceId).toList());
  }

  @Test
  void shouldNotLetAFutureDatedRecordExpireTheIdsOfTheLastWindow() {
    TopologyFixture f = fixture(Map.of(ServiceConfig.DEDUP_WINDOW, "1h"));
    Instant now = Instant.parse("2026-11-27T12:00:00Z"); // the fixture's wall clock
    ImageQuery q = TestData.query("q1", "cam-1", "segment the star");
    f.queries.pipeInput("cam-1", q, now);
    f.queries.pipeInput("cam-1", TestData.query("q-future", "cam-1", "segment the heart"), now.plus(Duration.ofHours(3)));
    f.queries.pipeInput("cam-1", q, now.plusSeconds(1));
    assertEquals(List.of("q1", "q-future"), f.answers.readValuesToList().stream().map(ImageAnswer::getQueryId).toList());
  }

  @Test
  void shouldNotMarkAnInvalidQueryAsSeen() {
    TopologyFixture f = fixture(Map.of());
    f.queries.pipeInput("cam-1", TestData.query("q1", "cam-1", "   "));
    f.queries.pipeInput("cam-1", TestData.query("q1", "cam-1", "segment the star"));
    assertEquals(ErrorCode.QUESTION_EMPTY.name(), f.deadLetters.readValue().getErrorCode());
    assertEquals("q1", f.answers.readValue().getQueryId());
  }

  @Test
  void shouldKeepThePerKeyOrderOfAnswersAndMasks() {
    TopologyFixture f = fixture(Map.of());
    for (int i = 0; i < 6; i++) {
      String key = i % 2 == 0 ? "cam-a" : "cam-b";
      String question = i == 2 ? "how many shapes" : "segment the shape";
      f.queries.pipeInput(key, TestData.query("q" + i, key, question));
    }
    List<KeyValue<String, ImageAnswer>> answers = f.answers.readKeyValuesToList();
    List<KeyValue<String, ImageMask>> masks = f.masks.readKeyValuesToList();
    assertEquals(List.of("q0", "q2", "q4"), idsOf(answers, "cam-a", ImageAnswer::getQueryId));
    assertEquals(List.of("q1", "q3", "q5"), idsOf(answers, "cam-b", ImageAnswer::getQueryId));
    assertEquals(List.of("q0", "q2", "q4"), idsOf(masks, "cam-a", ImageMask::getQueryId));
    assertEquals(List.of("q1", "q3", "q5"), idsOf(masks, "cam-b", ImageMask::getQueryId));
  }

  private static <V> List<String> idsOf(List<KeyValue<String, V>> records, String key,
      java.util.function.Function<V, String> id) {
    return records.stream().filter(kv -> kv.key.equals(key)).map(kv -> id.apply(kv.value)).toList();
  }

  @Test
  void shouldRunOnlyTheReasoningStageWhenConfiguredSo() {
    TopologyFixture f = fixture(Map.of(ServiceConfig.STAGES, "reasoning"));
    assertEquals(List.of(Topics.IMAGE_QUERIES), sourceTopics(f.topology.describe()));
    f.queries.pipeInput("cam-1", TestData.query("q1", "cam-1", "segment the star"));
    assertEquals("q1", f.answers.readValue().getQueryId());
    assertEquals("q1", f.reasoned.readValue().getQuery().getQueryId());
    assertTrue(f.masks.isEmpty());
    assertTrue(f.segmenters.isEmpty(), "no segmenter is created by a reasoning-only instance");
  }

  @Test
  void shouldRunOnlyTheSegmentationStageWhenConfiguredSo() {
    TopologyFixture f = fixture(Map.of(ServiceConfig.STAGES, "segmentation"));
    assertEquals(List.of(Topics.IMAGE_QUERIES_REASONED), sourceTopics(f.topology.describe()));
    assertTrue(f.reasoners.isEmpty(), "no reasoner is created by a segmentation-only instance");
    pipeReasoned(f, "q7", "cam-3");
    TestRecord<String, ImageMask> mask = f.masks.readRecord();
    assertEquals("cam-3", mask.key());
    assertEquals("q7", mask.value().getQueryId());
    assertEquals(64 * 48, mask.value().getArea());
    assertTrue(f.answers.isEmpty() && f.deadLetters.isEmpty());
  }

  @Test
  void shouldCountDeadLettersDuplicatesAndInferenceInStreamsMetrics() {
    TopologyFixture f = fixture(Map.of());
    f.queries.pipeInput("cam-1", TestData.query("q1", "cam-1", "   "));
    f.queries.pipeInput("cam-1", TestData.query("q2", "cam-1", "segment the star"));
    f.queries.pipeInput("cam-1", TestData.query("q2", "cam-1", "segment the star"));
    assertEquals(1.0, metric(f, "dead-letter-QUESTION_EMPTY-total"));
    assertEquals(1.0, metric(f, "duplicate-dropped-total"));
    assertEquals(1.0, metric(f, "inference-total", "reasoning"));
    assertEquals(1.0, metric(f, "inference-total", "segmentation"));
    assertTrue(metric(f, "inference-latency-max", "reasoning") >= 0);
  }

  private static double metric(TopologyFixture f, String name, String... entityPrefix) {
    return f.driver.metrics().entrySet().stream()
        .filter(e -> e.getKey().group().equals("stream-llavaseg-metrics") && e.getKey().name().equals(name))
        .filter(e -> entityPrefix.length == 0 || e.getKey().tags().values().stream()
            .anyMatch(v -> v.startsWith(entityPrefix[0] + "-")))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
        .sum();
  }

  @Test
  void shouldNameEveryNodeAndTheDedupStore() {
    TopologyFixture f = fixture(SPLIT);
    TopologyDescription d = f.topology.describe();
    List<String> names = d.subtopologies().stream()
        .flatMap(s -> s.nodes().stream()).map(TopologyDescription.Node::name).sorted().toList();
    assertEquals(List.of(LlavasegTopology.DEDUP, LlavasegTopology.MASKS_SINK, LlavasegTopology.ANSWERS_SINK,
            LlavasegTopology.QUERIES_SOURCE, LlavasegTopology.REASONED_SOURCE, LlavasegTopology.REASONED_SINK,
            LlavasegTopology.REASON, LlavasegTopology.REASONING_DLQ_SINK, LlavasegTopology.SEGMENT,
            LlavasegTopology.SEGMENTATION_DLQ_SINK, LlavasegTopology.VALIDATE, LlavasegTopology.STALE_FILTER,
            LlavasegTopology.STALE_SKIPS_SINK).stream().sorted().toList(),
        names);
    assertEquals(2, d.subtopologies().size(), "the stages are separate sub-topologies");
    assertTrue(d.toString().contains("stores: [" + LlavasegTopology.DEDUP_STORE + "]"), d.toString());
    assertFalse(d.toString().contains("KSTREAM-"), "no generated names");
  }

  @Test
  void shouldHandReasonedQueriesToSegmentationInsideTheTaskWhenFused() {
    TopologyFixture f = fixture(Map.of());
    TopologyDescription d = f.topology.describe();
    assertEquals(1, d.subtopologies().size(), "reasoning and segmentation in one sub-topology: " + d);
    assertFalse(d.toString().contains(LlavasegTopology.REASONED_SINK), "nothing written to image-queries-reasoned");
    assertEquals(List.of(Topics.IMAGE_QUERIES, Topics.IMAGE_QUERIES_REASONED), sourceTopics(d),
        "what an earlier split deployment left in image-queries-reasoned is still read");

    f.queries.pipeInput("cam-1", TestData.query("q1", "cam-1", "Please segment the red square"));
    f.queries.pipeInput("cam-1", TestData.query("q2", "cam-1", "How many red shapes are there"));
    ImageQuery answerOnly = TestData.query("q3", "cam-1", "segment the star");
    answerOnly.setOptions(Map.of("mask", "false"));
    f.queries.pipeInput("cam-1", answerOnly);
    assertEquals(List.of("q1", "q2", "q3"), f.answers.readValuesToList().stream().map(ImageAnswer::getQueryId).toList());
    List<ImageMask> masks = f.masks.readValuesToList();
    assertEquals(List.of("q1", "q2"), masks.stream().map(ImageMask::getQueryId).toList());
    assertEquals(64 * 48, masks.get(0).getArea());
    assertEquals("answer to: Please segment the red square", masks.get(0).getAnswer());
    assertEquals(io.llavaseg.topology.processor.OutputRecords.NO_TARGET, masks.get(1).getEmptyReason());
    assertTrue(f.reasoned.isEmpty(), "handed on inside the task, not through the topic");

    // a record of image-queries-reasoned (written by reasoning-only instances, or before) is segmented too
    pipeReasoned(f, "q4", "cam-2");
    assertEquals("q4", f.masks.readValue().getQueryId());
    assertTrue(f.deadLetters.isEmpty());
  }

  @Test
  void shouldDeadLetterAFusedSegmenterFailureWithTheReasonedRecordItWouldHaveRead() {
    TopologyFixture f = fixture(Map.of());
    f.queries.pipeInput("cam-1", TestData.query("q1", "cam-1", "segment the glitch"));
    f.queries.pipeInput("cam-1", TestData.query("q2", "cam-1", "segment the circle"));
    DeadLetter dl = f.deadLetters.readValue();
    assertEquals(Stage.SEGMENTATION.configName(), dl.getStage());
    assertEquals(ErrorCode.SEGMENTATION_FAILED.name(), dl.getErrorCode());
    assertEquals(Topics.IMAGE_QUERIES_REASONED, dl.getOriginalTopic());
    assertEquals(-1L, dl.getOriginalOffset(), "never written to the topic");
    assertEquals(ByteBuffer.wrap("cam-1".getBytes(StandardCharsets.UTF_8)), dl.getOriginalKey());
    ReasonedQuery original = f.topics.reasoned().valueSerde().deserializer()
        .deserialize(Topics.IMAGE_QUERIES_REASONED, toArray(dl.getOriginalValue()));
    assertEquals("q1", original.getQuery().getQueryId(), "the bytes to send to image-queries-reasoned again");
    assertEquals(List.of("q2"), f.masks.readValuesToList().stream().map(ImageMask::getQueryId).toList());
  }

  /** Writes to image-queries-reasoned, as a reasoning-only instance would, query {@code id} of {@code source} targeting "the heart". */
  private static void pipeReasoned(TopologyFixture f, String id, String source) {
    ReasonedQuery r = ReasonedQuery.newBuilder()
        .setQuery(TestData.query(id, source, "segment the heart"))
        .setAnswer("a heart")
        .setTarget("the heart")
        .setAttributes(new Attributes("red", "heart", "small", "top left", null))
        .setNoTargetReason(null)
        .setReasoningModel(io.llavaseg.topology.processor.OutputRecords.modelRef(FakeReasoner.ID))
        .setReasonedAt(Instant.parse("2026-11-27T12:00:02Z"))
        .build();
    byte[] value = f.topics.reasoned().valueSerde().serializer().serialize(Topics.IMAGE_QUERIES_REASONED, r);
    f.rawReasoned.pipeInput(source.getBytes(StandardCharsets.UTF_8), value);
  }

  private static List<String> sourceTopics(TopologyDescription d) {
    return d.subtopologies().stream().flatMap(s -> s.nodes().stream())
        .filter(n -> n instanceof TopologyDescription.Source)
        .flatMap(n -> ((TopologyDescription.Source) n).topicSet().stream()).sorted().toList();
  }

  static byte[] toArray(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }
}
