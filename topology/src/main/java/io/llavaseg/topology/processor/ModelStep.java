package io.llavaseg.topology.processor;

import io.llavaseg.model.ModelUnavailableException;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.Stage;
import io.llavaseg.topology.StageFailure;
import io.llavaseg.topology.inference.BatchingQueue;
import io.llavaseg.topology.inference.InferenceFailure;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The model step of a model stage's processor ({@link Stage#REASONING}, {@link Stage#SEGMENTATION}):
 * in {@link #init} it leases the stage's {@link BatchingQueue} and makes the stage's {@link
 * StageMetrics}, released in {@link #close}. {@link #infer} queues one request and waits for its
 * batch's result, records the inference time (a warning over the budget) and maps a failure to the
 * {@link StageFailure} of its dead letter: {@code INFERENCE_TIMEOUT}, else the stage's failure code
 * ({@code REASONING_FAILED}, {@code SEGMENTATION_FAILED}). A model that is unavailable for a reason
 * that may pass ({@link ModelUnavailableException}: its server down, overloaded or too slow, after
 * the backend's own retries; or a remote model that did not answer in time) is not the record's fault: the exception leaves the processor, so the
 * record is not committed and no dead letter is written; the service replaces the stream thread
 * and the record is processed again from the last commit. The outage shows in {@code
 * llavaseg_model_available{stage}} and in readiness until the model answers again. {@link #deadLetter} writes a failed
 * record's dead letter to the dead-letter child; {@link #decodeOrDeadLetter} deserializes a raw input
 * record or dead-letters it.
 */
final class ModelStep<I, O> {
  private final Stage stage;
  private final BatchingQueue<?, I, O> queue;
  private final String model;
  private final ErrorCode failureCode;
  private final StageSettings settings;
  private final String deadLetterChild;
  private ProcessorContext<String, Object> context;
  private BatchingQueue<?, I, O>.Lease lease;
  private StageMetrics metrics;
  private DeadLetterRoute deadLetters;

  private ModelStep(Stage stage, BatchingQueue<?, I, O> queue, String model, ErrorCode failureCode,
      StageSettings settings, String deadLetterChild) {
    this.stage = stage;
    this.queue = queue;
    this.model = model;
    this.failureCode = failureCode;
    this.settings = settings;
    this.deadLetterChild = deadLetterChild;
  }

  static <I, O> ModelStep<I, O> reasoning(BatchingQueue<?, I, O> queue, StageSettings settings,
      String deadLetterChild) {
    return new ModelStep<>(Stage.REASONING, queue, "reasoner", ErrorCode.REASONING_FAILED, settings, deadLetterChild);
  }

  static <I, O> ModelStep<I, O> segmentation(BatchingQueue<?, I, O> queue, StageSettings settings,
      String deadLetterChild) {
    return new ModelStep<>(Stage.SEGMENTATION, queue, "segmenter", ErrorCode.SEGMENTATION_FAILED, settings, deadLetterChild);
  }

  void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.lease = queue.acquire();
    this.metrics = new StageMetrics(context, stage.configName(), settings.metrics());
    this.deadLetters = new DeadLetterRoute(context, metrics, deadLetterChild);
  }

  /** The model's output for {@code input}, waiting for its batch. */
  O infer(I input, String queryId) throws StageFailure {
    long start = System.nanoTime();
    O output;
    try {
      output = lease.infer(input);
    } catch (InferenceFailure e) {
      if (e.getCause() instanceof ModelUnavailableException || (e.timedOut() && settings.remote(stage))) {
        settings.metrics().modelUnavailable(stage.configName());
        throw new ModelUnavailableException(stage.configName() + " of query " + queryId
            + " waits for its model, the record will be retried: " + e.getMessage(), e);
      }
      if (e.timedOut()) {
        throw new StageFailure(ErrorCode.INFERENCE_TIMEOUT, e.getMessage(), e);
      }
      throw new StageFailure(failureCode, model + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the " + model, e);
    }
    settings.metrics().modelAvailable(stage.configName());
    metrics.inference(Duration.ofNanos(System.nanoTime() - start), settings.inferenceBudget(), queryId);
    return output;
  }

  /** Writes the dead letter of {@code raw}, failed in this stage. */
  void deadLetter(Record<byte[], byte[]> raw, StageFailure failure, String queryId) {
    deadLetters.forward(raw, stage.configName(), failure, queryId);
  }

  /** See {@link DeadLetterRoute#decodeOrForward}. */
  <T> T decodeOrDeadLetter(Deserializer<T> deserializer, Record<byte[], byte[]> raw) {
    return deadLetters.decodeOrForward(deserializer, raw);
  }

  Instant now() {
    return Instant.ofEpochMilli(context.currentSystemTimeMs());
  }

  void close() {
    if (lease != null) {
      lease.close();
      lease = null;
    }
    if (metrics != null) {
      metrics.close();
      metrics = null;
    }
    deadLetters = null;
  }
}
