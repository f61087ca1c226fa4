package io.llavaseg.topology.processor;

import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Reasoning;
import io.llavaseg.model.pipeline.ImageQuestion;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.ReasonedQuery;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.Stage;
import io.llavaseg.topology.StageFailure;
import io.llavaseg.topology.image.ImageLoader;
import org.apache.kafka.common.serialization.Deserializer;
import io.llavaseg.topology.inference.BatchingQueue;
import java.awt.image.BufferedImage;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The reasoning stage's model step: reads validated queries, runs the pipeline's reasoning half
 * ({@link io.llavaseg.model.pipeline.QueryPipeline#reasonAll}) through the stage's batching queue
 * (see {@link ModelStep}: the query is kept in the in-flight store {@code storeName} until its
 * outputs are forwarded, so batches fill from one stream thread and a crash loses nothing) and
 * forwards an {@code ImageAnswer} to the answers child and a {@code ReasonedQuery} to the reasoned
 * child (unless the query's option {@code mask=false} asks for the answer only), in that order and
 * in the order the queries came. A reasoner that throws gives a dead letter {@code
 * REASONING_FAILED}; outputs over {@code llavaseg.output.max-bytes} give {@code OUTPUT_TOO_LARGE}
 * (neither output is written then). A query with no target is not a failure: it is answered, and
 * the segmentation stage emits its empty mask. A query taken back from the store after a restart is
 * read again from its bytes (its image decoded or fetched again).
 */
public final class ReasoningProcessor implements Processor<String, ValidatedQuery, String, Object> {

  /** Option key; {@code mask=false} skips the segmentation stage for that query. */
  public static final String OPTION_MASK = "mask";

  /**
   * The names of the child nodes the processor forwards to.
   *
   * @param reasonedInTask whether {@code reasoned} is the segmentation step of the same task (fused
   *     stages) rather than a sink: a query that goes on there is not finished here, and its commit
   *     is asked for when its mask is forwarded
   */
  public record Children(String answers, String reasoned, String deadLetters, boolean reasonedInTask) {}

  private final ModelStep<Accepted, ImageQuestion, Reasoning> step;
  private final StageSettings settings;
  private final Children children;
  private final Deserializer<ImageQuery> deserializer;
  private final ImageLoader loader;
  private ProcessorContext<String, Object> context;

  public ReasoningProcessor(BatchingQueue<Reasoner, ImageQuestion, Reasoning> reasoners, StageSettings settings,
      Children children, String storeName) {
    this.step = new ModelStep<>(Stage.REASONING, reasoners, ErrorCode.REASONING_FAILED, settings,
        children.deadLetters(), storeName, new Logic());
    this.settings = settings;
    this.children = children;
    this.deserializer = settings.topics().queries().valueSerde().deserializer();
    this.loader = new ImageLoader(settings.limits());
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    step.init(context);
  }

  @Override
  public void process(Record<String, ValidatedQuery> record) {
    ValidatedQuery valid = record.value();
    step.accept(new Record<>(valid.rawKey(), valid.rawValue(), record.timestamp(), record.headers()), valid);
  }

  /** An accepted query and its decoded image (the model's input holds the same image while it is in flight). */
  private record Accepted(ImageQuery query, BufferedImage image) {}

  private final class Logic implements ModelStep.Logic<Accepted, ImageQuestion, Reasoning> {
    @Override
    public ModelStep.Prepared<Accepted, ImageQuestion> prepare(Record<byte[], byte[]> raw, Object decoded)
        throws StageFailure {
      Accepted accepted;
      if (decoded instanceof ValidatedQuery valid) {
        accepted = new Accepted(valid.query(), valid.image());
      } else {
        ImageQuery query = Decoding.value(deserializer, settings.topics().queries().name(), raw.headers(), raw.value());
        accepted = new Accepted(query, loader.load(query.getImage()));
      }
      return new ModelStep.Prepared<>(accepted, new ImageQuestion(accepted.image(), accepted.query().getQuestion()));
    }

    @Override
    public void complete(Record<byte[], byte[]> raw, Accepted accepted, Reasoning reasoning) throws StageFailure {
      ImageQuery query = accepted.query();
      Instant now = step.now();
      ImageAnswer answer = OutputRecords.answer(query, reasoning, now);
      settings.guard().check(settings.topics().answers(), answer);
      ReasonedQuery reasoned = null;
      if (wantsMask(query)) {
        reasoned = OutputRecords.reasoned(query, reasoning, now);
        settings.guard().check(settings.topics().reasoned(), reasoned);
      }
      String key = query.getSourceId();
      context.forward(new Record<String, Object>(key, answer, raw.timestamp(), raw.headers()), children.answers());
      if (reasoned != null) {
        Object value = children.reasonedInTask() ? new HandedOnQuery(reasoned, accepted.image()) : reasoned;
        context.forward(new Record<String, Object>(key, value, raw.timestamp(), raw.headers()), children.reasoned());
      }
    }

    @Override
    public boolean continuesInTask(Accepted accepted) {
      return children.reasonedInTask() && wantsMask(accepted.query());
    }

    @Override
    public String queryId(Accepted accepted) {
      return accepted == null ? null : accepted.query().getQueryId();
    }

    @Override
    public String queryIdOf(Object decoded) {
      return decoded instanceof ValidatedQuery v ? v.query().getQueryId() : null;
    }
  }

  private static boolean wantsMask(ImageQuery query) {
    return !"false".equalsIgnoreCase(query.getOptions().getOrDefault(OPTION_MASK, "true").strip());
  }

  @Override
  public void close() {
    step.close();
  }
}
