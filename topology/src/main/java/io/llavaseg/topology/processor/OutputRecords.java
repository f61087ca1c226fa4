package io.llavaseg.topology.processor;

import io.llavaseg.model.ModelId;
import io.llavaseg.model.Reasoning;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.SegmentationTarget;
import io.llavaseg.model.TargetAttributes;
import io.llavaseg.schemas.Attributes;
import io.llavaseg.schemas.CocoRle;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.ModelRef;
import io.llavaseg.schemas.NormalizedBox;
import io.llavaseg.schemas.ReasonedQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Maps model results to the output topics' Avro records (and the Avro attributes back). */
public final class OutputRecords {
  /** {@code empty_reason} / {@code no_target_reason} when the model said there is no target. */
  public static final String NO_TARGET = "NO_TARGET";

  private OutputRecords() {}

  public static ModelRef modelRef(ModelId id) {
    return ModelRef.newBuilder().setName(id.name()).setVersion(id.version()).setDevice(id.device())
        .setBackend(id.backend()).build();
  }

  public static Attributes attributes(TargetAttributes a) {
    NormalizedBox box = a.box() == null ? null
        : NormalizedBox.newBuilder().setX0((float) a.box().x0()).setY0((float) a.box().y0())
            .setX1((float) a.box().x1()).setY1((float) a.box().y1()).build();
    return Attributes.newBuilder()
        .setColor(a.color()).setShape(a.shape()).setSize(a.size()).setLocation(a.location()).setBox(box).build();
  }

  public static TargetAttributes targetAttributes(Attributes a) {
    NormalizedBox b = a.getBox();
    return new TargetAttributes(a.getColor(), a.getShape(), a.getSize(), a.getLocation(),
        b == null ? null : new io.llavaseg.model.NormalizedBox(b.getX0(), b.getY0(), b.getX1(), b.getY1()));
  }

  /** Why there is no target: the chain's failure reason, else {@link #NO_TARGET}; null with a target. */
  static String noTargetReason(Reasoning r) {
    return r.hasTarget() ? null : r.failureReason().orElse(NO_TARGET);
  }

  /** The target the reasoning stage handed over, by the pipeline's rule ({@link SegmentationTarget#of}). */
  public static Optional<SegmentationTarget> segmentationTarget(ReasonedQuery r) {
    return SegmentationTarget.of(Optional.ofNullable(r.getTarget()),
        Optional.ofNullable(r.getAttributes()).map(OutputRecords::targetAttributes));
  }

  private static String target(Reasoning r) {
    return SegmentationTarget.of(r).map(SegmentationTarget::description).orElse(null);
  }

  private static Attributes attributes(Reasoning r) {
    return SegmentationTarget.of(r).map(t -> attributes(t.attributes())).orElse(null);
  }

  public static ReasonedQuery reasoned(ImageQuery query, Reasoning r, Instant at) {
    Reasoning.Timings t = r.timings();
    return ReasonedQuery.newBuilder()
        .setQuery(query)
        .setAnswer(r.answer())
        .setTarget(target(r))
        .setAttributes(attributes(r))
        .setNoTargetReason(noTargetReason(r))
        .setReasoningModel(modelRef(r.model()))
        .setVisionMs(t.visionMs())
        .setAnswerMs(t.answerMs())
        .setTargetMs(t.targetMs())
        .setAttributesMs(t.attributesMs())
        .setGeneratedTokens(t.generatedTokens())
        .setReasonedAt(at)
        .build();
  }

  public static ImageAnswer answer(ImageQuery query, Reasoning r, Instant at) {
    return ImageAnswer.newBuilder()
        .setQueryId(query.getQueryId())
        .setSourceId(query.getSourceId())
        .setCaptureTime(query.getCaptureTime())
        .setQuestion(query.getQuestion())
        .setAnswer(r.answer())
        .setTarget(target(r))
        .setAttributes(attributes(r))
        .setNoTargetReason(noTargetReason(r))
        .setReasoningModel(modelRef(r.model()))
        .setReasoningMs(r.timings().totalMs())
        .setAnsweredAt(at)
        .build();
  }

  private static double reasoningMs(ReasonedQuery r) {
    return r.getVisionMs() + r.getAnswerMs() + r.getTargetMs() + r.getAttributesMs();
  }

  /** The empty mask of a query without a target; the segmenter did not run. */
  public static ImageMask emptyMask(ReasonedQuery r, int width, int height, Instant at) {
    ImageQuery q = r.getQuery();
    return ImageMask.newBuilder()
        .setQueryId(q.getQueryId())
        .setSourceId(q.getSourceId())
        .setCaptureTime(q.getCaptureTime())
        .setQuestion(q.getQuestion())
        .setAnswer(r.getAnswer())
        .setWidth(width)
        .setHeight(height)
        .setRleCounts(List.of((long) width * height))
        .setBbox(List.of(0, 0, 0, 0))
        .setArea(0)
        .setScore(0f)
        .setTarget(r.getTarget())
        .setAttributes(r.getAttributes())
        .setEmptyReason(r.getNoTargetReason() != null ? r.getNoTargetReason() : NO_TARGET)
        .setReasoningModel(r.getReasoningModel())
        .setSegmentationModel(null)
        .setReasoningMs(reasoningMs(r))
        .setSegmentationMs(0)
        .setMaskedAt(at)
        .build();
  }

  public static ImageMask mask(ReasonedQuery r, SegmentationResult s, Instant at) {
    ImageQuery q = r.getQuery();
    int w = s.mask().width();
    int h = s.mask().height();
    List<Long> counts = new ArrayList<>();
    for (long c : CocoRle.encode(s.mask().pixels(), w, h)) {
      counts.add(c);
    }
    List<Integer> bbox = new ArrayList<>(4);
    for (int v : s.mask().bbox()) {
      bbox.add(v);
    }
    return ImageMask.newBuilder()
        .setQueryId(q.getQueryId())
        .setSourceId(q.getSourceId())
        .setCaptureTime(q.getCaptureTime())
        .setQuestion(q.getQuestion())
        .setAnswer(r.getAnswer())
        .setWidth(w)
        .setHeight(h)
        .setRleCounts(counts)
        .setBbox(bbox)
        .setArea(s.mask().area())
        .setScore(s.score())
        .setTarget(r.getTarget())
        .setAttributes(r.getAttributes())
        .setEmptyReason(null)
        .setReasoningModel(r.getReasoningModel())
        .setSegmentationModel(modelRef(s.model()))
        .setReasoningMs(reasoningMs(r))
        .setSegmentationMs(s.inferenceMs())
        .setMaskedAt(at)
        .build();
  }
}
