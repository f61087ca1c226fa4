package io.llavaseg.topology;

import io.llavaseg.schemas.CameraFrame;
import io.llavaseg.schemas.CameraQueries;
import io.llavaseg.schemas.DeadLetter;
import io.llavaseg.schemas.FrameSkip;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.ReasonedQuery;
import io.llavaseg.schemas.registry.RegistryAvroSerde;
import io.llavaseg.schemas.registry.SchemaRegistry;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The service's topics. Keys are the source (camera) id as a UTF-8 string, so one source's
 * events keep their order; values are Avro records in the Confluent wire format (a serde per value
 * class, from a {@link ValueSerdes} factory: the registry serde in production, the same serde over
 * an in-memory registry in tests).
 *
 * <pre>
 * image-queries          ImageQuery      in: images and questions
 * image-queries-reasoned ReasonedQuery   between the stages: the query plus the chain of thought
 * image-answers          ImageAnswer     out: the answer in words
 * image-masks            ImageMask       out: the mask (COCO uncompressed RLE)
 * image-queries-dlq      DeadLetter      out: what could not be processed, with a stable code
 * camera-queries         CameraQueries   in (compacted): each camera's standing questions
 * camera-frames          CameraFrame     in: camera frames, each asked its camera's questions
 * camera-frames-skipped  FrameSkip       out: frames not asked (stale, over the rate, no questions)
 * </pre>
 *
 * The names above are the defaults; {@code llavaseg.topics.prefix} puts a prefix before each
 * ({@link #withRegistry(SchemaRegistry, Map, String)}, {@link #create(ValueSerdes, String)}).
 */
public record Topics(
    Topic<String, ImageQuery> queries,
    Topic<String, ReasonedQuery> reasoned,
    Topic<String, ImageAnswer> answers,
    Topic<String, ImageMask> masks,
    Topic<String, DeadLetter> deadLetters,
    Topic<String, CameraQueries> cameraQueries,
    Topic<String, CameraFrame> cameraFrames,
    Topic<String, FrameSkip> frameSkips) {

  public static final String IMAGE_QUERIES = "image-queries";
  public static final String IMAGE_QUERIES_REASONED = "image-queries-reasoned";
  public static final String IMAGE_ANSWERS = "image-answers";
  public static final String IMAGE_MASKS = "image-masks";
  public static final String IMAGE_QUERIES_DLQ = "image-queries-dlq";
  public static final String CAMERA_QUERIES = "camera-queries";
  public static final String CAMERA_FRAMES = "camera-frames";
  public static final String CAMERA_FRAMES_SKIPPED = "camera-frames-skipped";

  /** Every topic name, inputs first. */
  public static final List<String> NAMES =
      List.of(IMAGE_QUERIES, IMAGE_QUERIES_REASONED, IMAGE_ANSWERS, IMAGE_MASKS, IMAGE_QUERIES_DLQ, CAMERA_QUERIES,
          CAMERA_FRAMES, CAMERA_FRAMES_SKIPPED);

  /** Topics whose records are a table by key ({@code cleanup.policy=compact}). */
  public static final List<String> COMPACTED = List.of(CAMERA_QUERIES);

  /** Makes a configured value serde for one Avro class. */
  @FunctionalInterface
  public interface ValueSerdes {
    <T extends SpecificRecord> Serde<T> forClass(Class<T> type);
  }

  /**
   * The topics with registry serdes sharing one registry client (and so one schema-id cache);
   * {@code serdeConfig} supplies the serde's other settings (e.g. {@code auto.register.schemas}).
   * The caller closes {@code client}.
   */
  public static Topics withRegistry(SchemaRegistry client, Map<String, ?> serdeConfig) {
    return withRegistry(client, serdeConfig, "");
  }

  /** As {@link #withRegistry(SchemaRegistry, Map)}, every name after {@code prefix}. */
  public static Topics withRegistry(SchemaRegistry client, Map<String, ?> serdeConfig, String prefix) {
    return create(new ValueSerdes() {
      @Override
      public <T extends SpecificRecord> Serde<T> forClass(Class<T> type) {
        RegistryAvroSerde<T> serde = new RegistryAvroSerde<>(type, client);
        serde.configure(serdeConfig, false);
        return serde;
      }
    }, prefix);
  }

  public static Topics create(ValueSerdes values) {
    return create(values, "");
  }

  /** The topics, every name after {@code prefix} ({@code llavaseg.topics.prefix}). */
  public static Topics create(ValueSerdes values, String prefix) {
    return new Topics(
        new Topic<>(prefix + IMAGE_QUERIES, Serdes.String(), values.forClass(ImageQuery.class)),
        new Topic<>(prefix + IMAGE_QUERIES_REASONED, Serdes.String(), values.forClass(ReasonedQuery.class)),
        new Topic<>(prefix + IMAGE_ANSWERS, Serdes.String(), values.forClass(ImageAnswer.class)),
        new Topic<>(prefix + IMAGE_MASKS, Serdes.String(), values.forClass(ImageMask.class)),
        new Topic<>(prefix + IMAGE_QUERIES_DLQ, Serdes.String(), values.forClass(DeadLetter.class)),
        new Topic<>(prefix + CAMERA_QUERIES, Serdes.String(), values.forClass(CameraQueries.class)),
        new Topic<>(prefix + CAMERA_FRAMES, Serdes.String(), values.forClass(CameraFrame.class)),
        new Topic<>(prefix + CAMERA_FRAMES_SKIPPED, Serdes.String(), values.forClass(FrameSkip.class)));
  }

  /** Every topic, inputs first (the order of {@link #NAMES}). */
  public List<Topic<String, ?>> all() {
    return List.of(queries, reasoned, answers, masks, deadLetters, cameraQueries, cameraFrames, frameSkips);
  }

  /** Whether {@code topic} is a table by key ({@code cleanup.policy=compact}). */
  public boolean compacted(Topic<?, ?> topic) {
    return topic == cameraQueries;
  }
}
