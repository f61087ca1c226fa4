package io.llavaseg.ops;

import io.llavaseg.schemas.Attributes;
import io.llavaseg.schemas.CocoRle;
import io.llavaseg.schemas.DeadLetter;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.ImageQuery;
import io.llavaseg.schemas.InlineImage;
import io.llavaseg.schemas.ModelRef;
import io.llavaseg.schemas.registry.RestSchemaRegistry;
import io.llavaseg.ops.cli.DurationConverter;
import io.llavaseg.topology.Topics;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops/llavaseg send}: one image and question to a running service, as any producer would:
 * an {@code ImageQuery} (inline image) on {@code image-queries} through the registry serde, then
 * its {@code ImageAnswer} and {@code ImageMask} (or its {@code DeadLetter}) read back from the
 * output topics with {@code isolation.level=read_committed}, from their ends as they were before
 * the send. The cluster and registry default to those {@code ops/llavaseg up} wrote. Exit code 0
 * with an answer and a mask, 1 on a dead letter or no answer in time, 2 on a usage error.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = "Send one image and question to a running service (image-queries) and print its answer and "
        + "mask when they come out (image-answers, image-masks). Defaults to the broker and registry of `up`.")
public final class SendCommand implements Callable<Integer> {

  @Option(names = "--image", required = true, paramLabel = "FILE", description = "A PNG or JPEG image.")
  Path image;

  @Option(names = "--question", required = true, paramLabel = "TEXT")
  String question;

  @Option(names = "--source", paramLabel = "ID", defaultValue = "cli",
      description = "The source (camera) id, the record key (default ${DEFAULT-VALUE}).")
  String source;

  @Option(names = "--mask-out", paramLabel = "FILE", description = "Write the mask as a PNG (white = target).")
  Path maskOut;

  @Mixin UpAddressOptions addresses;

  private String bootstrapServers;
  private String registryUrl;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
      description = "How long to wait for the answer and the mask (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    UpAddressOptions.Addresses at = addresses.resolve();
    bootstrapServers = at.bootstrapServers();
    registryUrl = at.registryUrl();
    byte[] bytes = Files.readAllBytes(image);
    String mediaType = mediaType(bytes);
    if (mediaType == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), image + " is neither a PNG nor a JPEG");
    }
    Map<String, Object> serdeConfig = Map.of("schema.registry.url", registryUrl);
    try (RestSchemaRegistry registry = RestSchemaRegistry.fromConfigs(serdeConfig)) {
      Topics topics = Topics.withRegistry(registry, serdeConfig);
      String queryId = "send-" + UUID.randomUUID();
      try (KafkaConsumer<String, byte[]> consumer = consumer(topics)) {
        ImageQuery query = ImageQuery.newBuilder()
            .setQueryId(queryId)
            .setSourceId(source)
            .setCaptureTime(Instant.now())
            .setImage(new InlineImage(mediaType, ByteBuffer.wrap(bytes)))
            .setQuestion(question)
            .setOptions(new HashMap<>())
            .build();
        long sent = System.nanoTime();
        send(topics, query);
        err.println("send: query " + queryId + " sent to " + topics.queries().name() + " at " + bootstrapServers);
        err.flush();
        return await(topics, consumer, queryId, sent, out, err);
      }
    }
  }

  private KafkaConsumer<String, byte[]> consumer(Topics topics) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(topics.answers().name(), topics.masks().name(), topics.deadLetters().name())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        consumer.close();
        throw new IllegalStateException("topic " + topic + " does not exist at " + bootstrapServers
            + ": is the service running there (ops/llavaseg run)?");
      }
      infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // fix the ends now, before the query is sent
    return consumer;
  }

  private void send(Topics topics, ImageQuery query) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
    try (KafkaProducer<String, ImageQuery> producer = new KafkaProducer<>(
        p, topics.queries().keySerde().serializer(), topics.queries().valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(topics.queries().name(), query.getSourceId(), query)).get();
    }
  }

  private int await(Topics topics, KafkaConsumer<String, byte[]> consumer, String queryId, long sent,
      PrintWriter out, PrintWriter err) throws Exception {
    ImageAnswer answer = null;
    ImageMask mask = null;
    long deadline = sent + timeout.toNanos();
    while (System.nanoTime() < deadline && (answer == null || mask == null)) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        if (r.topic().equals(topics.answers().name())) {
          ImageAnswer a = topics.answers().valueSerde().deserializer().deserialize(r.topic(), r.value());
          if (queryId.equals(a.getQueryId())) {
            answer = a;
            printAnswer(a, out);
          }
        } else if (r.topic().equals(topics.masks().name())) {
          ImageMask m = topics.masks().valueSerde().deserializer().deserialize(r.topic(), r.value());
          if (queryId.equals(m.getQueryId())) {
            mask = m;
          }
        } else {
          DeadLetter d = topics.deadLetters().valueSerde().deserializer().deserialize(r.topic(), r.value());
          if (queryId.equals(d.getQueryId())) {
            out.println("dead letter: " + d.getStage() + " " + d.getErrorCode() + ": " + d.getMessage());
            out.flush();
            return 1;
          }
        }
      }
    }
    if (answer == null || mask == null) {
      err.println("send: no " + (answer == null ? "answer" : "mask") + " for " + queryId + " within " + timeout
          + "; is a service with both stages running there?");
      return 1;
    }
    printMask(mask, out);
    out.printf("latency:    %.0f ms from send to the committed mask%n", (System.nanoTime() - sent) / 1e6);
    if (maskOut != null) {
      long[] counts = mask.getRleCounts().stream().mapToLong(Long::longValue).toArray();
      byte[] pixels = CocoRle.decode(counts, mask.getWidth(), mask.getHeight()); // row-major, as BinaryMask holds it
      java.awt.image.BufferedImage png = new java.awt.image.BufferedImage(mask.getWidth(), mask.getHeight(),
          java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
      for (int i = 0; i < pixels.length; i++) {
        png.getRaster().setSample(i % mask.getWidth(), i / mask.getWidth(), 0, pixels[i] != 0 ? 255 : 0);
      }
      javax.imageio.ImageIO.write(png, "png", maskOut.toFile());
      out.println("wrote " + maskOut);
    }
    out.flush();
    return 0;
  }

  private static void printAnswer(ImageAnswer a, PrintWriter out) {
    out.println("answer:     " + a.getAnswer());
    out.println("target:     " + Optional.ofNullable(a.getTarget()).map(Object::toString)
        .orElse("(none: " + a.getNoTargetReason() + ")"));
    if (a.getAttributes() != null) {
      out.println("attributes: " + attributes(a.getAttributes()));
    }
    out.printf("reasoning:  %.1f ms by %s%n", a.getReasoningMs(), model(a.getReasoningModel()));
    out.flush();
  }

  private static void printMask(ImageMask m, PrintWriter out) {
    String bbox = m.getBbox() == null ? "[]" : m.getBbox().toString();
    out.printf("mask:       %d px, bbox %s, score %.3f, %.1f ms by %s%n", m.getArea(), bbox, m.getScore(),
        m.getSegmentationMs(), m.getSegmentationModel() == null ? "-" : model(m.getSegmentationModel()));
  }

  private static String attributes(Attributes a) {
    return "color: " + a.getColor() + "; shape: " + a.getShape() + "; size: " + a.getSize() + "; location: "
        + a.getLocation();
  }

  private static String model(ModelRef m) {
    return m.getName() + ":" + m.getVersion() + "@" + m.getDevice();
  }

  /** image/png or image/jpeg by the file's magic bytes; null for anything else. */
  static String mediaType(byte[] bytes) {
    if (bytes.length > 8 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
      return "image/png";
    }
    if (bytes.length > 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
      return "image/jpeg";
    }
    return null;
  }
}
