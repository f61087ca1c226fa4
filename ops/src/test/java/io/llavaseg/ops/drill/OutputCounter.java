package io.llavaseg.ops.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llavaseg.ops.ServiceProcess;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.registry.RestSchemaRegistry;
import io.llavaseg.schemas.registry.SchemaRegistry;
import io.llavaseg.topology.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads answers and masks with read_committed in the background, counting every record per query id. */
final class OutputCounter implements AutoCloseable {
  final Map<String, AtomicInteger> masks = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
  private final Thread reader;
  private volatile boolean stop;

  private final List<ServiceProcess> instances;
  private final String bootstrap;
  private final String registryUrl;

  OutputCounter(String bootstrap, String registryUrl, List<ServiceProcess> instances) throws Exception {
    this.instances = instances;
    this.bootstrap = bootstrap;
    this.registryUrl = registryUrl;
    SchemaRegistry client = RestSchemaRegistry.fromConfigs(Map.of("schema.registry.url", registryUrl));
    Topics topics = Topics.withRegistry(client, Map.of("schema.registry.url", registryUrl));
    reader = new Thread(() -> {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
        // assigned, not subscribed: no group, no rebalance, so a broker restart cannot rewind the
        // reader to a committed offset and make it count a record twice
        List<org.apache.kafka.common.TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(Topics.IMAGE_MASKS, Topics.IMAGE_ANSWERS)) {
          while (c.partitionsFor(topic).isEmpty()) {
            Thread.sleep(200);
          }
          c.partitionsFor(topic).forEach(pi -> parts.add(new org.apache.kafka.common.TopicPartition(topic, pi.partition())));
        }
        c.assign(parts);
        c.seekToBeginning(parts);
        while (!stop) {
          for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
            if (r.topic().equals(Topics.IMAGE_MASKS)) {
              ImageMask m = topics.masks().valueSerde().deserializer().deserialize(r.topic(), r.value());
              masks.computeIfAbsent(m.getQueryId(), k -> new AtomicInteger()).incrementAndGet();
            } else {
              ImageAnswer a = topics.answers().valueSerde().deserializer().deserialize(r.topic(), r.value());
              answers.computeIfAbsent(a.getQueryId(), k -> new AtomicInteger()).incrementAndGet();
            }
          }
        }
      } catch (RuntimeException e) {
        if (!stop) {
          e.printStackTrace();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        client.close();
      }
    }, "drill-reader");
    reader.start();
  }

  void awaitMasks(int count, Duration timeout) throws InterruptedException {
    await(masks, count, timeout, "masks");
  }

  void awaitAnswers(int count, Duration timeout) throws InterruptedException {
    await(answers, count, timeout, "answers");
  }

  private void await(Map<String, AtomicInteger> seen, int count, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (seen.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    if (seen.size() < count) {
      StringBuilder logs = new StringBuilder();
      instances.forEach(s -> logs.append(s.tail()).append("\n---\n"));
      throw new AssertionError(seen.size() + " of " + count + " " + what + " after " + timeout + " (answers "
          + answers.size() + ", masks " + masks.size() + "; " + deadLetters() + ")\n" + logs);
    }
  }

  void assertExactlyOnce(int n) {
    assertEquals(n, masks.size(), "one mask per query");
    assertEquals(n, answers.size(), "one answer per query");
    assertEquals(n, masks.values().stream().mapToInt(AtomicInteger::get).sum(), "no query masked twice");
    assertEquals(n, answers.values().stream().mapToInt(AtomicInteger::get).sum(), "no query answered twice");
  }

  /** The committed dead letters, by code and query id: what a missing output became, if anything. */
  String deadLetters() {
    try (SchemaRegistry client = RestSchemaRegistry.fromConfigs(Map.of("schema.registry.url", registryUrl))) {
      Topics topics = Topics.withRegistry(client, Map.of("schema.registry.url", registryUrl));
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      List<String> found = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<org.apache.kafka.common.TopicPartition> parts = new ArrayList<>();
        c.partitionsFor(Topics.IMAGE_QUERIES_DLQ).forEach(
            pi -> parts.add(new org.apache.kafka.common.TopicPartition(Topics.IMAGE_QUERIES_DLQ, pi.partition())));
        c.assign(parts);
        c.seekToBeginning(parts);
        var end = c.endOffsets(parts);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
            var d = topics.deadLetters().valueSerde().deserializer().deserialize(r.topic(), r.value());
            found.add(d.getErrorCode() + " " + d.getQueryId() + " (" + d.getStage() + ": " + d.getMessage() + ")");
          }
        }
      }
      return found.size() + " dead letters " + found;
    } catch (RuntimeException e) {
      return "dead letters unread: " + e;
    }
  }

  /** Committed records on every partition of a topic, read from the beginning (read_committed). */
  static int countRecords(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<org.apache.kafka.common.TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic).forEach(pi -> parts.add(new org.apache.kafka.common.TopicPartition(topic, pi.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      var end = c.endOffsets(parts);
      int count = 0;
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        count += c.poll(Duration.ofMillis(200)).count();
      }
      return count;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    reader.join(10_000);
  }
}

