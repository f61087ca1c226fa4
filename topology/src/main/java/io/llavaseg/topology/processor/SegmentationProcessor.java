package io.llavaseg.topology.processor;

import io.llavaseg.model.BinaryMask;
import io.llavaseg.model.SegmentationPrompt;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.SegmentationTarget;
import io.llavaseg.model.Segmenter;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ReasonedQuery;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.Stage;
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
 * {@link Decoding}), or takes the reasoning step's {@code ReasonedQuery} inside the task (fused
 * stages, see {@link #process}), and forwards one {@code ImageMask} per query to the masks child, in the order
 * the queries came. The pipeline's rule ({@link SegmentationTarget}) decides: with a target, the
 * mask from the stage's batching queue of {@link Segmenter}s (see {@link ModelStep}: the query is
 * kept in the in-flight store {@code storeName} until its mask is forwarded) prompted with the
 * target description and attributes, never the user's question; without one, an empty mask at the
 * image's size (read from the image header only) whose {@code empty_reason} is the reasoning stage's
 * reason, without calling the segmenter. Failures give a dead letter to the dead-letter child: the
 * serde's code (stage {@code deserialization}), the image loader's codes (the image is fetched
 * again, a reference is re-verified), {@code SEGMENTATION_FAILED} when the segmenter throws, {@code
 * MASK_SIZE_MISMATCH} when its mask is not at the image's size, {@code OUTPUT_TOO_LARGE} when the
 * mask record would exceed {@code llavaseg.output.max-bytes}.
 */
public final class SegmentationProcessor implements Processor<Object, Object, String, Object> {

  /** The names of the child nodes the processor forwards to. */
  public record Children(String masks, String deadLetters) {}

  /** What is kept of a query between its acceptance and its mask: the query, its image's size, whether it has a target. */
  private record Accepted(ReasonedQuery reasoned, int width, int height, boolean targeted) {}

  private final ModelStep<Accepted, SegmentationPrompt, SegmentationResult> step;
  private final StageSettings settings;
  private final Children children;
  private final Deserializer<ReasonedQuery> deserializer;
  private final ImageLoader loader;
  private ProcessorContext<String, Object> context;

  public SegmentationProcessor(BatchingQueue<Segmenter, SegmentationPrompt, SegmentationResult> segmenters,
      StageSettings settings, Children children, String storeName) {
    this.step = new ModelStep<>(Stage.SEGMENTATION, segmenters, ErrorCode.SEGMENTATION_FAILED, settings,
        children.deadLetters(), storeName, new Logic());
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

  /**
   * Accepts a record of {@code image-queries-reasoned} (key and value bytes), or a {@link
   * HandedOnQuery} from the reasoning step of the same task (fused stages): its query is serialized
   * as the topic's record would be, for the in-flight store and a dead letter, whose origin names
   * the topic with offset -1 (never written there), and its decoded image is used as it is.
   */
  @Override
  public void process(Record<Object, Object> record) {
    if (record.value() instanceof HandedOnQuery handed) {
      String topic = settings.topics().reasoned().name();
      byte[] key = settings.topics().reasoned().keySerde().serializer()
          .serialize(topic, record.headers(), (String) record.key());
      byte[] value = settings.topics().reasoned().valueSerde().serializer()
          .serialize(topic, record.headers(), handed.reasoned());
      step.accept(new Record<>(key, value, record.timestamp(), record.headers()), handed,
          Optional.of(new HandedOnOrigin(topic, context.taskId().partition())));
      return;
    }
    Record<byte[], byte[]> raw = new Record<>((byte[]) record.key(), (byte[]) record.value(), record.timestamp(),
        record.headers());
    ReasonedQuery reasoned = step.decodeOrDeadLetter(deserializer, raw);
    if (reasoned != null) {
      step.accept(raw, reasoned);
    }
  }

  /** Where a handed-on record would have been read: its topic, the task's partition, no offset. */
  private record HandedOnOrigin(String topic, int partition) implements org.apache.kafka.streams.processor.api.RecordMetadata {
    @Override
    public long offset() {
      return -1;
    }
  }

  private final class Logic implements ModelStep.Logic<Accepted, SegmentationPrompt, SegmentationResult> {
    @Override
    public ModelStep.Prepared<Accepted, SegmentationPrompt> prepare(Record<byte[], byte[]> raw, Object decoded)
        throws StageFailure {
      if (decoded instanceof HandedOnQuery handed) {
        return prepared(handed.reasoned(), OutputRecords.segmentationTarget(handed.reasoned()), handed.image());
      }
      ReasonedQuery reasoned = decoded instanceof ReasonedQuery r ? r
          : Decoding.value(deserializer, settings.topics().reasoned().name(), raw.headers(), raw.value());
      ImageLoader.Encoded encoded = loader.fetch(reasoned.getQuery().getImage());
      Optional<SegmentationTarget> target = OutputRecords.segmentationTarget(reasoned);
      if (target.isEmpty()) { // the size is all an empty mask needs: read from the header, not decoded
        int[] size = loader.dimensions(encoded);
        return new ModelStep.Prepared<>(new Accepted(reasoned, size[0], size[1], false), null);
      }
      return prepared(reasoned, target, loader.decode(encoded));
    }

    /** The state and the segmenter's prompt of {@code reasoned} with {@code target} on its decoded {@code image}. */
    private ModelStep.Prepared<Accepted, SegmentationPrompt> prepared(ReasonedQuery reasoned,
        Optional<SegmentationTarget> target, BufferedImage image) {
      if (target.isEmpty()) {
        return new ModelStep.Prepared<>(new Accepted(reasoned, image.getWidth(), image.getHeight(), false), null);
      }
      return new ModelStep.Prepared<>(new Accepted(reasoned, image.getWidth(), image.getHeight(), true),
          target.get().on(image));
    }

    @Override
    public void complete(Record<byte[], byte[]> raw, Accepted accepted, SegmentationResult result)
        throws StageFailure {
      ReasonedQuery reasoned = accepted.reasoned();
      ImageMask mask;
      if (!accepted.targeted()) {
        mask = OutputRecords.emptyMask(reasoned, accepted.width(), accepted.height(), step.now());
      } else {
        BinaryMask m = result == null ? null : result.mask();
        if (m == null || m.width() != accepted.width() || m.height() != accepted.height()) {
          throw new StageFailure(ErrorCode.MASK_SIZE_MISMATCH, "segmenter returned "
              + (m == null ? "no mask" : "a " + m.width() + "x" + m.height() + " mask")
              + " for a " + accepted.width() + "x" + accepted.height() + " image");
        }
        mask = OutputRecords.mask(reasoned, result, step.now());
      }
      settings.guard().check(settings.topics().masks(), mask);
      context.forward(new Record<String, Object>(reasoned.getQuery().getSourceId(), mask, raw.timestamp(),
          raw.headers()), children.masks());
    }

    @Override
    public String queryId(Accepted accepted) {
      return accepted == null ? null : accepted.reasoned().getQuery().getQueryId();
    }

    @Override
    public String queryIdOf(Object decoded) {
      ReasonedQuery r = decoded instanceof HandedOnQuery h ? h.reasoned() : decoded instanceof ReasonedQuery q ? q : null;
      return r == null ? null : r.getQuery().getQueryId();
    }
  }

  @Override
  public void close() {
    step.close();
  }
}
