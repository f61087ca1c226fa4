package io.llavaseg.topology.processor;

import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops a query whose {@code (source_id, query_id)} was already accepted within {@code window} of
 * its time (either side, so an out-of-order redelivery counts too); forwards the others and records
 * them. Two sources may reuse each other's query ids. A query's time is its record timestamp, but
 * never later than the wall clock: a record dated in the future (a producer's clock ahead) counts
 * as now, so it cannot advance the store's stream time and expire the ids of the last window.
 * Records older than the store's retention are not deduplicated (their ids have expired). Event-sourced producers redeliver; keys are source ids, so every delivery of one query lands
 * in the same partition, task and store. State: a persistent window store (query id -> record
 * timestamp) whose retention is the window, so expiry is the store's segment dropping, driven by
 * stream time; its changelog is written in the task's transaction, so under exactly_once_v2 an
 * accepted id and the outputs it caused are committed together. A query that later goes to the
 * dead-letter topic stays accepted: its outcome is that dead letter. Drops are counted and logged
 * at debug, not dead-lettered.
 */
public final class DedupProcessor implements Processor<String, ValidatedQuery, String, ValidatedQuery> {
  private static final Logger LOG = LoggerFactory.getLogger(DedupProcessor.class);

  private final String storeName;
  private final Duration window;
  private WindowStore<String, Long> seen;
  private ProcessorContext<String, ValidatedQuery> context;
  private long dropped;
  private StageMetrics metrics;

  public DedupProcessor(String storeName, Duration window) {
    this.storeName = storeName;
    this.window = window;
  }

  @Override
  public void init(ProcessorContext<String, ValidatedQuery> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
    this.metrics = new StageMetrics(context, "dedup");
  }

  @Override
  public void close() {
    if (metrics != null) {
      metrics.close();
      metrics = null;
    }
  }

  @Override
  public void process(Record<String, ValidatedQuery> record) {
    String id = key(record.value().query().getSourceId(), record.value().query().getQueryId());
    long ts = Math.min(record.timestamp(), context.currentSystemTimeMs());
    long from = Math.max(0, ts - window.toMillis());
    long to = ts > Long.MAX_VALUE - window.toMillis() ? Long.MAX_VALUE : ts + window.toMillis();
    try (WindowStoreIterator<Long> it = seen.fetch(id, from, to)) {
      if (it.hasNext()) {
        dropped++;
        metrics.duplicateDropped();
        LOG.debug("query {} already accepted at {}: dropped (duplicates dropped by this task: {})",
            id, it.next().value, dropped);
        return;
      }
    }
    seen.put(id, ts, ts);
    context.forward(record);
  }

  /** The store key of a query: its source and its id, unambiguous whatever characters they hold. */
  static String key(String sourceId, String queryId) {
    return sourceId.length() + ":" + sourceId + "/" + queryId;
  }

  /** Duplicates dropped since this processor was created. */
  public long dropped() {
    return dropped;
  }
}
