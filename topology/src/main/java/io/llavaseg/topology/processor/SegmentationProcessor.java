package io.llavaseg.topology.processor;

import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.SegmentationPrompt;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.SegmentationTarget;
import io.llavaseg.model.Segmenter;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ReasonedQuery;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.StageFailure;
import io.llavaseg.topology.image.ImageLoader;
import io.llavaseg.topology.inference.BatchingQueue;
import java.awt.image.BufferedImage;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The segmentation stage. Reads {@code image-queries-reasoned} as raw bytes, deserializes (see
 * {@link Decoding}), and forwards one {@code ImageMask} per query to the masks child. The pipeline's
 * rule ({@link SegmentationTarget}) decides: with a target, the mask from the stage's batching queue
 * of {@link Segmenter}s (see {@link ModelStep}) prompted with the target description and
 * attributes, never the user's question; without one, an empty mask at the image's size (read from
 * the image header only) whose {@code empty_reason} is the reasoning stage's reason, without calling
 * the segmenter. Failures give a dead letter to the dead-letter child: the serde's code (stage
 * {@code deserialization}), the image loader's codes (the image is fetched again, a reference is
 * re-verified), {@code SEGMENTATION_FAILED} when the segmenter throws, {@code MASK_SIZE_MISMATCH}
 * when its mask is not at the image's size, {@code OUTPUT_TOO_LARGE} when the mask record would
 * exceed {@code llavaseg.output.max-bytes}.
 */
public final class SegmentationProcessor implements Processor<byte[], byte[], String, Object> {

  /** The names of the child nodes the processor forwards to. */
  public record Children(String masks, String deadLetters) {}

  private final ModelStep<SegmentationPrompt, SegmentationResult> step;
  private final StageSettings settings;
  private final Children children;
  private final Deserializer<ReasonedQuery> deserializer;
  private final ImageLoader loader;
  private ProcessorContext<String, Object> context;

  public SegmentationProcessor(BatchingQueue<Segmenter, SegmentationPrompt, SegmentationResult> segmenters,
      StageSettings settings, Children children) {
    this.step = ModelStep.segmentation(segmenters, settings, children.deadLetters());
    this.settings = settings;
    this.children = children;
    this.deserializer = settings.topics().reasoned().valueSerde().deserializer();
    this.loader = new ImageLoader(settings.limits());
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    step.init(context);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    ReasonedQuery reasoned = step.decodeOrDeadLetter(deserializer, record);
    if (reasoned == null) {
      return;
    }
    try {
      ImageMask mask;
      try {
        mask = segment(reasoned);
      } catch (RuntimeException e) {
        throw StageFailure.unexpected(e);
      }
      settings.guard().check(settings.topics().masks(), mask);
      context.forward(new Record<String, Object>(reasoned.getQuery().getSourceId(), mask,
          record.timestamp(), record.headers()), children.masks());
    } catch (StageFailure f) {
      step.deadLetter(record, f, reasoned.getQuery().getQueryId());
    }
  }

  private ImageMask segment(ReasonedQuery reasoned) throws StageFailure {
    ImageLoader.Encoded encoded = loader.fetch(reasoned.getQuery().getImage());
    Optional<SegmentationTarget> target = OutputRecords.segmentationTarget(reasoned);
    if (target.isEmpty()) {
      int[] size = loader.dimensions(encoded);
      return OutputRecords.emptyMask(reasoned, size[0], size[1], step.now());
    }
    BufferedImage image = loader.decode(encoded);
    SegmentationResult result = step.infer(target.get().on(image), reasoned.getQuery().getQueryId());
    BinaryMask mask = result == null ? null : result.mask();
    if (mask == null || mask.width() != image.getWidth() || mask.height() != image.getHeight()) {
      throw new StageFailure(ErrorCode.MASK_SIZE_MISMATCH, "segmenter returned "
          + (mask == null ? "no mask" : "a " + mask.width() + "x" + mask.height() + " mask")
          + " for a " + image.getWidth() + "x" + image.getHeight() + " image");
    }
    return OutputRecords.mask(reasoned, result, step.now());
  }

  @Override
  public void close() {
    step.close();
  }
}
