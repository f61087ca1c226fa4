package io.llavaseg.topology.processor;

import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Reasoning;
import io.llavaseg.model.pipeline.ImageQuestion;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.ReasonedQuery;
import io.llavaseg.topology.StageFailure;
import io.llavaseg.topology.inference.BatchingQueue;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The reasoning stage's model step: reads validated queries, runs the pipeline's reasoning half
 * ({@link io.llavaseg.model.pipeline.QueryPipeline#reasonAll}) through the stage's batching queue
 * (see {@link ModelStep}: leased in {@code init()}, released in {@code close()}; the call waits for
 * the query's batch, so outputs and offset commit share one transaction) and forwards an {@code
 * ImageAnswer} to the answers child and a {@code ReasonedQuery} to the reasoned child (unless the
 * query's option {@code mask=false} asks for the answer only), in that order. A reasoner that throws
 * gives a dead letter {@code REASONING_FAILED}; outputs over {@code llavaseg.output.max-bytes} give
 * {@code OUTPUT_TOO_LARGE} (neither output is written then). A query with no target is not a
 * failure: it is answered, and the segmentation stage emits its empty mask.
 */
public final class ReasoningProcessor implements Processor<String, ValidatedQuery, String, Object> {

  /** Option key; {@code mask=false} skips the segmentation stage for that query. */
  public static final String OPTION_MASK = "mask";

  /** The names of the child nodes the processor forwards to. */
  public record Children(String answers, String reasoned, String deadLetters) {}

  private final ModelStep<ImageQuestion, Reasoning> step;
  private final StageSettings settings;
  private final Children children;
  private ProcessorContext<String, Object> context;

  public ReasoningProcessor(BatchingQueue<Reasoner, ImageQuestion, Reasoning> reasoners, StageSettings settings,
      Children children) {
    this.step = ModelStep.reasoning(reasoners, settings, children.deadLetters());
    this.settings = settings;
    this.children = children;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    step.init(context);
  }

  @Override
  public void process(Record<String, ValidatedQuery> record) {
    ValidatedQuery valid = record.value();
    ImageQuery query = valid.query();
    Instant now = step.now();
    ImageAnswer answer;
    ReasonedQuery reasoned = null;
    try {
      Reasoning reasoning = step.infer(new ImageQuestion(valid.image(), query.getQuestion()), query.getQueryId());
      try {
        answer = OutputRecords.answer(query, reasoning, now);
        settings.guard().check(settings.topics().answers(), answer);
        if (!"false".equalsIgnoreCase(query.getOptions().getOrDefault(OPTION_MASK, "true").strip())) {
          reasoned = OutputRecords.reasoned(query, reasoning, now);
          settings.guard().check(settings.topics().reasoned(), reasoned);
        }
      } catch (RuntimeException e) {
        throw StageFailure.unexpected(e);
      }
    } catch (StageFailure f) {
      step.deadLetter(new Record<>(valid.rawKey(), valid.rawValue(), record.timestamp(), record.headers()), f,
          query.getQueryId());
      return;
    }
    context.forward(record.withValue(answer), children.answers());
    if (reasoned != null) {
      context.forward(record.withValue(reasoned), children.reasoned());
    }
  }

  @Override
  public void close() {
    step.close();
  }
}
