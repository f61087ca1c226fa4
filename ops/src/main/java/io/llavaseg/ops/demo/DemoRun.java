package io.llavaseg.ops.demo;

import io.llavaseg.model.BinaryMask;
import io.llavaseg.schemas.CocoRle;
import io.llavaseg.schemas.DeadLetter;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.InlineImage;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.topology.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Publishes ShapeWorld image-queries of every kind to {@code image-queries} through the registry
 * serde and collects what the running service answers on {@code image-answers}, {@code image-masks}
 * and {@code image-queries-dlq}, read with {@code isolation.level=read_committed}. Keeps per query
 * the send time and the receive times, so the end-to-end latency includes the broker, the registry
 * serde, both stages and the transaction commits.
 */
final class DemoRun {

  /** What happened to one query. */
  static final class Outcome {
    final int index;
    final Sample sample;
    final String queryId;
    long sentNanos;
    long answerNanos;
    long maskNanos;
    ImageAnswer answer;
    ImageMask mask;
    DeadLetter deadLetter;

    Outcome(int index, Sample sample, String queryId) {
      this.index = index;
      this.sample = sample;
      this.queryId = queryId;
    }

    boolean complete() {
      return answer != null && mask != null;
    }

    boolean settled() {
      return complete() || deadLetter != null;
    }

    double latencyMs() {
      return (Math.max(answerNanos, maskNanos) - sentNanos) / 1e6;
    }

    BinaryMask predictedMask() {
      long[] counts = mask.getRleCounts().stream().mapToLong(Long::longValue).toArray();
      return new BinaryMask(mask.getWidth(), mask.getHeight(), CocoRle.decode(counts, mask.getWidth(), mask.getHeight()));
    }
  }

  private final Topics topics;
  private final String bootstrapServers;
  private final String runId;
  private final Map<String, Outcome> byQueryId = new LinkedHashMap<>();
  private volatile int expected = -1;
  private long firstSent;
  private long lastSettled;

  DemoRun(Topics topics, String bootstrapServers, String runId) {
    this.topics = topics;
    this.bootstrapServers = bootstrapServers;
    this.runId = runId;
  }

  /** The N samples, cycling through every query kind so all of them are asked. */
  static List<Sample> samples(ShapeWorld world, int n) {
    QueryKind[] kinds = QueryKind.values();
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> world.sample(i, kinds[i % kinds.length]))
        .toList();
  }

  /**
   * Sends the samples in order, keeping at most {@code inFlight} queries unsettled at a time (a
   * closed loop, so latency measures the pipeline rather than a queue of the whole burst).
   */
  void publish(List<Sample> samples, int sources, int inFlight) throws InterruptedException {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    try (KafkaProducer<String, ImageQuery> producer = new KafkaProducer<>(
        p, topics.queries().keySerde().serializer(), topics.queries().valueSerde().serializer())) {
      firstSent = System.nanoTime();
      for (int i = 0; i < samples.size(); i++) {
        Sample s = samples.get(i);
        String queryId = "demo-" + runId + "-" + String.format("%04d", i);
        String source = "camera-" + (i % sources);
        ImageQuery query = ImageQuery.newBuilder()
            .setQueryId(queryId)
            .setSourceId(source)
            .setCaptureTime(Instant.now())
            .setImage(new InlineImage("image/png", ByteBuffer.wrap(png(s))))
            .setQuestion(s.query())
            .setOptions(new HashMap<>())
            .build();
        Outcome o = new Outcome(i, s, queryId);
        synchronized (this) {
          while (unsettled() >= inFlight) {
            wait(50);
          }
          byQueryId.put(queryId, o);
          o.sentNanos = System.nanoTime();
        }
        producer.send(new ProducerRecord<>(topics.queries().name(), source, query));
        producer.flush();
      }
      producer.flush();
    }
  }

  /** Polls the three output topics until every query is settled or the deadline passes. */
  void collect(Duration timeout, PrintStream progress) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "llavaseg-demo-reader-" + runId);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastProgress = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
        p, topics.queries().keySerde().deserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topics.answers().name(), topics.masks().name(), topics.deadLetters().name()));
      while (System.nanoTime() < deadline && !allSettled() && !Thread.currentThread().isInterrupted()) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          accept(r);
        }
        if (System.nanoTime() - lastProgress > 1_000_000_000L) {
          lastProgress = System.nanoTime();
          progress.print("\r" + progressLine());
          progress.flush();
        }
      }
      progress.println("\r" + progressLine());
    }
  }

  private synchronized void accept(ConsumerRecord<String, byte[]> r) {
    long now = System.nanoTime();
    String topic = r.topic();
    if (topic.equals(topics.answers().name())) {
      ImageAnswer a = topics.answers().valueSerde().deserializer().deserialize(topic, r.value());
      Outcome o = byQueryId.get(a.getQueryId());
      if (o != null && o.answer == null) {
        o.answer = a;
        o.answerNanos = now;
      }
    } else if (topic.equals(topics.masks().name())) {
      ImageMask m = topics.masks().valueSerde().deserializer().deserialize(topic, r.value());
      Outcome o = byQueryId.get(m.getQueryId());
      if (o != null && o.mask == null) {
        o.mask = m;
        o.maskNanos = now;
      }
    } else {
      DeadLetter d = topics.deadLetters().valueSerde().deserializer().deserialize(topic, r.value());
      Outcome o = d.getQueryId() == null ? null : byQueryId.get(d.getQueryId());
      if (o != null && o.deadLetter == null) {
        o.deadLetter = d;
      }
    }
    lastSettled = now;
    notifyAll();
  }

  private synchronized long unsettled() {
    return byQueryId.values().stream().filter(o -> !o.settled()).count();
  }

  synchronized boolean allSettled() {
    return byQueryId.size() == expected && byQueryId.values().stream().allMatch(Outcome::settled);
  }

  void expect(int n) {
    this.expected = n;
  }

  synchronized String progressLine() {
    long answers = byQueryId.values().stream().filter(o -> o.answer != null).count();
    long masks = byQueryId.values().stream().filter(o -> o.mask != null).count();
    long dlq = byQueryId.values().stream().filter(o -> o.deadLetter != null).count();
    return String.format("queries %d  answers %d  masks %d  dead letters %d", byQueryId.size(), answers, masks, dlq);
  }

  synchronized List<Outcome> outcomes() {
    return List.copyOf(byQueryId.values());
  }

  /** Seconds from the first send until the last query settled (or now). */
  double elapsedSeconds() {
    long end = lastSettled != 0 ? lastSettled : System.nanoTime();
    return (end - firstSent) / 1e9;
  }

  static byte[] png(Sample s) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(s.image(), "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
