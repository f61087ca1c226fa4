package io.llavaseg.topology.processor;

import io.llavaseg.model.ModelUnavailableException;
import io.llavaseg.topology.ErrorCode;
import io.llavaseg.topology.Stage;
import io.llavaseg.topology.StageFailure;
import io.llavaseg.topology.inference.BatchingQueue;
import io.llavaseg.topology.inference.InferenceFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The model step of a model stage's processor ({@link Stage#REASONING}, {@link Stage#SEGMENTATION}):
 * accepts records, sends their model inputs to the stage's {@link BatchingQueue} without waiting,
 * and forwards each record's outputs once its result is back, in the order the records were
 * accepted.
 *
 * <p><b>Batches formed across records, not across threads.</b> A stream thread may have {@link
 * io.llavaseg.topology.inference.BatchPolicy#maxInFlight()} requests in flight, so one thread alone
 * can fill a batch; the outputs are forwarded by the next {@code process()} call of the task or by a
 * wall-clock punctuation every {@link #DRAIN_INTERVAL}.
 *
 * <p><b>Exactly once.</b> An accepted record is written to the stage's in-flight store (in memory,
 * changelogged) in the transaction that commits its input offset, and deleted in the transaction
 * that writes its outputs. A crash or a migrated task loses nothing: the store is restored from its
 * changelog and the records still in it are sent to the model again (in the order they were
 * accepted) by the task's next owner, before any output of theirs was committed. exactly_once_v2
 * stays intact. The thread's commit is requested ({@code ProcessorContext.commit()}) shortly after
 * its tasks forwarded a batch's results (see {@link #requestCommit}), so a batch costs one
 * transaction per thread and its results do not wait for {@code commit.interval.ms}. With fused
 * stages the reasoning step hands a query on to the segmentation step of the same task: the query
 * leaves the reasoning store and enters the segmentation store in one transaction, and only the
 * step that finishes it asks for the commit ({@link Logic#continuesInTask}).
 *
 * <p><b>Failures.</b> A model that throws for a record gives its dead letter (the stage's failure
 * code, or {@code INFERENCE_TIMEOUT} when no result came within the request timeout); the {@link
 * Logic} decides the rest ({@link StageFailure}s of its own). A model that is unavailable for a
 * reason that may pass ({@link ModelUnavailableException}: its server down, overloaded or too slow,
 * after the backend's own retries; or a remote model that did not answer in time) is not the
 * record's fault: the exception leaves the processor, so the open transaction is aborted, no dead
 * letter is written, the service replaces the stream thread and the record is sent again from the
 * restored store. The outage shows in {@code llavaseg_model_available{stage}} and in readiness
 * until the model answers again.
 *
 * @param <P> what the logic keeps of an accepted record between its acceptance and its outputs
 * @param <I> the model's input
 * @param <O> the model's output
 */
final class ModelStep<P, I, O> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelStep.class);

  /** How often a task forwards the results that came back while it had no record to process. */
  static final Duration DRAIN_INTERVAL = Duration.ofMillis(5);

  /** When the calling stream thread forwarded its first output not yet asked to be committed; 0: none. */
  private static final ThreadLocal<long[]> UNCOMMITTED_SINCE = ThreadLocal.withInitial(() -> new long[1]);

  /** What a stage does before and after its model. */
  interface Logic<P, I, O> {
    /**
     * The state kept for an accepted record and its model input ({@code null}: the record needs no
     * inference, its outputs come from the state alone).
     *
     * @param decoded what the processor has already made of the record in this task (a validated
     *     query), or null when the record comes back from the in-flight store after a restart
     * @throws StageFailure the record's dead letter
     */
    Prepared<P, I> prepare(Record<byte[], byte[]> raw, Object decoded) throws StageFailure;

    /**
     * Forwards the record's outputs.
     *
     * @param output the model's output, null when {@link #prepare} gave no input
     * @throws StageFailure the record's dead letter instead of its outputs
     */
    void complete(Record<byte[], byte[]> raw, P state, O output) throws StageFailure;

    /**
     * Whether the record, once its outputs are forwarded, goes on to another model step of the same
     * task (fused stages) instead of being finished: then that step asks for the commit that makes
     * its outputs visible, and this one does not.
     */
    default boolean continuesInTask(P state) {
      return false;
    }

    /** The query id in {@code state}, for logs and dead letters. */
    String queryId(P state);

    /** The query id of a record not prepared yet ({@code decoded} as given to {@link #prepare}), or null. */
    default String queryIdOf(Object decoded) {
      return null;
    }
  }

  /** A prepared record: the state to keep and the model input (null: no inference). */
  record Prepared<P, I>(P state, I input) {}

  /** An accepted record on its way through the model. */
  private final class Entry {
    final long seq;
    final AcceptedRecord accepted;
    P state;
    BatchingQueue<?, I, O>.Request request;
    boolean prepared;

    Entry(long seq, AcceptedRecord accepted) {
      this.seq = seq;
      this.accepted = accepted;
    }
  }

  private final Stage stage;
  private final BatchingQueue<?, I, O> queue;
  private final String model;
  private final ErrorCode failureCode;
  private final StageSettings settings;
  private final String deadLetterChild;
  private final String storeName;
  private final Logic<P, I, O> logic;
  private final ArrayDeque<Entry> inFlight = new ArrayDeque<>();
  private ProcessorContext<String, Object> context;
  private BatchingQueue<?, I, O>.Lease lease;
  private StageMetrics metrics;
  private DeadLetterRoute deadLetters;
  private KeyValueStore<Long, byte[]> store;
  private Cancellable drainSchedule;
  private long nextSeq;
  /** Records taken back from the store at init, not yet sent to the model (sent at the first drain). */
  private boolean restoredPending;

  ModelStep(Stage stage, BatchingQueue<?, I, O> queue, ErrorCode failureCode, StageSettings settings,
      String deadLetterChild, String storeName, Logic<P, I, O> logic) {
    this.stage = stage;
    this.queue = queue;
    this.model = stage == Stage.REASONING ? "reasoner" : "segmenter";
    this.failureCode = failureCode;
    this.settings = settings;
    this.deadLetterChild = deadLetterChild;
    this.storeName = storeName;
    this.logic = logic;
  }

  /**
   * Leases the queue, opens the in-flight store and takes back the records it still holds (sent to
   * the model again at the first drain), and schedules the drain.
   */
  void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.lease = queue.acquire();
    this.metrics = new StageMetrics(context, stage.configName(), settings.metrics());
    this.deadLetters = new DeadLetterRoute(context, metrics, deadLetterChild);
    this.store = context.getStateStore(storeName);
    inFlight.clear();
    nextSeq = 0;
    try (KeyValueIterator<Long, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Long, byte[]> kv = it.next();
        inFlight.add(new Entry(kv.key, AcceptedRecord.decode(kv.value)));
        nextSeq = Math.max(nextSeq, kv.key + 1);
      }
    }
    restoredPending = !inFlight.isEmpty();
    if (restoredPending) {
      LOG.info("{} takes back {} accepted records from its in-flight store", stage.configName(),
          inFlight.size());
    }
    this.drainSchedule = context.schedule(DRAIN_INTERVAL, PunctuationType.WALL_CLOCK_TIME, t -> drain());
  }

  /**
   * Accepts the current input record: forwards what is ready, prepares the record (its dead letter
   * if that fails), keeps it in the in-flight store and sends its input to the model. When the
   * thread has no slot left for another request, waits for this task's oldest result.
   *
   * @param raw the record as read (key and value bytes, timestamp, headers)
   * @param decoded what the processor already made of it (see {@link Logic#prepare}), or null
   */
  void accept(Record<byte[], byte[]> raw, Object decoded) {
    accept(raw, decoded, context.recordMetadata());
  }

  /**
   * As {@link #accept(Record, Object)}, for a record handed on by another step of the task: {@code
   * origin} says where it would have been read (kept for its dead letter).
   */
  void accept(Record<byte[], byte[]> raw, Object decoded, Optional<RecordMetadata> origin) {
    drain();
    Entry entry = new Entry(nextSeq++, AcceptedRecord.of(raw, origin));
    if (!prepareAndSubmit(entry, decoded)) {
      return;
    }
    store.put(entry.seq, entry.accepted.encode());
    inFlight.add(entry);
    if (entry.request != null && lease.freeSlots() == 0) {
      awaitOldest();
    }
    drain();
  }

  /** Forwards, in acceptance order, the records whose results are in; sends restored records first. */
  void drain() {
    if (restoredPending) {
      restoredPending = false;
      for (Entry e : java.util.List.copyOf(inFlight)) {
        if (!e.prepared && !prepareAndSubmit(e, null)) {
          inFlight.remove(e);
          store.delete(e.seq);
        }
      }
    }
    Entry head;
    boolean forwarded = false;
    while ((head = inFlight.peek()) != null) {
      if (head.request != null && !head.request.isDone()) {
        if (!head.request.expired()) {
          break;
        }
        awaitResult(head);
      }
      boolean finished = finish(head);
      inFlight.poll();
      store.delete(head.seq);
      forwarded |= finished;
    }
    requestCommit(forwarded);
  }

  /**
   * Outputs become visible to read_committed consumers at the thread's next commit (one transaction
   * for all its tasks). A batch's results reach the thread's tasks within one drain interval of each
   * other, so the commit is asked for {@code llavaseg.output.commit-delay} (default 5 ms, one drain
   * interval) after the thread's first uncommitted output: at most one transaction per batch, a few
   * milliseconds after its results, whatever {@code commit.interval.ms}; a longer delay lets the
   * results of several batches (both stages') share a transaction.
   */
  private void requestCommit(boolean forwarded) {
    long[] since = UNCOMMITTED_SINCE.get();
    long now = context.currentSystemTimeMs();
    if (forwarded && since[0] == 0) {
      since[0] = now;
    }
    if (since[0] != 0 && now - since[0] > settings.outputCommitDelay().toMillis()) {
      context.commit();
      since[0] = 0;
    }
  }

  private void awaitOldest() {
    for (Entry e : inFlight) {
      if (e.request != null && !e.request.isDone()) {
        awaitResult(e);
        return;
      }
    }
  }

  private void awaitResult(Entry e) {
    try {
      e.request.await();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the " + model, ie);
    }
  }

  /** Prepares the entry and sends its input; false when it was dead-lettered instead. */
  private boolean prepareAndSubmit(Entry e, Object decoded) {
    Record<byte[], byte[]> raw = e.accepted.raw();
    try {
      Prepared<P, I> prepared;
      try {
        prepared = logic.prepare(raw, decoded);
      } catch (RuntimeException ex) {
        if (ex instanceof ModelUnavailableException || ex instanceof io.llavaseg.topology.DependencyUnavailableException) {
          throw ex;
        }
        throw StageFailure.unexpected(ex);
      }
      e.state = prepared.state();
      e.prepared = true;
      if (prepared.input() != null) {
        e.request = lease.submit(prepared.input());
      }
      return true;
    } catch (StageFailure f) {
      deadLetters.forward(raw, Optional.of(e.accepted), stage.configName(), f,
          e.state == null ? logic.queryIdOf(decoded) : logic.queryId(e.state));
      return false;
    } catch (InferenceFailure f) {
      StageFailure failure = failureOf(f, e);
      deadLetters.forward(raw, Optional.of(e.accepted), stage.configName(), failure, logic.queryId(e.state));
      return false;
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while queueing for the " + model, ie);
    }
  }

  /**
   * Forwards the entry's outputs, or its dead letter; whether the record is finished (false: it went
   * on to another step of the task, see {@link Logic#continuesInTask}).
   */
  private boolean finish(Entry e) {
    Record<byte[], byte[]> raw = e.accepted.raw();
    String queryId = logic.queryId(e.state);
    try {
      O output = null;
      if (e.request != null) {
        try {
          output = e.request.result();
        } catch (InferenceFailure f) {
          throw failureOf(f, e);
        }
        settings.metrics().modelAvailable(stage.configName());
        metrics.inference(e.request.age(), settings.inferenceBudget(), queryId);
      }
      try {
        logic.complete(raw, e.state, output);
      } catch (RuntimeException ex) {
        throw StageFailure.unexpected(ex);
      }
      return !logic.continuesInTask(e.state);
    } catch (StageFailure f) {
      deadLetters.forward(raw, Optional.of(e.accepted), stage.configName(), f, queryId);
      return true;
    }
  }

  /** The dead letter's failure for an inference failure; throws when the model is unavailable instead. */
  private StageFailure failureOf(InferenceFailure e, Entry entry) {
    String queryId = logic.queryId(entry.state);
    if (e.getCause() instanceof ModelUnavailableException || (e.timedOut() && settings.remote(stage))) {
      settings.metrics().modelUnavailable(stage.configName());
      throw new ModelUnavailableException(stage.configName() + " of query " + queryId
          + " waits for its model, the record will be retried: " + e.getMessage(), e);
    }
    if (e.timedOut()) {
      return new StageFailure(ErrorCode.INFERENCE_TIMEOUT, e.getMessage(), e);
    }
    return new StageFailure(failureCode, model + " failed: " + e.getCause(), e.getCause());
  }

  /** Writes the dead letter of {@code raw}, read as the current record, failed in this stage before acceptance. */
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

  /**
   * Withdraws the requests still in flight (their records stay in the store, committed, and are
   * taken back by the task's next owner) and releases the queue.
   */
  void close() {
    if (drainSchedule != null) {
      drainSchedule.cancel();
      drainSchedule = null;
    }
    for (Entry e : inFlight) {
      if (e.request != null) {
        e.request.cancel();
      }
    }
    inFlight.clear();
    if (lease != null) {
      lease.close();
      lease = null;
    }
    if (metrics != null) {
      metrics.close();
      metrics = null;
    }
    deadLetters = null;
    store = null;
  }
}
