package io.llavaseg.ops.drill;

import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.InlineImage;
import io.llavaseg.schemas.registry.RestSchemaRegistry;
import io.llavaseg.schemas.registry.SchemaRegistry;
import io.llavaseg.topology.Topics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends n image-queries (ids {@code <prefix><i>}, 12 cameras) at a steady rate from a background thread. */
final class QueryProducer {
  private QueryProducer() {}

  /** Sends n queries at about {@code rate} per second from a background thread (idempotent producer). */
  static Thread start(String bootstrap, String registryUrl, String idPrefix, int n, int rate) throws Exception {
    return start(bootstrap, registryUrl, idPrefix, n, rate, new java.util.concurrent.atomic.AtomicInteger());
  }

  /** As {@link #start(String, String, String, int, int)}, counting the queries handed to the producer in {@code sent}. */
  static Thread start(String bootstrap, String registryUrl, String idPrefix, int n, int rate,
      java.util.concurrent.atomic.AtomicInteger sent) throws Exception {
    SchemaRegistry client = RestSchemaRegistry.fromConfigs(Map.of("schema.registry.url", registryUrl));
    Topics topics = Topics.withRegistry(client, Map.of("schema.registry.url", registryUrl));
    byte[] png = png();
    Thread t = new Thread(() -> {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      try (KafkaProducer<String, ImageQuery> producer = new KafkaProducer<>(p, topics.queries().keySerde().serializer(),
          topics.queries().valueSerde().serializer())) {
        for (int i = 0; i < n; i++) {
          String source = "cam-" + (i % 12);
          ImageQuery q = query(idPrefix + i, source, png);
          String id = q.getQueryId();
          producer.send(new ProducerRecord<>(topics.queries().name(), source, q), (meta, e) -> {
            if (e != null) {
              // a query that never reached the topic cannot be answered: say so beside the drill's failure
              System.err.println("QueryProducer: query " + id + " was not sent: " + e);
            }
          });
          sent.incrementAndGet();
          Thread.sleep(1000L / rate);
        }
        producer.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        client.close();
      }
    }, "drill-producer");
    t.start();
    return t;
  }

  /** One query about a blank 96 px PNG. */
  static ImageQuery query(String id, String source) throws Exception {
    return query(id, source, png());
  }

  static ImageQuery query(String id, String source, byte[] png) {
    return ImageQuery.newBuilder().setQueryId(id).setSourceId(source)
        .setCaptureTime(Instant.now()).setImage(new InlineImage("image/png", ByteBuffer.wrap(png)))
        .setQuestion("please segment the red circle").setOptions(new HashMap<>()).build();
  }

  /** A blank 96 px PNG, the image of every drill query. */
  static byte[] png() throws Exception {
    BufferedImage img = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
