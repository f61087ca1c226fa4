package io.llavaseg.topology.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.Segmenter;
import io.llavaseg.schemas.Attributes;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ReasonedQuery;
import io.llavaseg.schemas.registry.RegistryAvroSerde;
import io.llavaseg.topology.FakeReasoner;
import io.llavaseg.topology.FakeSegmenter;
import io.llavaseg.topology.InMemorySchemaRegistry;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.TestData;
import io.llavaseg.topology.Topics;
import io.llavaseg.model.SegmentationPrompt;
import io.llavaseg.model.SegmentationResult;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.topology.LlavasegTopology;
import io.llavaseg.topology.inference.BatchingQueue;
import io.llavaseg.topology.inference.InferenceMetrics;
import io.llavaseg.topology.model.Models;
import java.util.concurrent.CopyOnWriteArrayList;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** Processor unit tests: the segmenter's lifecycle and the one mask forwarded per reasoned query. */
class SegmentationProcessorTest {
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final Topics topics = Topics.create(new Topics.ValueSerdes() {
    @Override
    public <T extends SpecificRecord> Serde<T> forClass(Class<T> type) {
      return new RegistryAvroSerde<>(type, registry);
    }
  });
  private final List<FakeSegmenter> made = new CopyOnWriteArrayList<>();
  private final BatchingQueue<Segmenter, SegmentationPrompt, SegmentationResult> workers =
      LlavasegTopology.segmentationQueue(ServiceConfig.from(synchronous()), new Models(null, device -> {
        FakeSegmenter s = new FakeSegmenter();
        made.add(s);
        return s;
      }, PromptTemplates.DEFAULT));

  /** Each result awaited before the next record: outputs are forwarded within process(). */
  private static Properties synchronous() {
    Properties p = new Properties();
    p.setProperty("llavaseg.segmentation.batch.max-in-flight", "1");
    return p;
  }

  private SegmentationProcessor processor() {
    StageSettings settings = new StageSettings(Duration.ofSeconds(30), ServiceConfig.from(new Properties()).limits(),
        new OutputGuard(1_000_000), topics, InferenceMetrics.standalone());
    return new SegmentationProcessor(workers, settings, new SegmentationProcessor.Children("masks", "dlq"),
        LlavasegTopology.SEGMENTATION_IN_FLIGHT_STORE);
  }

  private static MockProcessorContext<String, Object> context() {
    MockProcessorContext<String, Object> ctx = MockContexts.withInFlightStores();
    ctx.setRecordMetadata(Topics.IMAGE_QUERIES_REASONED, 0, 5L);
    return ctx;
  }

  private Record<Object, Object> record(String id) {
    ReasonedQuery r = ReasonedQuery.newBuilder()
        .setQuery(TestData.query(id, "cam-1", "segment the heart"))
        .setAnswer("a heart").setTarget("the heart")
        .setAttributes(new Attributes("red", "heart", "small", "top left", null))
        .setReasoningModel(OutputRecords.modelRef(FakeReasoner.ID))
        .setReasonedAt(Instant.EPOCH).build();
    return new Record<>("cam-1".getBytes(),
        topics.reasoned().valueSerde().serializer().serialize(Topics.IMAGE_QUERIES_REASONED, r), 7L);
  }

  @Test
  void shouldCreateTheSegmenterInInitCloseItInCloseAndWorkAgainAfterReInit() {
    SegmentationProcessor p = processor();
    MockProcessorContext<String, Object> ctx = context();
    p.init(ctx);
    p.process(record("q1"));
    assertEquals(1, made.size());
    p.close();
    assertTrue(made.get(0).isClosed());
    p.init(ctx);
    p.process(record("q2"));
    assertEquals(2, made.size());
    assertFalse(made.get(1).isClosed());
    List<String> ids = ctx.forwarded().stream()
        .peek(f -> assertEquals("masks", f.childName().orElseThrow()))
        .map(f -> ((ImageMask) f.record().value()).getQueryId()).toList();
    assertEquals(List.of("q1", "q2"), ids);
    assertEquals("cam-1", ctx.forwarded().get(0).record().key());
    assertEquals(7L, ctx.forwarded().get(0).record().timestamp());
    p.close();
    assertTrue(made.get(1).isClosed());
  }

  @Test
  void shouldSegmentAHandedOnQueryOnTheImageItCarriesWithoutFetchingItAgain() {
    SegmentationProcessor p = processor();
    MockProcessorContext<String, Object> ctx = context();
    p.init(ctx);
    // a reference no loader here may read (no allowed roots): fetching it again would dead-letter the query
    ReasonedQuery r = ReasonedQuery.newBuilder()
        .setQuery(TestData.query("q1", "cam-1", "segment the heart", TestData.reference("file:///nowhere/frame.png",
            "0".repeat(64))))
        .setAnswer("a heart").setTarget("the heart")
        .setAttributes(new Attributes("red", "heart", "small", "top left", null))
        .setReasoningModel(OutputRecords.modelRef(FakeReasoner.ID))
        .setReasonedAt(Instant.EPOCH).build();
    java.awt.image.BufferedImage decoded = new java.awt.image.BufferedImage(128, 96,
        java.awt.image.BufferedImage.TYPE_INT_RGB);
    p.process(new Record<>("cam-1", new HandedOnQuery(r, decoded), 7L));
    assertEquals(1, ctx.forwarded().size());
    assertEquals("masks", ctx.forwarded().get(0).childName().orElseThrow());
    ImageMask mask = (ImageMask) ctx.forwarded().get(0).record().value();
    assertEquals("q1", mask.getQueryId());
    assertEquals(128, mask.getWidth());
    assertEquals(96, mask.getHeight());
    p.close();
  }
}
