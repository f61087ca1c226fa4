package io.llavaseg.topology;

import java.time.Duration;

/**
 * Derives the Kafka timeouts that slow inference must fit into, from the per-record inference
 * budget {@code T} ({@code llavaseg.inference.timeout}) and {@code R = max.poll.records}:
 *
 * <pre>
 * batch                  B = R * T                      (worst case to process one poll)
 * max.poll.interval.ms     = max(300000, 2 * B + 60000)  (Streams leaves its loop at half the interval)
 * transaction.timeout.ms   = max(60000,  2 * B + 60000)  (a transaction spans at most the records
 *                                                        processed between two commits)
 * </pre>
 *
 * The broker caps transactions at {@code transaction.max.timeout.ms} (default 900000 = 15 min):
 * with the defaults T = 30 s and R = 10, both come to 660000 ms. A larger product is refused by
 * {@link #check} unless the caller raised the broker's cap ({@code llavaseg.broker.transaction.max.timeout}).
 * Values set explicitly in the properties file win over the derived ones.
 */
public record KafkaTimeouts(int maxPollRecords, long maxPollIntervalMs, long transactionTimeoutMs) {

  public static final long MIN_POLL_INTERVAL_MS = 300_000;
  public static final long MIN_TRANSACTION_TIMEOUT_MS = 60_000;
  public static final long MARGIN_MS = 60_000;

  public static KafkaTimeouts derive(Duration inferenceTimeout, int maxPollRecords) {
    if (maxPollRecords < 1) {
      throw new IllegalArgumentException("max.poll.records must be >= 1, got " + maxPollRecords);
    }
    long batch = Math.multiplyExact(inferenceTimeout.toMillis(), (long) maxPollRecords);
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
