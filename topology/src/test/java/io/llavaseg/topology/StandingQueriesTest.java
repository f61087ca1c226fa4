package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.schemas.CameraFrame;
import io.llavaseg.schemas.CameraQueries;
import io.llavaseg.schemas.FrameSkip;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.StandingQuestion;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standing-query stage end to end in the test driver, with the other two stages behind it. */
class StandingQueriesTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  @TempDir Path stateDir;
  private TopologyFixture fx;
  private TestInputTopic<String, CameraQueries> cameraQueries;
  private TestInputTopic<String, CameraFrame> frames;
  private TestOutputTopic<String, FrameSkip> skips;

  @BeforeEach
  void start() {
    fx = new TopologyFixture(stateDir, Map.of(ServiceConfig.STAGES, "reasoning,segmentation,standing",
        ServiceConfig.STANDING_MAX_FPS, "5", ServiceConfig.STANDING_MAX_AGE, "10s"));
    cameraQueries = fx.driver.createInputTopic(Topics.CAMERA_QUERIES, Serdes.String().serializer(),
        fx.topics.cameraQueries().valueSerde().serializer());
    frames = fx.driver.createInputTopic(Topics.CAMERA_FRAMES, Serdes.String().serializer(),
        fx.topics.cameraFrames().valueSerde().serializer());
    skips = fx.driver.createOutputTopic(Topics.CAMERA_FRAMES_SKIPPED, Serdes.String().deserializer(),
        fx.topics.frameSkips().valueSerde().deserializer());
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private void ask(String camera, String... questions) {
    List<StandingQuestion> qs = new java.util.ArrayList<>();
    for (int i = 0; i < questions.length; i++) {
      qs.add(new StandingQuestion("q" + (i + 1), questions[i], Map.of()));
    }
    cameraQueries.pipeInput(camera, new CameraQueries(camera, qs, NOW));
  }

  private void frame(String camera, String id, long msBeforeNow) {
    frames.pipeInput(camera, new CameraFrame(id, camera, NOW.minusMillis(msBeforeNow),
        TestData.inline("image/png", TestData.png(96, 96))));
  }

  @Test
  void everyAcceptedFrameIsAskedEachActiveQuestionAndEverySkipIsReported() {
    ask("cam-1", "segment the star", "how many shapes are there");
    ask("cam-2", "segment the heart");
    frame("cam-1", "f1", 900);   // accepted: 2 queries
    frame("cam-1", "f2", 800);   // 100 ms after f1: over 5 fps -> RATE_LIMITED
    frame("cam-1", "f3", 600);   // 300 ms after f1: accepted
    frame("cam-2", "g1", 500);   // accepted: 1 query
    frame("cam-3", "h1", 400);   // no questions -> NO_QUESTIONS
    frame("cam-2", "g0", 60_000); // a minute old -> STALE
    cameraQueries.pipeInput("cam-2", (CameraQueries) null); // cam-2's questions removed
    frame("cam-2", "g2", 100);   // -> NO_QUESTIONS

    List<ImageAnswer> answers = fx.answers.readValuesToList();
    List<ImageMask> masks = fx.masks.readValuesToList();
    List<String> ids = answers.stream().map(ImageAnswer::getQueryId).sorted().toList();
    assertEquals(List.of("f1/q1", "f1/q2", "f3/q1", "f3/q2", "g1/q1"), ids);
    assertEquals(ids, masks.stream().map(ImageMask::getQueryId).sorted().toList());
    assertEquals("segment the star", answers.stream().filter(a -> a.getQueryId().equals("f1/q1")).findFirst()
        .orElseThrow().getQuestion());
    Map<String, List<String>> skipped = skips.readValuesToList().stream().collect(Collectors.groupingBy(
        FrameSkip::getReason, TreeMap::new, Collectors.mapping(FrameSkip::getFrameId, Collectors.toList())));
    assertEquals(Map.of("NO_QUESTIONS", List.of("h1", "g2"), "RATE_LIMITED", List.of("f2"), "STALE", List.of("g0")),
        skipped);
    assertTrue(fx.deadLetters.isEmpty());
  }

  @Test
  void aFrameQueryThatWentStaleWaitingForReasoningIsSkippedNotAnswered() {
    // as the fan-out stage writes it, but reaching reasoning a minute after capture
    fx.queries.pipeInput("cam-1", io.llavaseg.schemas.ImageQuery.newBuilder(TestData.query("f9/q1", "cam-1",
        "segment the star", TestData.inline("image/png", TestData.png(96, 96))))
        .setCaptureTime(NOW.minusSeconds(60)).setOptions(Map.of("frame_id", "f9", "question_id", "q1")).build());
    // a one-shot query of the same age is not a frame: it is answered
    fx.queries.pipeInput("cam-1", io.llavaseg.schemas.ImageQuery.newBuilder(TestData.query("old-one-shot", "cam-1",
        "segment the star", TestData.inline("image/png", TestData.png(96, 96)))).setCaptureTime(NOW.minusSeconds(60))
        .build());
    FrameSkip s = skips.readValue();
    assertEquals("STALE", s.getReason());
    assertEquals("f9", s.getFrameId());
    assertTrue(s.getDetail().contains("reached reasoning"), s.getDetail());
    assertEquals(List.of("old-one-shot"), fx.answers.readValuesToList().stream().map(ImageAnswer::getQueryId).toList());
  }

  @Test
  void aFrameThatDoesNotDecodeIsADeadLetter() {
    ask("cam-1", "segment the star");
    fx.driver.createInputTopic(Topics.CAMERA_FRAMES, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer())
        .pipeInput("cam-1".getBytes(), new byte[] {0, 0, 0});
    assertEquals("TRUNCATED", fx.deadLetters.readValue().getErrorCode());
    assertTrue(fx.answers.isEmpty());
  }

  @Test
  void aFrameTooLargeForItsQueriesBecomesOneDeadLetterPerQuestionAndTheCameraGoesOn() {
    ask("cam-1", "segment the star", "segment the heart");
    byte[] huge = new byte[1_000_000];
    new java.util.Random(3).nextBytes(huge);
    frames.pipeInput("cam-1", new CameraFrame("f-big", "cam-1", NOW.minusMillis(900), TestData.inline("image/png", huge)));
    frame("cam-1", "f-ok", 500);
    List<io.llavaseg.schemas.DeadLetter> dead = fx.deadLetters.readValuesToList();
    assertEquals(List.of("OUTPUT_TOO_LARGE", "OUTPUT_TOO_LARGE"),
        dead.stream().map(io.llavaseg.schemas.DeadLetter::getErrorCode).toList());
    assertEquals(List.of("f-big/q1", "f-big/q2"), dead.stream().map(io.llavaseg.schemas.DeadLetter::getQueryId).toList());
    assertEquals(List.of("f-ok/q1", "f-ok/q2"), fx.answers.readValuesToList().stream().map(ImageAnswer::getQueryId).toList());
  }

  @Test
  void aCameraWith500QuestionsAnd900kBFramesHasEachFrameSkippedOnceAndTheOtherCamerasGoOn() {
    String[] questions = new String[500];
    java.util.Arrays.fill(questions, "segment the star");
    ask("cam-1", questions);
    ask("cam-2", "segment the heart");
    byte[] big = new byte[900_000];
    new java.util.Random(5).nextBytes(big);
    for (int i = 0; i < 3; i++) {
      frames.pipeInput("cam-1", new CameraFrame("big-" + i, "cam-1", NOW.minusMillis(900 - 250L * i),
          TestData.inline("image/png", big)));
    }
    frame("cam-2", "g1", 100);
    List<FrameSkip> skipped = skips.readValuesToList();
    assertEquals(List.of("big-0", "big-1", "big-2"), skipped.stream().map(FrameSkip::getFrameId).toList());
    assertTrue(skipped.stream().allMatch(f -> f.getReason().equals("FANOUT_TOO_LARGE")
        && f.getDetail().contains("500 questions")), skipped.toString());
    assertTrue(fx.deadLetters.isEmpty(), "a documented skip, not a dead letter per question");
    assertEquals(List.of("g1/q1"), fx.answers.readValuesToList().stream().map(ImageAnswer::getQueryId).toList());
  }
}
