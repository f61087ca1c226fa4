package io.llavaseg.topology.processor;

import io.llavaseg.schemas.CameraFrame;
import io.llavaseg.schemas.CameraQueries;
import io.llavaseg.schemas.FrameSkip;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.StandingQuestion;
import io.llavaseg.topology.Stage;
import io.llavaseg.topology.Topic;
import io.llavaseg.topology.StageFailure;
import io.llavaseg.topology.inference.InferenceMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The standing-query stage: joins each frame of {@code camera-frames} with its camera's active
 * questions (the global store fed by {@code camera-queries}) and forwards one {@code ImageQuery}
 * per question to {@code image-queries}, with {@code query_id = <frame_id>/<question_id>} and the
 * options {@code frame_id} and {@code question_id} added, so the reasoning and segmentation stages
 * answer it like any query (validation, dedup, batching, dead letters included).
 *
 * <p>A frame is skipped, counted ({@code llavaseg_frames_skipped_total{reason}}) and reported on
 * {@code camera-frames-skipped}, never silently, when it is older than {@code
 * llavaseg.standing.max-age} on arrival (STALE), when its camera already had a frame accepted less
 * than {@code 1 / llavaseg.standing.max-fps} seconds of capture time before it (RATE_LIMITED; the
 * last accepted capture time per camera is in a changelogged store), or when its camera has no
 * questions (NO_QUESTIONS), or when its questions times its record's size exceeds {@code
 * llavaseg.standing.max-fanout-bytes} (FANOUT_TOO_LARGE: a camera with hundreds of questions and
 * large inline frames would otherwise write hundreds of copies of each frame in one transaction). A
 * frame that does not decode becomes a dead letter.
 */
public final class FrameFanoutProcessor implements Processor<byte[], byte[], String, Object> {
  public static final String STALE = "STALE";
  public static final String RATE_LIMITED = "RATE_LIMITED";
  public static final String NO_QUESTIONS = "NO_QUESTIONS";
  public static final String FANOUT_TOO_LARGE = "FANOUT_TOO_LARGE";

  private final Deserializer<CameraFrame> deserializer;
  private final String questionsStore;
  private final String rateStore;
  private final Duration maxAge;
  private final double maxFps;
  private final InferenceMetrics metrics;
  private final String queriesChild;
  private final String skipsChild;
  private final String deadLetterChild;
  private ProcessorContext<String, Object> context;
  private ReadOnlyKeyValueStore<String, CameraQueries> questions;
  private KeyValueStore<String, Long> lastAccepted;
  private OutputGuard guard;
  private long maxFanoutBytes = Long.MAX_VALUE;
  private Topic<String, ImageQuery> queriesTopic;

  public FrameFanoutProcessor(Deserializer<CameraFrame> deserializer, String questionsStore, String rateStore,
      Duration maxAge, double maxFps, InferenceMetrics metrics, String queriesChild, String skipsChild,
      String deadLetterChild) {
    this.deserializer = deserializer;
    this.questionsStore = questionsStore;
    this.rateStore = rateStore;
    this.maxAge = maxAge;
    this.maxFps = maxFps;
    this.metrics = metrics;
    this.queriesChild = queriesChild;
    this.skipsChild = skipsChild;
    this.deadLetterChild = deadLetterChild;
  }

  /**
   * Checks every query made against {@code guard} ({@code llavaseg.output.max-bytes}) on {@code
   * topic} before it is sent: a frame too large for a question's query becomes that query's dead
   * letter {@code OUTPUT_TOO_LARGE} (the frame's other questions still go out), never a send that
   * the producer would refuse.
   */
  public FrameFanoutProcessor guardedBy(OutputGuard guard, Topic<String, ImageQuery> topic) {
    this.guard = guard;
    this.queriesTopic = topic;
    return this;
  }

  /** Skips (FANOUT_TOO_LARGE) a frame whose questions times its record's bytes exceed {@code maxBytes}. */
  public FrameFanoutProcessor fanningOutAtMost(long maxBytes) {
    this.maxFanoutBytes = maxBytes;
    return this;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.questions = context.getStateStore(questionsStore);
    this.lastAccepted = context.getStateStore(rateStore);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    CameraFrame frame;
    try {
      frame = Decoding.value(deserializer, "camera-frames", record.headers(), record.value());
    } catch (StageFailure f) {
      metrics.deadLetter(Stage.STANDING.configName(), f.code());
      String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      context.forward(new Record<String, Object>(key, DeadLetters.of(Stage.STANDING.configName(), f, null,
          context.recordMetadata(), record.key(), record.value(), now), record.timestamp()), deadLetterChild);
      return;
    }
    String camera = frame.getSourceId();
    Instant captured = frame.getCaptureTime();
    Duration age = Duration.between(captured, now);
    if (age.compareTo(maxAge) > 0) {
      skip(record, frame, STALE, "frame is " + age.toMillis() + " ms old on arrival, over " + maxAge.toMillis()
          + " ms (llavaseg.standing.max-age)", now);
      return;
    }
    Long last = lastAccepted.get(camera);
    if (maxFps > 0 && last != null && captured.toEpochMilli() - last < 1000.0 / maxFps) {
      skip(record, frame, RATE_LIMITED, "camera had a frame accepted " + (captured.toEpochMilli() - last)
          + " ms of capture time before, under 1/" + maxFps + " s (llavaseg.standing.max-fps)", now);
      return;
    }
    CameraQueries active = questions.get(camera);
    List<StandingQuestion> asked = active == null ? List.of() : active.getQuestions();
    if (asked.isEmpty()) {
      skip(record, frame, NO_QUESTIONS, "camera " + camera + " has no standing questions", now);
      return;
    }
    long fanout = (long) asked.size() * record.value().length;
    if (fanout > maxFanoutBytes) {
      skip(record, frame, FANOUT_TOO_LARGE, asked.size() + " questions x " + record.value().length + " bytes = "
          + fanout + " bytes, over " + maxFanoutBytes + " (llavaseg.standing.max-fanout-bytes); send large frames as"
          + " image references", now);
      return;
    }
    lastAccepted.put(camera, captured.toEpochMilli());
    for (StandingQuestion q : asked) {
      Map<String, String> options = new HashMap<>(q.getOptions());
      options.put("frame_id", frame.getFrameId());
      options.put("question_id", q.getQuestionId());
      ImageQuery query = ImageQuery.newBuilder()
          .setQueryId(frame.getFrameId() + "/" + q.getQuestionId())
          .setSourceId(camera)
          .setCaptureTime(captured)
          .setImage(frame.getImage())
          .setQuestion(q.getQuestion())
          .setOptions(options)
          .build();
      if (guard != null) {
        try {
          guard.check(queriesTopic, query);
        } catch (StageFailure f) {
          metrics.deadLetter(Stage.STANDING.configName(), f.code());
          context.forward(new Record<String, Object>(camera, DeadLetters.of(Stage.STANDING.configName(), f,
              query.getQueryId(), context.recordMetadata(), record.key(), null, now), record.timestamp()),
              deadLetterChild);
          continue;
        }
      }
      context.forward(new Record<String, Object>(camera, query, record.timestamp(), record.headers()), queriesChild);
    }
    metrics.standingQueries(asked.size());
    // a frame's queries wait for the reasoning stage's read_committed consumer: commit them now, not
    // at commit.interval.ms
    context.commit();
  }

  private void skip(Record<byte[], byte[]> record, CameraFrame frame, String reason, String detail, Instant now) {
    metrics.frameSkipped(reason);
    context.forward(new Record<String, Object>(frame.getSourceId(),
        skipRecord(frame.getFrameId(), frame.getSourceId(), frame.getCaptureTime(), reason, detail, now),
        record.timestamp(), record.headers()), skipsChild);
  }

  /** The {@code camera-frames-skipped} record of a skipped frame (also written by {@link StaleFrameFilter}). */
  static FrameSkip skipRecord(String frameId, String sourceId, Instant captured, String reason, String detail,
      Instant now) {
    return FrameSkip.newBuilder().setFrameId(frameId).setSourceId(sourceId).setCaptureTime(captured)
        .setReason(reason).setDetail(detail).setSkippedAt(now).build();
  }
}
