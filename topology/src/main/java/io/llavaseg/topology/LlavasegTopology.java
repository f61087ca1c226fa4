package io.llavaseg.topology;

import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Reasoning;
import io.llavaseg.model.SegmentationPrompt;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.Segmenter;
import io.llavaseg.model.pipeline.ImageQuestion;
import io.llavaseg.model.pipeline.QueryPipeline;
import io.llavaseg.topology.inference.BatchingQueue;
import io.llavaseg.topology.model.Models;
import io.llavaseg.topology.processor.CameraQueriesUpdater;
import io.llavaseg.topology.processor.DedupProcessor;
import io.llavaseg.topology.processor.FrameFanoutProcessor;
import io.llavaseg.topology.processor.ReasoningProcessor;
import io.llavaseg.topology.processor.SegmentationProcessor;
import io.llavaseg.topology.processor.StageSettings;
import io.llavaseg.topology.processor.StaleFrameFilter;
import io.llavaseg.topology.processor.ValidationProcessor;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Builds the service's topology; the service main and the tests call the same {@link #build}.
 *
 * <pre>
 * reasoning stage (sub-topology 0):
 *   image-queries-source (bytes) -> validate-query -> dedup-query [query-dedup-store]
 *     -> skip-stale-frame (-> stale-frames-skipped-sink) -> reason [reasoning-in-flight-store]
 *     reason -> image-answers-sink, image-queries-reasoned-sink
 *     validate-query, reason -> reasoning-dlq-sink
 * segmentation stage (sub-topology 1):
 *   image-queries-reasoned-source (bytes) -> segment [segmentation-in-flight-store]
 *     segment -> image-masks-sink, segmentation-dlq-sink
 * standing-query stage (opt-in):
 *   camera-queries -> camera-queries-update [camera-queries-store, global]
 *   camera-frames-source (bytes) -> fan-out-frame [camera-rate-store]
 *     -> standing-image-queries-sink (image-queries), camera-frames-skipped-sink, standing-dlq-sink
 * fused (llavaseg.stages.fused, the default when an instance runs both stages): one sub-topology
 *   ... -> reason -> image-answers-sink, segment; image-queries-reasoned-source -> segment
 * </pre>
 *
 * Every node and the store are named here (constants below), so changelog and internal names
 * survive changes; there is no repartition topic (keys stay the source id). Instances that run one
 * stage each meet through the {@code image-queries-reasoned} topic, separate sub-topologies with
 * separate tasks ({@code llavaseg.stages}); an instance that runs both hands each reasoned query to
 * the segmentation step inside the task instead ({@code llavaseg.stages.fused}): no record written
 * to that topic and read back, one transaction from the answer to the mask's acceptance, and the
 * same stores, so their changelogs serve either layout. It still reads the topic, so what an earlier
 * split deployment left there is segmented. Inputs are read as bytes and deserialized in the first
 * processor of each stage, which dead-letters what does not deserialize (see {@code Decoding}).
 */
public final class LlavasegTopology {
  public static final String QUERIES_SOURCE = "image-queries-source";
  public static final String VALIDATE = "validate-query";
  public static final String DEDUP = "dedup-query";
  /** Skips camera-frame queries that became stale while waiting for reasoning. */
  public static final String STALE_FILTER = "skip-stale-frame";
  public static final String STALE_SKIPS_SINK = "stale-frames-skipped-sink";
  public static final String REASON = "reason";
  public static final String ANSWERS_SINK = "image-answers-sink";
  public static final String REASONED_SINK = "image-queries-reasoned-sink";
  public static final String REASONING_DLQ_SINK = "reasoning-dlq-sink";
  public static final String REASONED_SOURCE = "image-queries-reasoned-source";
  public static final String SEGMENT = "segment";
  public static final String MASKS_SINK = "image-masks-sink";
  public static final String SEGMENTATION_DLQ_SINK = "segmentation-dlq-sink";
  public static final String CAMERA_QUERIES_SOURCE = "camera-queries-source";
  public static final String CAMERA_QUERIES_UPDATE = "camera-queries-update";
  /** Every camera's standing questions (global, in memory, rebuilt from camera-queries at start). */
  public static final String CAMERA_QUERIES_STORE = "camera-queries-store";
  public static final String CAMERA_FRAMES_SOURCE = "camera-frames-source";
  public static final String FANOUT = "fan-out-frame";
  /** Last accepted capture time per camera (rate limit); changelogged. */
  public static final String CAMERA_RATE_STORE = "camera-rate-store";
  public static final String STANDING_QUERIES_SINK = "standing-image-queries-sink";
  public static final String FRAME_SKIPS_SINK = "camera-frames-skipped-sink";
  public static final String STANDING_DLQ_SINK = "standing-dlq-sink";
  /**
   * Queries the reasoning stage accepted and has not answered yet (in memory, changelogged: restored
   * after a crash and sent to the model again); see {@code ModelStep}.
   */
  public static final String REASONING_IN_FLIGHT_STORE = "reasoning-in-flight-store";
  /** Queries the segmentation stage accepted and has not masked yet (as above). */
  public static final String SEGMENTATION_IN_FLIGHT_STORE = "segmentation-in-flight-store";
  /** Query ids accepted within the dedup window; changelog {@code <application.id>-query-dedup-store-changelog}. */
  public static final String DEDUP_STORE = "query-dedup-store";

  private LlavasegTopology() {}

  /**
   * The topology of the stages in {@code config.stages()}.
   *
   * @param config the service configuration (stages, limits, dedup window, inference budget)
   * @param topics the topics with their serdes
   * @param models worker factories and prompts; the factory of a stage that is not run may be null
   */
  public static Topology build(ServiceConfig config, Topics topics, Models models) {
    Topology topology = new Topology();
    boolean fused = config.fusedStages();
    if (config.stages().contains(Stage.REASONING)) {
      addReasoningStage(topology, config, topics, reasoningQueue(config, models), models, fused);
    }
    if (config.stages().contains(Stage.SEGMENTATION)) {
      addSegmentationStage(topology, config, topics, segmentationQueue(config, models), models, fused);
    }
    if (config.stages().contains(Stage.STANDING)) {
      addStandingStage(topology, config, topics, models);
    }
    return topology;
  }

  /**
   * Standing queries: {@code camera-queries} (compacted) feeds a global store of each camera's
   * questions; each {@code camera-frames} record is joined with it and fanned out to {@code
   * image-queries}, one query per question, or skipped to {@code camera-frames-skipped}.
   */
  private static void addStandingStage(Topology t, ServiceConfig config, Topics topics, Models models) {
    var questionsDeserializer = topics.cameraQueries().valueSerde().deserializer();
    t.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CAMERA_QUERIES_STORE), Serdes.String(),
            topics.cameraQueries().valueSerde()).withLoggingDisabled(),
        CAMERA_QUERIES_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
        topics.cameraQueries().name(), CAMERA_QUERIES_UPDATE,
        () -> new CameraQueriesUpdater(CAMERA_QUERIES_STORE, questionsDeserializer));
    var frameDeserializer = topics.cameraFrames().valueSerde().deserializer();
    t.addSource(CAMERA_FRAMES_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
        topics.cameraFrames().name());
    t.addProcessor(FANOUT,
        () -> new FrameFanoutProcessor(frameDeserializer, CAMERA_QUERIES_STORE, CAMERA_RATE_STORE,
            config.standingMaxAge(), config.standingMaxFps(), models.metrics(), STANDING_QUERIES_SINK,
            FRAME_SKIPS_SINK, STANDING_DLQ_SINK)
            .guardedBy(new io.llavaseg.topology.processor.OutputGuard(config.outputMaxBytes()), topics.queries())
            .fanningOutAtMost(config.standingMaxFanoutBytes()),
        CAMERA_FRAMES_SOURCE);
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CAMERA_RATE_STORE), Serdes.String(),
        Serdes.Long()), FANOUT);
    addSink(t, STANDING_QUERIES_SINK, topics.queries(), FANOUT);
    addSink(t, FRAME_SKIPS_SINK, topics.frameSkips(), FANOUT);
    addSink(t, STANDING_DLQ_SINK, topics.deadLetters(), FANOUT);
  }

  /**
   * The reasoning stage's workers ({@code llavaseg.reasoning.workers}, round-robin over the devices)
   * and batching ({@code llavaseg.reasoning.batch.*}): each batch runs the pipeline's reasoning half
   * for all its queries at once ({@link QueryPipeline#reasonAll}).
   */
  public static BatchingQueue<Reasoner, ImageQuestion, Reasoning> reasoningQueue(ServiceConfig config, Models models) {
    Function<String, ? extends Reasoner> workers = Objects.requireNonNull(models.reasoners(), "reasoner factory");
    QueryPipeline pipeline = new QueryPipeline(models.prompts());
    return new BatchingQueue<>(Stage.REASONING.configName(), config.batchPolicy(Stage.REASONING),
        models.devices().assign(config.workers(Stage.REASONING, models.devices().devices().size())), workers,
        pipeline::reasonAll, models.metrics(), config.failurePolicy(Stage.REASONING), models.devices().turns());
  }

  /** The segmentation stage's workers and batching ({@code llavaseg.segmentation.*}). */
  public static BatchingQueue<Segmenter, SegmentationPrompt, SegmentationResult> segmentationQueue(ServiceConfig config,
      Models models) {
    Function<String, ? extends Segmenter> workers = Objects.requireNonNull(models.segmenters(), "segmenter factory");
    return new BatchingQueue<>(Stage.SEGMENTATION.configName(), config.batchPolicy(Stage.SEGMENTATION),
        models.devices().assign(config.workers(Stage.SEGMENTATION, models.devices().devices().size())), workers,
        Segmenter::segmentBatch, models.metrics(), config.failurePolicy(Stage.SEGMENTATION), models.devices().turns());
  }

  private static void addReasoningStage(Topology t, ServiceConfig config, Topics topics,
      BatchingQueue<Reasoner, ImageQuestion, Reasoning> reasoners, Models models, boolean fused) {
    var queryDeserializer = topics.queries().valueSerde().deserializer();
    t.addSource(QUERIES_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
        topics.queries().name());
    t.addProcessor(VALIDATE,
        () -> new ValidationProcessor(queryDeserializer, config.limits(), models.metrics(), DEDUP, REASONING_DLQ_SINK),
        QUERIES_SOURCE);
    t.addProcessor(DEDUP, () -> new DedupProcessor(DEDUP_STORE, config.dedupWindow()), VALIDATE);
    t.addStateStore(dedupStore(config), DEDUP);
    t.addProcessor(STALE_FILTER,
        () -> new StaleFrameFilter(config.standingMaxAge(), models.metrics(), REASON, STALE_SKIPS_SINK), DEDUP);
    StageSettings settings = StageSettings.from(config, topics, models.metrics());
    var children = fused ? new ReasoningProcessor.Children(ANSWERS_SINK, SEGMENT, REASONING_DLQ_SINK, true)
        : new ReasoningProcessor.Children(ANSWERS_SINK, REASONED_SINK, REASONING_DLQ_SINK, false);
    t.addProcessor(REASON, () -> new ReasoningProcessor(reasoners, settings, children, REASONING_IN_FLIGHT_STORE),
        STALE_FILTER);
    t.addStateStore(inFlightStore(REASONING_IN_FLIGHT_STORE), REASON);
    addSink(t, STALE_SKIPS_SINK, topics.frameSkips(), STALE_FILTER);
    addSink(t, ANSWERS_SINK, topics.answers(), REASON);
    if (!fused) {
      addSink(t, REASONED_SINK, topics.reasoned(), REASON);
    }
    addSink(t, REASONING_DLQ_SINK, topics.deadLetters(), VALIDATE, REASON);
  }

  private static void addSegmentationStage(Topology t, ServiceConfig config, Topics topics,
      BatchingQueue<Segmenter, SegmentationPrompt, SegmentationResult> segmenters, Models models, boolean fused) {
    t.addSource(REASONED_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
        topics.reasoned().name());
    StageSettings settings = StageSettings.from(config, topics, models.metrics());
    var children = new SegmentationProcessor.Children(MASKS_SINK, SEGMENTATION_DLQ_SINK);
    t.addProcessor(SEGMENT, () -> new SegmentationProcessor(segmenters, settings, children,
        SEGMENTATION_IN_FLIGHT_STORE), fused ? new String[] {REASONED_SOURCE, REASON} : new String[] {REASONED_SOURCE});
    t.addStateStore(inFlightStore(SEGMENTATION_IN_FLIGHT_STORE), SEGMENT);
    addSink(t, MASKS_SINK, topics.masks(), SEGMENT);
    addSink(t, SEGMENTATION_DLQ_SINK, topics.deadLetters(), SEGMENT);
  }

  /** A sink named {@code name} writing to {@code topic} with its serdes. */
  private static void addSink(Topology t, String name, Topic<?, ?> topic, String... parents) {
    t.addSink(name, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(), parents);
  }

  /**
   * A model stage's in-flight store: sequence number to the accepted record's bytes, in memory and
   * changelogged ({@code <application.id>-<name>-changelog}, compacted). An entry holds the input
   * value with its key and headers, so it stays under the producer's max.request.size with the
   * default record, key and header limits.
   */
  public static StoreBuilder<KeyValueStore<Long, byte[]>> inFlightStore(String name) {
    return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.Long(), Serdes.ByteArray());
  }

  /** Persistent window store, retention = window = {@code llavaseg.dedup.window}, no duplicates. */
  static StoreBuilder<WindowStore<String, Long>> dedupStore(ServiceConfig config) {
    return Stores.windowStoreBuilder(
        Stores.persistentWindowStore(DEDUP_STORE, config.dedupWindow(), config.dedupWindow(), false),
        Serdes.String(), Serdes.Long());
  }
}
