package io.llavaseg.ops.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.ops.embedded.FreePorts;
import io.llavaseg.ops.embedded.KafkaBrokerProcess;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.InlineImage;
import io.llavaseg.schemas.registry.RegistryLauncher;
import io.llavaseg.schemas.registry.RestSchemaRegistry;
import io.llavaseg.schemas.registry.SchemaRegistry;
import io.llavaseg.topology.Topics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault drills on a real KRaft broker and the real registry, with service instances in child JVMs
 * (models that wait a fixed time per batch, so the drill measures the streaming layer): an instance
 * killed with SIGKILL mid-stream and restarted, and a broker restarted mid-stream. After each, a
 * read_committed consumer sees exactly one answer and one mask per query: nothing lost, nothing
 * duplicated.
 */
class FaultDrillIT {
  private static final Duration DEADLINE = Duration.ofMinutes(4);

  @TempDir Path dir;
  private KafkaBrokerProcess broker;
  private RegistryLauncher registry;
  private final List<ServiceProcess> instances = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    broker = KafkaBrokerProcess.start(dir.resolve("kafka"), Duration.ofMinutes(2));
    registry = RegistryLauncher.builder().logFile(dir.resolve("registry.log")).start();
  }

  @AfterEach
  void stop() throws Exception {
    for (ServiceProcess s : instances) {
      s.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private ServiceProcess instance(String app, String name) throws Exception {
    Map<String, String> p = new HashMap<>();
    p.put("bootstrap.servers", broker.bootstrapServers());
    p.put("schema.registry.url", registry.url());
    p.put("application.id", app);
    p.put("num.stream.threads", "3");
    p.put("llavaseg.topics.create", "true");
    p.put("llavaseg.topics.partitions", "6");
    p.put("llavaseg.topics.replication-factor", "1");
    p.put("session.timeout.ms", "6000");
    p.put("heartbeat.interval.ms", "1500");
    p.put("llavaseg.inference.timeout", "5s");
    ServiceProcess s = new ServiceProcess(dir.resolve(name), p, FreePorts.next(), "PT0.03S");
    instances.add(s);
    return s;
  }

  @Test
  void killingOneOfTwoInstancesWithSigkillMidStreamLosesAndDuplicatesNothing() throws Exception {
    ServiceProcess a = instance("drill-kill", "a").start();
    ServiceProcess b = instance("drill-kill", "b").start();
    a.awaitReady(Duration.ofMinutes(2));
    b.awaitReady(Duration.ofMinutes(2));
    int n = 500;
    try (Outputs outputs = new Outputs()) {
      Thread producer = produce(n, 60);
      outputs.awaitMasks(150, DEADLINE);
      a.kill();
      int atKill = outputs.masks.size();
      System.out.printf("FaultDrillIT: instance a killed with SIGKILL after %d of %d masks%n", atKill, n);
      assertTrue(atKill < n, "killed mid-stream");
      a.start();
      producer.join();
      outputs.awaitMasks(n, DEADLINE);
      outputs.awaitAnswers(n, DEADLINE);
      Thread.sleep(5000); // anything duplicated would be committed by now
      outputs.assertExactlyOnce(n);
    }
  }

  @Test
  void aBrokerRestartMidStreamLosesAndDuplicatesNothing() throws Exception {
    ServiceProcess a = instance("drill-broker", "a").start();
    a.awaitReady(Duration.ofMinutes(2));
    int n = 300;
    try (Outputs outputs = new Outputs()) {
      Thread producer = produce(n, 40);
      outputs.awaitMasks(80, DEADLINE);
      broker.restart(Duration.ofSeconds(5), Duration.ofMinutes(2));
      System.out.printf("FaultDrillIT: broker restarted after %d of %d masks%n", outputs.masks.size(), n);
      producer.join();
      outputs.awaitMasks(n, DEADLINE);
      outputs.awaitAnswers(n, DEADLINE);
      Thread.sleep(5000);
      outputs.assertExactlyOnce(n);
      a.awaitReady(Duration.ofSeconds(30));
    }
  }

  /** Sends n queries at about {@code rate} per second from a background thread (idempotent producer). */
  private Thread produce(int n, int rate) throws Exception {
    SchemaRegistry client = RestSchemaRegistry.fromConfigs(Map.of("schema.registry.url", registry.url()));
    Topics topics = Topics.withRegistry(client, Map.of("schema.registry.url", registry.url()));
    byte[] png = png();
    Thread t = new Thread(() -> {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      try (KafkaProducer<String, ImageQuery> producer = new KafkaProducer<>(p, topics.queries().keySerde().serializer(),
          topics.queries().valueSerde().serializer())) {
        for (int i = 0; i < n; i++) {
          String source = "cam-" + (i % 12);
          ImageQuery q = ImageQuery.newBuilder().setQueryId("d-" + i).setSourceId(source)
              .setCaptureTime(Instant.now()).setImage(new InlineImage("image/png", ByteBuffer.wrap(png)))
              .setQuestion("please segment the red circle").setOptions(new HashMap<>()).build();
          producer.send(new ProducerRecord<>(topics.queries().name(), source, q));
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

  private static byte[] png() throws Exception {
    BufferedImage img = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  /** Reads answers and masks with read_committed in the background, counting every record per query id. */
  private final class Outputs implements AutoCloseable {
    final Map<String, AtomicInteger> masks = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean stop;

    Outputs() throws Exception {
      SchemaRegistry client = RestSchemaRegistry.fromConfigs(Map.of("schema.registry.url", registry.url()));
      Topics topics = Topics.withRegistry(client, Map.of("schema.registry.url", registry.url()));
      reader = new Thread(() -> {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
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
        throw new AssertionError(seen.size() + " of " + count + " " + what + " after " + timeout + "\n" + logs);
      }
    }

    void assertExactlyOnce(int n) {
      assertEquals(n, masks.size(), "one mask per query");
      assertEquals(n, answers.size(), "one answer per query");
      assertEquals(n, masks.values().stream().mapToInt(AtomicInteger::get).sum(), "no query masked twice");
      assertEquals(n, answers.values().stream().mapToInt(AtomicInteger::get).sum(), "no query answered twice");
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      reader.join(10_000);
    }
  }
}
