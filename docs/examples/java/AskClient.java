import io.llavaseg.schemas.CocoRle;
import io.llavaseg.schemas.DeadLetter;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.InlineImage;
import io.llavaseg.schemas.ModelRef;
import io.llavaseg.schemas.registry.RegistryAvroSerde;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Ask a running llavaseg service one question about one image, from Java: a single-file program
 * that needs only the Kafka clients and the project's {@code llavaseg-schemas} artifact (the
 * generated Avro classes, {@code RegistryAvroSerde} in the Confluent wire format, {@code CocoRle}).
 *
 * <pre>
 * java -cp "$CP" docs/examples/java/AskClient.java --bootstrap-servers 127.0.0.1:9092 \
 *     --schema-registry-url http://127.0.0.1:8081/apis/ccompat/v7 \
 *     --image data/one/sw11-00000001.jpg --question "Find the shape that is the color of chocolate." \
 *     --mask-out mask.png
 * </pre>
 *
 * It produces an {@code ImageQuery} to {@code image-queries} keyed by its source id, then reads
 * {@code image-answers}, {@code image-masks} and {@code image-queries-dlq} with
 * {@code isolation.level=read_committed} from their ends as they were before the send, until the
 * answer and the mask with its query id arrive (or its dead letter). Exit code 0 with both, 1 on a
 * dead letter or a timeout, 2 on a usage error. docs/examples/README.md gives the classpath.
 */
public class AskClient {

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new HashMap<>(Map.of("--source", "java", "--topic-prefix", "", "--timeout", "120"));
    for (int i = 0; i + 1 < argv.length; i += 2) {
      args.put(argv[i], argv[i + 1]);
    }
    for (String required : List.of("--bootstrap-servers", "--schema-registry-url", "--image", "--question")) {
      if (!args.containsKey(required) || argv.length % 2 != 0) {
        System.err.println("usage: AskClient --bootstrap-servers HOST:PORT --schema-registry-url URL --image FILE "
            + "--question TEXT [--source ID] [--mask-out FILE.png] [--topic-prefix PREFIX] [--timeout SECONDS]");
        System.exit(2);
      }
    }
    System.exit(new AskClient().ask(args));
  }

  int ask(Map<String, String> args) throws Exception {
    String bootstrap = args.get("--bootstrap-servers");
    String prefix = args.get("--topic-prefix");
    String queries = prefix + "image-queries";
    String answers = prefix + "image-answers";
    String masks = prefix + "image-masks";
    String deadLetters = prefix + "image-queries-dlq";
    byte[] image = Files.readAllBytes(Path.of(args.get("--image")));
    String mediaType = (image[0] & 0xff) == 0x89 && image[1] == 'P' ? "image/png"
        : (image[0] & 0xff) == 0xff && (image[1] & 0xff) == 0xd8 ? "image/jpeg" : null;
    if (mediaType == null) {
      System.err.println(args.get("--image") + " is neither a PNG nor a JPEG");
      return 2;
    }

    // One registry serde per value class: the writer registers (or looks up) its schema under
    // <topic>-value, the readers fetch each record's writer schema by the id in its first bytes.
    Map<String, Object> serdeConfig = Map.of("schema.registry.url", args.get("--schema-registry-url"));
    RegistryAvroSerde<ImageQuery> querySerde = serde(ImageQuery.class, serdeConfig);
    RegistryAvroSerde<ImageAnswer> answerSerde = serde(ImageAnswer.class, serdeConfig);
    RegistryAvroSerde<ImageMask> maskSerde = serde(ImageMask.class, serdeConfig);
    RegistryAvroSerde<DeadLetter> deadLetterSerde = serde(DeadLetter.class, serdeConfig);

    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      // Fix the output topics' ends before sending, so only records written after count.
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(answers, masks, deadLetters)) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
          System.err.println("AskClient: topic " + topic + " does not exist at " + bootstrap
              + ": is the service running there?");
          return 1;
        }
        infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);

      String queryId = "ask-java-" + UUID.randomUUID();
      ImageQuery query = ImageQuery.newBuilder()
          .setQueryId(queryId)
          .setSourceId(args.get("--source"))
          .setCaptureTime(Instant.now())
          .setImage(new InlineImage(mediaType, ByteBuffer.wrap(image)))
          .setQuestion(args.get("--question"))
          .setOptions(new HashMap<>())
          .build();
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
      long sent = System.nanoTime();
      try (KafkaProducer<String, ImageQuery> producer =
          new KafkaProducer<>(p, new StringSerializer(), querySerde.serializer())) {
        producer.send(new ProducerRecord<>(queries, query.getSourceId(), query)).get();
      }
      System.err.println("AskClient: query " + queryId + " sent to " + queries);

      ImageAnswer answer = null;
      ImageMask mask = null;
      long deadline = sent + Duration.ofSeconds(Long.parseLong(args.get("--timeout"))).toNanos();
      while ((answer == null || mask == null) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.topic().equals(answers)) {
            ImageAnswer a = answerSerde.deserializer().deserialize(r.topic(), r.value());
            if (queryId.equals(a.getQueryId())) {
              answer = a;
              printAnswer(a);
            }
          } else if (r.topic().equals(masks)) {
            ImageMask m = maskSerde.deserializer().deserialize(r.topic(), r.value());
            if (queryId.equals(m.getQueryId())) {
              mask = m;
            }
          } else {
            DeadLetter d = deadLetterSerde.deserializer().deserialize(r.topic(), r.value());
            if (queryId.equals(d.getQueryId())) {
              System.out.println("dead letter: " + d.getStage() + " " + d.getErrorCode() + ": " + d.getMessage());
              return 1;
            }
          }
        }
      }
      if (answer == null || mask == null) {
        System.err.println("AskClient: no " + (answer == null ? "answer" : "mask") + " for " + queryId + " within "
            + args.get("--timeout") + " s");
        return 1;
      }
      System.out.printf("mask:       %d px, bbox %s, score %.3f, %.1f ms by %s%n", mask.getArea(), mask.getBbox(),
          mask.getScore(), mask.getSegmentationMs(), model(mask.getSegmentationModel()));
      System.out.printf("latency:    %.0f ms from send to the committed mask%n", (System.nanoTime() - sent) / 1e6);
      if (args.containsKey("--mask-out")) {
        writeMask(mask, new File(args.get("--mask-out")));
        System.out.println("wrote " + args.get("--mask-out"));
      }
      return 0;
    } finally {
      for (RegistryAvroSerde<?> s : List.of(querySerde, answerSerde, maskSerde, deadLetterSerde)) {
        s.close();
      }
    }
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> RegistryAvroSerde<T> serde(
      Class<T> type, Map<String, Object> config) {
    RegistryAvroSerde<T> serde = new RegistryAvroSerde<>(type);
    serde.configure(config, false);
    return serde;
  }

  private static void printAnswer(ImageAnswer a) {
    System.out.println("answer:     " + a.getAnswer());
    System.out.println("target:     " + (a.getTarget() != null ? a.getTarget() : "(none: " + a.getNoTargetReason() + ")"));
    if (a.getAttributes() != null) {
      System.out.println("attributes: color: " + a.getAttributes().getColor() + "; shape: " + a.getAttributes().getShape()
          + "; size: " + a.getAttributes().getSize() + "; location: " + a.getAttributes().getLocation());
    }
    System.out.printf("reasoning:  %.1f ms by %s%n", a.getReasoningMs(), model(a.getReasoningModel()));
    System.out.flush();
  }

  private static String model(ModelRef m) {
    return m == null ? "-" : m.getName() + ":" + m.getVersion() + "@" + m.getDevice();
  }

  /** The mask as a greyscale PNG: COCO's uncompressed RLE (column-major) decoded to rows by CocoRle. */
  private static void writeMask(ImageMask mask, File file) throws Exception {
    long[] counts = mask.getRleCounts().stream().mapToLong(Long::longValue).toArray();
    byte[] pixels = CocoRle.decode(counts, mask.getWidth(), mask.getHeight()); // row-major, 0 or 1
    BufferedImage png = new BufferedImage(mask.getWidth(), mask.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < pixels.length; i++) {
      png.getRaster().setSample(i % mask.getWidth(), i / mask.getWidth(), 0, pixels[i] != 0 ? 255 : 0);
    }
    ImageIO.write(png, "png", file);
  }
}
