package io.llavaseg.topology;

import io.llavaseg.topology.inference.BatchPolicy;
import java.time.Duration;

/**
 * Derives the Kafka timeouts that slow inference must fit into. {@code T} is the budget of one
 * inference batch ({@code llavaseg.inference.timeout}), {@code R = max.poll.records}, {@code S =
 * num.stream.threads}, and per stage {@code M} the requests one thread may have in flight, {@code
 * B} the batch max-size, {@code D} its max-delay:
 *
 * <pre>
 * per record             W = max over stages of (D + ceil(S * M / B) * T)
 *                                       (batch formation, then at worst every thread's requests
 *                                        ahead of it, served B at a time)
 * per poll               P = R * W
 * max.poll.interval.ms     = max(300000, 2 * P + 60000)  (Streams leaves its loop at half the interval)
 * transaction.timeout.ms   = max(60000,  2 * P + 60000)  (a transaction spans at most the records
 *                                                        processed between two commits)
 * </pre>
 *
 * Several workers per stage only shorten the wait, so W does not count them. The broker caps
 * transactions at {@code transaction.max.timeout.ms} (default 900000 = 15 min): with the defaults
 * (T = 30 s, R = 2, S = 2, M = 16, B = 8, D = 10 ms) both come to 540040 ms. A larger product is refused by
 * {@link #check} unless the caller raised the broker's cap ({@code llavaseg.broker.transaction.max.timeout}).
 * Values set explicitly in the properties file win over the derived ones.
 */
public record KafkaTimeouts(int maxPollRecords, long maxPollIntervalMs, long transactionTimeoutMs) {

  public static final long MIN_POLL_INTERVAL_MS = 300_000;
  public static final long MIN_TRANSACTION_TIMEOUT_MS = 60_000;
  public static final long MARGIN_MS = 60_000;

  /** {@code W} above: the longest one record can wait for its inference. */
  public static Duration worstWait(Duration batchBudget, int streamThreads, BatchPolicy... stages) {
    if (streamThreads < 1) {
      throw new IllegalArgumentException("num.stream.threads must be >= 1, got " + streamThreads);
    }
    Duration worst = Duration.ZERO;
    for (BatchPolicy p : stages) {
      long queued = (long) streamThreads * p.maxInFlight();
      long rounds = (queued + p.maxSize() - 1) / p.maxSize();
      Duration w = p.maxDelay().plus(batchBudget.multipliedBy(rounds));
      worst = w.compareTo(worst) > 0 ? w : worst;
    }
    return worst;
  }

  /** Timeouts for records that each wait at most {@code perRecord} (see {@link #worstWait}). */
  public static KafkaTimeouts derive(Duration inferenceTimeout, int maxPollRecords, Duration perRecord) {
    if (maxPollRecords < 1) {
      throw new IllegalArgumentException("max.poll.records must be >= 1, got " + maxPollRecords);
    }
    long batch = Math.multiplyExact(Math.max(inferenceTimeout.toMillis(), perRecord.toMillis()), (long) maxPollRecords);
    long needed = Math.addExact(Math.multiplyExact(2, batch), MARGIN_MS);
    return new KafkaTimeouts(
        maxPollRecords, Math.max(MIN_POLL_INTERVAL_MS, needed), Math.max(MIN_TRANSACTION_TIMEOUT_MS, needed));
  }

  /** Fails when the transaction timeout exceeds what the broker accepts. */
  public KafkaTimeouts check(long brokerTransactionMaxTimeoutMs) {
    if (transactionTimeoutMs > brokerTransactionMaxTimeoutMs) {
      throw new IllegalArgumentException("transaction.timeout.ms " + transactionTimeoutMs
          + " exceeds the broker's transaction.max.timeout.ms " + brokerTransactionMaxTimeoutMs
          + ": lower max.poll.records or llavaseg.inference.timeout, or raise the broker's cap and set "
          + ServiceConfig.BROKER_TRANSACTION_MAX_TIMEOUT);
    }
    return this;
  }
}
