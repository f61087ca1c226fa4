package io.llavaseg.topology.processor;

import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Reasoning;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.ReasonedQuery;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.StageFailure;
import io.llavaseg.topology.Topics;
import io.llavaseg.topology.inference.BatchingQueue;
import io.llavaseg.topology.inference.InferenceFailure;
import io.llavaseg.topology.inference.InferenceMetrics;
import io.llavaseg.topology.inference.ReasoningRequest;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The reasoning stage's model step: runs LLaVASeg's chain of thought ({@link
 * io.llavaseg.model.cot.ChainOfThought}) through the stage's batching queue (leased in {@code
 * init()}, released in {@code close()}; the call waits for the query's batch, so outputs and
 * offset commit share one transaction) and
 * forwards an {@code ImageAnswer} to the answers sink and a {@code ReasonedQuery} to the reasoned
 * sink (unless the query's option {@code mask=false} asks for the answer only), in that order. A
 * reasoner that throws gives a dead letter {@code REASONING_FAILED}; outputs over {@code
 * llavaseg.output.max-bytes} give {@code OUTPUT_TOO_LARGE} (neither output is written then). A query with no target is not a
 * failure: it is answered, and the segmentation stage emits its empty mask. Inference slower than
 * {@code inferenceBudget} is logged as a warning (it is not interrupted; the Kafka timeouts are sized
 * from the budget).
 */
public final class ReasoningProcessor implements Processor<String, ValidatedQuery, String, Object> {

  /** Option key; {@code mask=false} skips the segmentation stage for that query. */
  public static final String OPTION_MASK = "mask";

  private final BatchingQueue<Reasoner, ReasoningRequest, Reasoning> reasoners;
  private final InferenceMetrics inferenceMetrics;
  private final Duration inferenceBudget;
  private final String answersChild;
  private final String reasonedChild;
  private final String deadLetterChild;
  private final Topics topics;
  private final OutputGuard guard;
  private ProcessorContext<String, Object> context;
  private BatchingQueue<Reasoner, ReasoningRequest, Reasoning>.Lease lease;
  private StageMetrics metrics;

  public ReasoningProcessor(BatchingQueue<Reasoner, ReasoningRequest, Reasoning> reasoners, Duration inferenceBudget,
      Topics topics, OutputGuard guard, InferenceMetrics inferenceMetrics, String answersChild, String reasonedChild,
      String deadLetterChild) {
    this.topics = topics;
    this.guard = guard;
    this.reasoners = reasoners;
    this.inferenceMetrics = inferenceMetrics;
    this.inferenceBudget = inferenceBudget;
    this.answersChild = answersChild;
    this.reasonedChild = reasonedChild;
    this.deadLetterChild = deadLetterChild;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.lease = reasoners.acquire();
    this.metrics = new StageMetrics(context, DeadLetters.REASONING, inferenceMetrics);
  }

  @Override
  public void process(Record<String, ValidatedQuery> record) {
    ValidatedQuery valid = record.value();
    ImageQuery query = valid.query();
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    ImageAnswer answer;
    ReasonedQuery reasoned = null;
    try {
      Reasoning reasoning = reason(valid);
      try {
        answer = OutputRecords.answer(query, reasoning, now);
        guard.check(topics.answers(), answer);
        if (!"false".equalsIgnoreCase(query.getOptions().getOrDefault(OPTION_MASK, "true").strip())) {
          reasoned = OutputRecords.reasoned(query, reasoning, now);
          guard.check(topics.reasoned(), reasoned);
        }
      } catch (RuntimeException e) {
        throw StageFailure.unexpected(e);
      }
    } catch (StageFailure f) {
      metrics.deadLetter(f.code());
      context.forward(record.withValue(DeadLetters.of(DeadLetters.REASONING, f, query.getQueryId(),
          context.recordMetadata(), valid.rawKey(), valid.rawValue(), now)), deadLetterChild);
      return;
    }
    context.forward(record.withValue(answer), answersChild);
    if (reasoned != null) {
      context.forward(record.withValue(reasoned), reasonedChild);
    }
  }

  private Reasoning reason(ValidatedQuery valid) throws StageFailure {
    long start = System.nanoTime();
    Reasoning reasoning;
    try {
      reasoning = lease.infer(new ReasoningRequest(valid.image(), valid.query().getQuestion()));
    } catch (InferenceFailure e) {
      if (e.timedOut()) {
        throw new StageFailure(ErrorCode.INFERENCE_TIMEOUT, e.getMessage(), e);
      }
      throw new StageFailure(ErrorCode.REASONING_FAILED, "reasoner failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the reasoner", e);
    }
    metrics.inference(Duration.ofNanos(System.nanoTime() - start), inferenceBudget, valid.query().getQueryId());
    return reasoning;
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
