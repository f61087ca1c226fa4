package io.llavaseg.topology.processor;

import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.SegmentationPrompt;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.Segmenter;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ReasonedQuery;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.StageFailure;
import io.llavaseg.topology.Topics;
import io.llavaseg.topology.image.ImageLoader;
import io.llavaseg.topology.image.ValidationLimits;
import io.llavaseg.topology.inference.BatchingQueue;
import io.llavaseg.topology.inference.InferenceFailure;
import io.llavaseg.topology.inference.InferenceMetrics;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The segmentation stage. Reads {@code image-queries-reasoned} as raw bytes, deserializes (see
 * {@link Decoding}), and forwards one {@code ImageMask} per query to the masks sink: with a target,
 * the mask from the stage's batching queue of {@link Segmenter}s (leased in {@code init()}, released
 * in {@code close()}; the call waits for the query's batch) prompted with the target description and attributes, never the user's question; without
 * one, an empty mask at the image's size (read from the image header only) whose {@code empty_reason}
 * is the reasoning stage's reason, without calling the segmenter. Failures give a dead letter to the
 * dead-letter sink: the serde's code (stage {@code deserialization}), the image loader's codes (the
 * image is fetched again, a reference is re-verified), {@code SEGMENTATION_FAILED} when the segmenter
 * throws, {@code MASK_SIZE_MISMATCH} when its mask is not at the image's size, {@code
 * OUTPUT_TOO_LARGE} when the mask record would exceed {@code llavaseg.output.max-bytes}.
 */
public final class SegmentationProcessor implements Processor<byte[], byte[], String, Object> {

  private final Deserializer<ReasonedQuery> deserializer;
  private final BatchingQueue<Segmenter, SegmentationPrompt, SegmentationResult> segmenters;
  private final InferenceMetrics inferenceMetrics;
  private final ImageLoader loader;
  private final Duration inferenceBudget;
  private final String masksChild;
  private final String deadLetterChild;
  private final Topics topics;
  private final OutputGuard guard;
  private ProcessorContext<String, Object> context;
  private BatchingQueue<Segmenter, SegmentationPrompt, SegmentationResult>.Lease lease;
  private StageMetrics metrics;

  public SegmentationProcessor(Deserializer<ReasonedQuery> deserializer,
      BatchingQueue<Segmenter, SegmentationPrompt, SegmentationResult> segmenters, ValidationLimits limits,
      Duration inferenceBudget, Topics topics, OutputGuard guard, InferenceMetrics inferenceMetrics, String masksChild,
      String deadLetterChild) {
    this.inferenceMetrics = inferenceMetrics;
    this.topics = topics;
    this.guard = guard;
    this.deserializer = deserializer;
    this.segmenters = segmenters;
    this.loader = new ImageLoader(limits);
    this.inferenceBudget = inferenceBudget;
    this.masksChild = masksChild;
    this.deadLetterChild = deadLetterChild;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.lease = segmenters.acquire();
    this.metrics = new StageMetrics(context, DeadLetters.SEGMENTATION, inferenceMetrics);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
    ReasonedQuery reasoned;
    try {
      reasoned = Decoding.value(deserializer, topic, record.headers(), record.value());
    } catch (StageFailure f) {
      deadLetter(record, DeadLetters.DESERIALIZATION, f, null);
      return;
    }
    try {
      ImageMask mask;
      try {
        mask = segment(reasoned);
      } catch (RuntimeException e) {
        throw StageFailure.unexpected(e);
      }
      guard.check(topics.masks(), mask);
      context.forward(new Record<String, Object>(reasoned.getQuery().getSourceId(), mask,
          record.timestamp(), record.headers()), masksChild);
    } catch (StageFailure f) {
      deadLetter(record, DeadLetters.SEGMENTATION, f, reasoned.getQuery().getQueryId());
    }
  }

  private ImageMask segment(ReasonedQuery reasoned) throws StageFailure {
    ImageLoader.Encoded encoded = loader.fetch(reasoned.getQuery().getImage());
    if (reasoned.getTarget() == null || reasoned.getAttributes() == null) {
      int[] size = loader.dimensions(encoded);
      return OutputRecords.emptyMask(reasoned, size[0], size[1], now());
    }
    BufferedImage image = loader.decode(encoded);
    long start = System.nanoTime();
    SegmentationResult result;
    try {
      result = lease.infer(new SegmentationPrompt(image, reasoned.getTarget(),
          OutputRecords.targetAttributes(reasoned.getAttributes())));
    } catch (InferenceFailure e) {
      if (e.timedOut()) {
        throw new StageFailure(ErrorCode.INFERENCE_TIMEOUT, e.getMessage(), e);
      }
      throw new StageFailure(ErrorCode.SEGMENTATION_FAILED, "segmenter failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the segmenter", e);
    }
    metrics.inference(Duration.ofNanos(System.nanoTime() - start), inferenceBudget,
        reasoned.getQuery().getQueryId());
    BinaryMask mask = result == null ? null : result.mask();
    if (mask == null || mask.width() != image.getWidth() || mask.height() != image.getHeight()) {
      throw new StageFailure(ErrorCode.MASK_SIZE_MISMATCH, "segmenter returned "
          + (mask == null ? "no mask" : "a " + mask.width() + "x" + mask.height() + " mask")
          + " for a " + image.getWidth() + "x" + image.getHeight() + " image");
    }
    return OutputRecords.mask(reasoned, result, now());
  }

  private Instant now() {
    return Instant.ofEpochMilli(context.currentSystemTimeMs());
  }

  private void deadLetter(Record<byte[], byte[]> record, String stage, StageFailure f, String queryId) {
    metrics.deadLetter(f.code());
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    context.forward(new Record<String, Object>(key,
        DeadLetters.of(stage, f, queryId, context.recordMetadata(), record.key(), record.value(), now()),
        record.timestamp(), record.headers()), deadLetterChild);
  }

  @Override
  public void close() {
    if (lease != null) {
      lease.close();
      lease = null;
    }
    if (metrics != null) {
      metrics.close();
      metrics = null;
    }
  }
}
