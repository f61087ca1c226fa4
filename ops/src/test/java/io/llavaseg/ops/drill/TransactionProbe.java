package io.llavaseg.ops.drill;

import io.llavaseg.topology.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Shows that a transaction was open when an instance was killed, two ways. Right after the kill,
 * the transaction coordinators still list the killed instance's transactions (transactional ids
 * {@code <application.id>-<process id>-<thread>}) as ONGOING with the partitions they wrote
 * ({@link #openTransactions}). And the records of a transaction that never commits stay in the log,
 * where a read_uncommitted reader sees them and a read_committed reader never will: the end offsets
 * of every topic the service writes transactionally (outputs, the intermediate topic, the dead
 * letters and the application's changelogs) are taken once the killed instance is ready again (by
 * then every record the killed producer wrote is replicated and below the high watermark: offsets
 * taken right after the kill may miss the open transaction's last records); once everything is
 * decided, the records up to a round's offsets (and after the previous round's) that
 * read_uncommitted sees and read_committed does not were aborted.
 */
final class TransactionProbe implements AutoCloseable {
  private final String bootstrap;
  private final String applicationId;
  private final Admin admin;

  TransactionProbe(String bootstrap, String applicationId) {
    this.bootstrap = bootstrap;
    this.applicationId = applicationId;
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  /** The topics the service writes inside its transactions. */
  List<String> transactionalTopics() throws Exception {
    List<String> topics = new ArrayList<>();
    for (String t : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
      if (t.startsWith(applicationId + "-") || t.equals(Topics.IMAGE_QUERIES_REASONED) || t.equals(Topics.IMAGE_ANSWERS)
          || t.equals(Topics.IMAGE_MASKS) || t.equals(Topics.IMAGE_QUERIES_DLQ)) {
        topics.add(t);
      }
    }
    return topics;
  }

  /** Every partition's end offset now (read_uncommitted: the high watermark, open transactions included). */
  Map<TopicPartition, Long> endOffsets() throws Exception {
    Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
    admin.describeTopics(transactionalTopics()).allTopicNames().get(30, TimeUnit.SECONDS).forEach((t, d) ->
        d.partitions().forEach(p -> latest.put(new TopicPartition(t, p.partition()),
            org.apache.kafka.clients.admin.OffsetSpec.latest())));
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
            org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED)).all().get(30, TimeUnit.SECONDS)
        .forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  /** The killed instance's transactions still open at the coordinators, and the partitions they wrote. */
  record Open(int transactions, int partitions) {}

  /** The transactions of the instance with {@code processId} that are ONGOING now. */
  Open openTransactions(String processId) throws Exception {
    String prefix = applicationId + "-" + processId + "-";
    List<String> ids = new ArrayList<>();
    for (org.apache.kafka.clients.admin.TransactionListing t
        : admin.listTransactions().all().get(30, TimeUnit.SECONDS)) {
      if (t.transactionalId().startsWith(prefix)) {
        ids.add(t.transactionalId());
      }
    }
    int open = 0;
    int partitions = 0;
    if (!ids.isEmpty()) {
      for (org.apache.kafka.clients.admin.TransactionDescription d
          : admin.describeTransactions(ids).all().get(30, TimeUnit.SECONDS).values()) {
        if (d.state() == org.apache.kafka.clients.admin.TransactionState.ONGOING) {
          open++;
          partitions += d.topicPartitions().size();
        }
      }
    }
    return new Open(open, partitions);
  }

  private static final java.util.regex.Pattern THREAD =
      java.util.regex.Pattern.compile("-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-StreamThread-");

  /** The Kafka Streams process id an instance's log names (its stream threads are {@code <app>-<id>-StreamThread-<n>}). */
  static String processId(String applicationId, String log) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(applicationId)
        + THREAD.pattern()).matcher(log);
    String id = null;
    while (m.find()) {
      id = m.group(1);
    }
    if (id == null) {
      throw new AssertionError("no stream thread of " + applicationId + " in the log");
    }
    return id;
  }

  /** The offsets of a partition's data records, and the end the reader read to (for read_committed, the last stable offset). */
  record Read(Map<TopicPartition, Set<Long>> offsets, Map<TopicPartition, Long> end) {}

  /** Offsets of the data records of every partition, from the beginning to the end that {@code isolation} sees. */
  Read offsets(String isolation, Collection<TopicPartition> parts) {
    Map<TopicPartition, Set<Long>> seen = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer(isolation)) {
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + parts + " to " + end + " with " + isolation);
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          seen.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new HashSet<>()).add(r.offset());
        }
      }
      return new Read(seen, end);
    }
  }

  /**
   * Per round, the records in (previous round's offsets, this round's offsets] that were aborted;
   * {@code kills} are {@link #endOffsets} taken once each killed instance was ready again, in order.
   */
  List<Integer> abortedPerKill(List<Map<TopicPartition, Long>> kills) throws Exception {
    Set<TopicPartition> parts = new HashSet<>();
    kills.forEach(k -> parts.addAll(k.keySet()));
    Map<TopicPartition, Set<Long>> uncommitted = offsets("read_uncommitted", parts).offsets();
    Read committed = offsets("read_committed", parts);
    List<Integer> aborted = new ArrayList<>();
    for (int k = 0; k < kills.size(); k++) {
      int count = 0;
      for (TopicPartition tp : parts) {
        long from = k == 0 ? 0 : kills.get(k - 1).getOrDefault(tp, 0L);
        long to = kills.get(k).getOrDefault(tp, 0L);
        Set<Long> c = committed.offsets().getOrDefault(tp, Set.of());
        long stable = committed.end().getOrDefault(tp, 0L); // only what lies before it is decided
        for (long o : uncommitted.getOrDefault(tp, Set.of())) {
          if (o >= from && o < to && o < stable && !c.contains(o)) {
            count++;
          }
        }
      }
      aborted.add(count);
    }
    return aborted;
  }

  private KafkaConsumer<byte[], byte[]> consumer(String isolation) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public void close() {
    admin.close();
  }
}
