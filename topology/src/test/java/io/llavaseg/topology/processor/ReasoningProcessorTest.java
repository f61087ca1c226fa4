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
import org.apache.kafka.streams.state.KeyValueStore;
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
      ServiceConfig.from(synchronous()), new Models(device -> {
        FakeReasoner r = new FakeReasoner();
        made.add(r);
        return r;
      }, null, PromptTemplates.DEFAULT));

  private static MockProcessorContext<String, Object> context() {
    return MockContexts.withInFlightStores();
  }

  /** Each result awaited before the next record: outputs are forwarded within process(). */
  private static Properties synchronous() {
    Properties p = new Properties();
    p.setProperty("llavaseg.reasoning.batch.max-in-flight", "1");
    return p;
  }

  /** The processor on the synchronous queue: outputs are forwarded within process(). */
  private ReasoningProcessor processor() {
    return inFlightProcessor(workers);
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
    // the stream thread dies of it: the task is closed, its open transaction aborted (the record is
    // neither committed nor in the restored in-flight store), and the record is read again
    p.close();
    ctx = context();
    p.init(ctx);
    p.process(record("q4", "segment the outage star"));
    assertEquals(List.of("answers", "reasoned"), ctx.forwarded().stream().map(f -> f.childName().orElseThrow()).toList());
    assertTrue(metrics.unavailable().isEmpty());
    p.close();
  }

  /** The processor on {@code queue} (with the default in-flight slots, outputs come back through the drain). */
  private ReasoningProcessor inFlightProcessor(BatchingQueue<Reasoner, ImageQuestion, Reasoning> queue) {
    Topics topics = Topics.create(new Topics.ValueSerdes() {
      @Override
      public <T extends SpecificRecord> Serde<T> forClass(Class<T> type) {
        return new RegistryAvroSerde<>(type, registry);
      }
    });
    StageSettings settings = new StageSettings(Duration.ofSeconds(30), ServiceConfig.from(new Properties()).limits(),
        new OutputGuard(1_000_000), topics, metrics);
    return new ReasoningProcessor(queue, settings, new ReasoningProcessor.Children("answers", "reasoned", "dlq", false),
        LlavasegTopology.REASONING_IN_FLIGHT_STORE);
  }

  private BatchingQueue<Reasoner, ImageQuestion, Reasoning> defaultQueue() {
    return LlavasegTopology.reasoningQueue(ServiceConfig.from(new Properties()), new Models(device -> {
      FakeReasoner r = new FakeReasoner();
      made.add(r);
      return r;
    }, null, PromptTemplates.DEFAULT));
  }

  /** Punctuates (the drain) until {@code n} records were forwarded, for at most 10 s. */
  private static void drainUntil(MockProcessorContext<String, Object> ctx, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (ctx.forwarded().size() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
      for (MockProcessorContext.CapturedPunctuator p : ctx.scheduledPunctuators()) {
        p.getPunctuator().punctuate(System.currentTimeMillis());
      }
    }
  }

  private static KeyValueStore<Long, byte[]> inFlightStore(MockProcessorContext<String, Object> ctx) {
    return ctx.getStateStore(LlavasegTopology.REASONING_IN_FLIGHT_STORE);
  }

  @Test
  void shouldKeepAcceptedQueriesInItsStoreUntilTheirOutputsAreForwardedInOrder() throws Exception {
    ReasoningProcessor p = inFlightProcessor(defaultQueue());
    MockProcessorContext<String, Object> ctx = context();
    p.init(ctx);
    for (int i = 0; i < 5; i++) {
      p.process(record("q" + i, "segment the star"));
    }
    assertTrue(inFlightStore(ctx).approximateNumEntries() + ctx.forwarded().size() / 2 == 5,
        "every accepted query is either in the store or answered");
    drainUntil(ctx, 10);
    List<String> answered = ctx.forwarded().stream().filter(f -> f.childName().orElseThrow().equals("answers"))
        .map(f -> ((ImageAnswer) f.record().value()).getQueryId()).toList();
    assertEquals(List.of("q0", "q1", "q2", "q3", "q4"), answered, "in the order they came");
    assertEquals(0, inFlightStore(ctx).approximateNumEntries(), "forwarded queries leave the store");
    p.close();
  }

  @Test
  void shouldAnswerTheQueriesItsStoreStillHoldsAfterARestart() throws Exception {
    // a query accepted by an instance that crashed before answering it: its store entry (restored
    // from the changelog) holds the record as read
    ImageQuery q = TestData.query("q-restored", "cam-1", "segment the star");
    byte[] value = new RegistryAvroSerde<>(ImageQuery.class, registry).serializer().serialize(Topics.IMAGE_QUERIES, q);
    org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
    headers.add("trace", new byte[] {1, 2});
    AcceptedRecord accepted = new AcceptedRecord(new Record<>("cam-1".getBytes(), value, 1234L, headers),
        Topics.IMAGE_QUERIES, 3, 77L);
    MockProcessorContext<String, Object> ctx = context();
    inFlightStore(ctx).put(41L, accepted.encode());

    ReasoningProcessor p = inFlightProcessor(defaultQueue());
    p.init(ctx);
    drainUntil(ctx, 2);
    assertEquals(List.of("answers", "reasoned"), ctx.forwarded().stream().map(f -> f.childName().orElseThrow()).toList());
    Record<? extends String, ?> answer = ctx.forwarded().get(0).record();
    assertEquals("q-restored", ((ImageAnswer) answer.value()).getQueryId());
    assertEquals("cam-1", answer.key());
    assertEquals(1234L, answer.timestamp());
    assertEquals(2, answer.headers().lastHeader("trace").value()[1]);
    assertEquals(0, inFlightStore(ctx).approximateNumEntries());
    // the next accepted record is numbered after the restored one
    p.process(record("q-next", "segment the star"));
    drainUntil(ctx, 4);
    assertEquals("q-next", ((ImageAnswer) ctx.forwarded().get(2).record().value()).getQueryId());
    p.close();
  }

  @Test
  void shouldDeadLetterARestoredQueryWithWhereItWasReadWhenItsModelFails() throws Exception {
    ImageQuery q = TestData.query("q-bad", "cam-1", "explode please");
    byte[] value = new RegistryAvroSerde<>(ImageQuery.class, registry).serializer().serialize(Topics.IMAGE_QUERIES, q);
    AcceptedRecord accepted = new AcceptedRecord(new Record<>("cam-1".getBytes(), value, 5L,
        new org.apache.kafka.common.header.internals.RecordHeaders()), Topics.IMAGE_QUERIES, 2, 99L);
    MockProcessorContext<String, Object> ctx = context();
    inFlightStore(ctx).put(0L, accepted.encode());
    ReasoningProcessor p = inFlightProcessor(defaultQueue());
    p.init(ctx);
    drainUntil(ctx, 1);
    DeadLetter d = (DeadLetter) ctx.forwarded().get(0).record().value();
    assertEquals("REASONING_FAILED", d.getErrorCode());
    assertEquals(2, d.getOriginalPartition());
    assertEquals(99L, d.getOriginalOffset());
    assertEquals("q-bad", d.getQueryId());
    assertEquals(0, inFlightStore(ctx).approximateNumEntries());
    p.close();
  }
}
