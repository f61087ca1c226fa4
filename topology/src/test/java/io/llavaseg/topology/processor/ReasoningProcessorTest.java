package io.llavaseg.topology.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.schemas.DeadLetter;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.ReasonedQuery;
import io.llavaseg.schemas.registry.RegistryAvroSerde;
import io.llavaseg.topology.FakeReasoner;
import io.llavaseg.topology.InMemorySchemaRegistry;
import io.llavaseg.topology.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import io.llavaseg.topology.TestData;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import io.llavaseg.model.ModelUnavailableException;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Reasoning;
import io.llavaseg.topology.LlavasegTopology;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.inference.BatchingQueue;
import io.llavaseg.topology.inference.InferenceMetrics;
import io.llavaseg.model.pipeline.ImageQuestion;
import io.llavaseg.topology.model.Models;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/** Processor unit tests: the reasoner's lifecycle (init, close, init again) and the children it forwards to. */
class ReasoningProcessorTest {
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final InferenceMetrics metrics = InferenceMetrics.standalone();
  private final List<FakeReasoner> made = new CopyOnWriteArrayList<>();
  private final BatchingQueue<Reasoner, ImageQuestion, Reasoning> workers = LlavasegTopology.reasoningQueue(
      ServiceConfig.from(new Properties()), new Models(device -> {
        FakeReasoner r = new FakeReasoner();
        made.add(r);
        return r;
      }, null, PromptTemplates.DEFAULT));

  private static MockProcessorContext<String, Object> context() {
    MockProcessorContext<String, Object> ctx = new MockProcessorContext<>();
    ctx.setCurrentSystemTimeMs(1_800_000_000_000L);
    return ctx;
  }

  private ReasoningProcessor processor() {
    Topics topics = Topics.create(new Topics.ValueSerdes() {
      @Override
      public <T extends SpecificRecord> Serde<T> forClass(Class<T> type) {
        return new RegistryAvroSerde<>(type, registry);
      }
    });
    StageSettings settings = new StageSettings(Duration.ofSeconds(30), ServiceConfig.from(new Properties()).limits(),
        new OutputGuard(1_000_000), topics, metrics);
    return new ReasoningProcessor(workers, settings, new ReasoningProcessor.Children("answers", "reasoned", "dlq"));
  }

  private static Record<String, ValidatedQuery> record(String id, String question) {
    ImageQuery q = TestData.query(id, "cam-1", question);
    ValidatedQuery v = new ValidatedQuery(q, new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB),
        "cam-1".getBytes(), new byte[] {0, 1});
    return new Record<>("cam-1", v, 1000L);
  }

  @Test
  void shouldCreateTheReasonerInInitAndCloseItInClose() {
    ReasoningProcessor p = processor();
    MockProcessorContext<String, Object> ctx = context();
    assertTrue(made.isEmpty());
    p.init(ctx);
    p.process(record("q1", "segment the star"));
    assertEquals(1, made.size());
    List<CapturedForward<? extends String, ?>> out = ctx.forwarded();
    assertEquals(List.of("answers", "reasoned"), out.stream().map(f -> f.childName().orElseThrow()).toList());
    assertInstanceOf(ImageAnswer.class, out.get(0).record().value());
    assertInstanceOf(ReasonedQuery.class, out.get(1).record().value());
    assertEquals(1000L, out.get(0).record().timestamp());
    p.close();
    assertTrue(made.get(0).isClosed());
  }

  @Test
  void shouldWorkAgainWhenInitialisedAfterClose() {
    ReasoningProcessor p = processor();
    MockProcessorContext<String, Object> ctx = context();
    p.init(ctx);
    p.close();
    p.init(ctx);
    p.process(record("q2", "segment the heart"));
    assertEquals(2, made.size());
    assertTrue(made.get(0).isClosed());
    assertFalse(made.get(1).isClosed());
    assertEquals("q2", ((ImageAnswer) ctx.forwarded().get(0).record().value()).getQueryId());
    p.close();
    p.close();
    assertTrue(made.get(1).isClosed());
  }

  @Test
  void shouldForwardADeadLetterWhenTheReasonerThrows() {
    ReasoningProcessor p = processor();
    MockProcessorContext<String, Object> ctx = context();
    ctx.setRecordMetadata("image-queries", 2, 41L);
    p.init(ctx);
    p.process(record("q3", "explode please"));
    CapturedForward<? extends String, ?> f = ctx.forwarded().get(0);
    assertEquals("dlq", f.childName().orElseThrow());
    DeadLetter d = (DeadLetter) f.record().value();
    assertEquals("REASONING_FAILED", d.getErrorCode());
    assertEquals(2, d.getOriginalPartition());
    assertEquals(41L, d.getOriginalOffset());
    assertEquals(1, ctx.forwarded().size());
    p.close();
  }

  @Test
  void shouldLeaveARecordUncommittedAndWriteNoDeadLetterWhileItsModelIsUnavailable() {
    ReasoningProcessor p = processor();
    MockProcessorContext<String, Object> ctx = context();
    p.init(ctx);
    FakeReasoner.OUTAGE.set(true);
    try {
      ModelUnavailableException e =
          assertThrows(ModelUnavailableException.class, () -> p.process(record("q4", "segment the outage star")));
      assertTrue(e.getMessage().contains("q4") && e.getMessage().contains("retried"), e.getMessage());
      assertTrue(ctx.forwarded().isEmpty(), "nothing forwarded: no answer, no dead letter");
      assertEquals(java.util.Set.of("reasoning"), metrics.unavailable());
    } finally {
      FakeReasoner.OUTAGE.set(false);
    }
    p.process(record("q4", "segment the outage star"));
    assertEquals(List.of("answers", "reasoned"), ctx.forwarded().stream().map(f -> f.childName().orElseThrow()).toList());
    assertTrue(metrics.unavailable().isEmpty());
    p.close();
  }
}
