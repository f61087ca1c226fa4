package io.llavaseg.ops.watch;

import io.llavaseg.schemas.CameraFrame;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.InlineImage;
import io.llavaseg.topology.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code image-masks}, {@code camera-frames} and {@code image-queries} (read_committed, a
 * group of its own so it never takes partitions from anyone) into {@link LatestResults}. Images sent
 * by reference (claim checks) are not fetched: their tiles show the mask alone. A record that does
 * not decode is counted and skipped; the reader keeps going.
 */
public final class ResultsReader implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final Topics topics;
  private final LatestResults results;
  private final Thread thread;
  private volatile long skipped;

  public ResultsReader(Properties clientConfig, Topics topics, LatestResults results, boolean fromBeginning) {
    Properties p = new Properties();
    p.putAll(clientConfig);
    p.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, "llavaseg-watch-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    this.topics = topics;
    this.results = results;
    this.thread = new Thread(this::loop, "watch-reader");
    this.thread.setDaemon(true);
  }

  public void start() {
    consumer.subscribe(List.of(topics.masks().name(), topics.cameraFrames().name(), topics.queries().name()));
    thread.start();
  }

  /** Records that did not decode. */
  public long skipped() {
    return skipped;
  }

  private void loop() {
    try {
      while (true) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          try {
            accept(r);
          } catch (RuntimeException e) {
            skipped++;
          }
        }
      }
    } catch (WakeupException stop) {
      // close() was called
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void accept(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return;
    }
    if (r.topic().equals(topics.masks().name())) {
      results.mask(topics.masks().valueSerde().deserializer().deserialize(r.topic(), r.value()), Instant.now());
    } else if (r.topic().equals(topics.cameraFrames().name())) {
      CameraFrame f = topics.cameraFrames().valueSerde().deserializer().deserialize(r.topic(), r.value());
      inline(f.getImage()).ifPresent(bytes -> results.image(f.getFrameId(), bytes));
    } else {
      ImageQuery q = topics.queries().valueSerde().deserializer().deserialize(r.topic(), r.value());
      inline(q.getImage()).ifPresent(bytes -> results.image(q.getQueryId(), bytes));
    }
  }

  private static java.util.Optional<byte[]> inline(Object image) {
    if (image instanceof InlineImage inline) {
      ByteBuffer b = inline.getData().duplicate();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      return java.util.Optional.of(bytes);
    }
    return java.util.Optional.empty();
  }

  @Override
  public void close() throws InterruptedException {
    consumer.wakeup();
    thread.join(10_000);
  }
}
