package io.llavaseg.ops.bench;

import io.llavaseg.ops.demo.Percentiles;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.InlineImage;
import io.llavaseg.topology.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Publishes image-queries to a running service at a fixed rate (open loop: send times do not wait
 * for answers) or all at once, and reads {@code image-masks} with {@code read_committed}. A query's
 * latency is from its send to its committed mask; throughput is queries over the time from the
 * first send to the last mask. Queries are identified by id, so other traffic is ignored.
 */
final class LoadRun {
  record Result(int sent, int masks, double seconds, double throughputQps, Percentiles latencyMs) {}

  private final String bootstrapServers;
  private final Topics topics;
  private final int partitions;

  /** {@code partitions}: of {@code image-queries}; queries go round-robin over them. */
  LoadRun(String bootstrapServers, Topics topics, int partitions) {
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.partitions = partitions;
  }

  /**
   * @param images PNG images and their questions, used round-robin
   * @param count queries to send
   * @param ratePerSecond send rate; 0 = as fast as the producer goes
   */
  Result run(String runId, List<byte[]> images, List<String> questions, int count, double ratePerSecond,
      Duration timeout) throws InterruptedException {
    Map<String, Long> sent = new ConcurrentHashMap<>();
    Map<String, Long> done = new ConcurrentHashMap<>();
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader = new Thread(() -> read(runId, count, done, timeout, ready), "bench-reader");
    reader.start();
    if (!ready.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the mask reader got no partitions within 60 s");
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    long first;
    try (KafkaProducer<String, ImageQuery> producer = new KafkaProducer<>(
        p, topics.queries().keySerde().serializer(), topics.queries().valueSerde().serializer())) {
      first = System.nanoTime();
      for (int i = 0; i < count; i++) {
        if (ratePerSecond > 0) {
          long due = first + (long) (i * 1e9 / ratePerSecond);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        String id = runId + "-" + i;
        ImageQuery q = ImageQuery.newBuilder()
            .setQueryId(id)
            .setSourceId("bench-camera-" + (i % partitions))
            .setCaptureTime(Instant.now())
            .setImage(new InlineImage("image/png", ByteBuffer.wrap(images.get(i % images.size()))))
            .setQuestion(questions.get(i % questions.size()))
            .setOptions(new HashMap<>())
            .build();
        sent.put(id, System.nanoTime());
        producer.send(new ProducerRecord<>(topics.queries().name(), i % partitions, q.getSourceId().toString(), q));
      }
      producer.flush();
    }
    reader.join(timeout.toMillis() + 10_000);
    List<Double> latencies = new ArrayList<>();
    long last = first;
    for (Map.Entry<String, Long> e : done.entrySet()) {
      Long s = sent.get(e.getKey());
      if (s != null) {
        latencies.add((e.getValue() - s) / 1e6);
        last = Math.max(last, e.getValue());
      }
    }
    double seconds = (last - first) / 1e9;
    return new Result(count, latencies.size(), seconds, latencies.size() / seconds, new Percentiles(latencies));
  }

  private void read(String runId, int count, Map<String, Long> done, Duration timeout, CountDownLatch ready) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "llavaseg-bench-" + runId);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topics.masks().name()));
      while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100));
      }
      consumer.seekToEnd(consumer.assignment());
      consumer.assignment().forEach(consumer::position);
      ready.countDown();
      while (done.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          long now = System.nanoTime();
          String id = topics.masks().valueSerde().deserializer().deserialize(r.topic(), r.value()).getQueryId();
          if (id.startsWith(runId + "-")) {
            done.putIfAbsent(id, now);
          }
        }
      }
    }
  }
}
