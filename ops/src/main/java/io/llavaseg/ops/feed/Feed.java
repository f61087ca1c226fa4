package io.llavaseg.ops.feed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.llavaseg.embedded.KafkaBrokerProcess;
import io.llavaseg.embedded.RegistryLauncher;
import io.llavaseg.model.BinaryMask;
import io.llavaseg.ops.demo.IndexPage;
import io.llavaseg.ops.demo.Overlay;
import io.llavaseg.ops.demo.Percentiles;
import io.llavaseg.schemas.CameraFrame;
import io.llavaseg.schemas.CameraQueries;
import io.llavaseg.schemas.CocoRle;
import io.llavaseg.schemas.FrameSkip;
import io.llavaseg.schemas.ImageAnswer;
import io.llavaseg.schemas.ImageMask;
import io.llavaseg.schemas.InlineImage;
import io.llavaseg.schemas.StandingQuestion;
import io.llavaseg.schemas.registry.RestSchemaRegistry;
import io.llavaseg.schemas.registry.SchemaRegistry;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Split;
import io.llavaseg.topology.LlavasegService;
import io.llavaseg.topology.ServiceConfig;
import io.llavaseg.topology.Topics;
import io.llavaseg.topology.model.BackendModelProvider;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code ops/llavaseg feed}: simulated cameras. Each camera gets standing questions on {@code
 * camera-queries}, then publishes frames of its own ShapeWorld scene, drifting sideways a few pixels
 * per frame (a panning camera, so the shapes move through the frame), at {@code fps} for {@code
 * duration}. The answers, masks and skipped frames are read back with read_committed; a summary and
 * an HTML page of each camera's latest frame per question are written. Without {@code
 * --bootstrap-servers} it starts the embedded broker, registry and a service with the standing
 * stage, as the demo does.
 */
public final class Feed {
  /** Settings; {@code FeedCommand} documents each. */
  public record Options(int cameras, double fps, Duration duration, List<String> questions, Path out, long seed,
      String bootstrapServers, String registryUrl, Duration drain) {}

  private final Options o;
  private final PrintStream log;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private volatile boolean readerStop;

  public Feed(Options options, PrintStream log) {
    this.o = options;
    this.log = log;
  }

  private record Sent(String camera, int frame, BufferedImage image, Instant captured) {}

  public Map<String, Object> run() throws Exception {
    try {
      return runInside();
    } finally {
      while (!started.isEmpty()) {
        try {
          started.pop().close();
        } catch (Exception e) {
          log.println("feed: stopping failed: " + e);
        }
      }
    }
  }

  private Map<String, Object> runInside() throws Exception {
    Path infra = Files.createTempDirectory("llavaseg-feed-");
    String bootstrap = o.bootstrapServers();
    String registryUrl = o.registryUrl();
    if (bootstrap == null) {
      log.println("feed: starting a KRaft broker, the schema registry and the service (stages reasoning,"
          + " segmentation, standing) ...");
      KafkaBrokerProcess broker = KafkaBrokerProcess.start(infra.resolve("kafka"), Duration.ofMinutes(2));
      started.push(broker);
      bootstrap = broker.bootstrapServers();
      RegistryLauncher registry = RegistryLauncher.builder().logFile(infra.resolve("registry.log")).start();
      started.push(registry);
      registryUrl = registry.url();
      Properties p = new Properties();
      p.put("bootstrap.servers", bootstrap);
      p.put(ServiceConfig.SCHEMA_REGISTRY_URL, registryUrl);
      p.put("application.id", "llavaseg-feed");
      p.put("state.dir", infra.resolve("state").toString());
      p.put(ServiceConfig.STAGES, "reasoning,segmentation,standing");
      p.put(ServiceConfig.TOPICS_CREATE, "true");
      LlavasegService service = LlavasegService.start(ServiceConfig.from(p), new BackendModelProvider());
      started.push(service);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (service.streams().state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    }
    log.println("feed: broker " + bootstrap + ", registry " + registryUrl);
    Map<String, Object> serde = Map.of(ServiceConfig.SCHEMA_REGISTRY_URL, registryUrl);
    SchemaRegistry client = RestSchemaRegistry.fromConfigs(serde);
    started.push(client);
    Topics topics = Topics.withRegistry(client, serde);

    Map<String, ImageAnswer> answers = new ConcurrentHashMap<>();
    Map<String, ImageMask> masks = new ConcurrentHashMap<>();
    Map<String, Instant> maskSeen = new ConcurrentHashMap<>();
    List<FrameSkip> skips = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread reader = reader(bootstrap, topics, answers, masks, maskSeen, skips);
    reader.start();

    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    pp.put(ProducerConfig.ACKS_CONFIG, "all");
    List<Sent> sent = new ArrayList<>();
    ShapeWorld world = new ShapeWorld(o.seed());
    List<BufferedImage> scenes = new ArrayList<>();
    for (int c = 0; c < o.cameras(); c++) {
      scenes.add(world.sample(c).image());
    }
    try (KafkaProducer<String, CameraQueries> qp = new KafkaProducer<>(pp, topics.cameraQueries().keySerde().serializer(),
        topics.cameraQueries().valueSerde().serializer());
        KafkaProducer<String, CameraFrame> fp = new KafkaProducer<>(pp, topics.cameraFrames().keySerde().serializer(),
            topics.cameraFrames().valueSerde().serializer())) {
      for (int c = 0; c < o.cameras(); c++) {
        List<StandingQuestion> qs = new ArrayList<>();
        for (int i = 0; i < o.questions().size(); i++) {
          qs.add(new StandingQuestion("q" + (i + 1), o.questions().get(i), Map.of()));
        }
        qp.send(new ProducerRecord<>(Topics.CAMERA_QUERIES, camera(c), new CameraQueries(camera(c), qs, Instant.now())));
      }
      qp.flush();
      Thread.sleep(2000);
      int frames = (int) Math.max(1, Math.round(o.fps() * o.duration().toMillis() / 1000.0));
      log.printf(Locale.ROOT, "feed: %d cameras x %d frames at %.1f fps, %d standing questions each ...%n", o.cameras(),
          frames, o.fps(), o.questions().size());
      long t0 = System.nanoTime();
      for (int f = 0; f < frames; f++) {
        long due = t0 + (long) (f * 1e9 / o.fps());
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        for (int c = 0; c < o.cameras(); c++) {
          BufferedImage frame = pan(scenes.get(c), 6 * f);
          Instant now = Instant.now();
          fp.send(new ProducerRecord<>(Topics.CAMERA_FRAMES, camera(c), new CameraFrame(camera(c) + "-" + f, camera(c),
              now, new InlineImage("image/png", ByteBuffer.wrap(png(frame))))));
          sent.add(new Sent(camera(c), f, frame, now));
        }
      }
      fp.flush();
    }
    long drainDeadline = System.nanoTime() + o.drain().toNanos();
    int expectedAtMost = sent.size() * o.questions().size();
    while (System.nanoTime() < drainDeadline) {
      int settled = masks.size() + skips.size() * o.questions().size();
      if (settled >= expectedAtMost) {
        break;
      }
      Thread.sleep(250);
    }
    readerStop = true;
    reader.join(10_000);
    return report(sent, answers, masks, maskSeen, skips);
  }

  private Map<String, Object> report(List<Sent> sent, Map<String, ImageAnswer> answers, Map<String, ImageMask> masks,
      Map<String, Instant> maskSeen, List<FrameSkip> skips) throws IOException {
    Files.createDirectories(o.out());
    Map<String, Long> byReason = new TreeMap<>();
    synchronized (skips) {
      skips.forEach(s -> byReason.merge(s.getReason(), 1L, Long::sum));
    }
    List<Double> latency = new ArrayList<>();
    Map<String, Sent> byFrame = new LinkedHashMap<>();
    sent.forEach(s -> byFrame.put(s.camera() + "-" + s.frame(), s));
    maskSeen.forEach((id, seen) -> {
      Sent s = byFrame.get(id.substring(0, id.indexOf('/')));
      if (s != null) {
        latency.add((double) Duration.between(s.captured(), seen).toMillis());
      }
    });
    Percentiles p = new Percentiles(latency);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("cameras", o.cameras());
    summary.put("frames", sent.size());
    summary.put("questions_per_camera", o.questions().size());
    summary.put("skipped", byReason);
    summary.put("answers", answers.size());
    summary.put("masks", masks.size());
    summary.put("expected", (sent.size() - skips.size()) * o.questions().size());
    Map<String, Object> lat = new LinkedHashMap<>();
    lat.put("p50", p.get(50));
    lat.put("p95", p.get(95));
    lat.put("p99", p.get(99));
    summary.put("capture_to_mask_ms", lat);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(o.out().resolve("summary.json").toFile(),
        summary);
    // the latest answered frame of each camera, one tile per question
    List<IndexPage.Tile> tiles = new ArrayList<>();
    Map<String, String> latest = new TreeMap<>();
    for (String id : masks.keySet()) {
      String frameId = id.substring(0, id.indexOf('/'));
      Sent s = byFrame.get(frameId);
      if (s == null) {
        continue;
      }
      String key = s.camera() + id.substring(id.indexOf('/'));
      String prev = latest.get(key);
      if (prev == null || byFrame.get(prev.substring(0, prev.indexOf('/'))).frame() < s.frame()) {
        latest.put(key, id);
      }
    }
    for (String id : latest.values()) {
      ImageMask m = masks.get(id);
      ImageAnswer a = answers.get(id);
      Sent s = byFrame.get(id.substring(0, id.indexOf('/')));
      long[] counts = m.getRleCounts().stream().mapToLong(Long::longValue).toArray();
      BinaryMask mask = new BinaryMask(m.getWidth(), m.getHeight(), CocoRle.decode(counts, m.getWidth(), m.getHeight()));
      String name = id.replace('/', '_') + ".png";
      ImageIO.write(Overlay.render(s.image(), mask.pixels(), a == null ? "" : a.getQuestion(),
          a == null ? "" : a.getAnswer(), id + (m.getTarget() == null ? "" : " -> " + m.getTarget())), "png",
          o.out().resolve(name).toFile());
      tiles.add(new IndexPage.Tile(name, id, true));
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"cameras x frames", o.cameras() + " x " + (sent.size() / Math.max(1, o.cameras()))});
    rows.add(new String[] {"skipped frames", byReason.toString()});
    rows.add(new String[] {"answers / masks", answers.size() + " / " + masks.size()});
    rows.add(new String[] {"capture to mask p50 / p95", String.format(Locale.ROOT, "%.0f / %.0f ms", p.get(50), p.get(95))});
    IndexPage.write(o.out().resolve("index.html"), "llavaseg feed: standing queries over camera frames", rows, tiles);
    return summary;
  }

  private Thread reader(String bootstrap, Topics topics, Map<String, ImageAnswer> answers, Map<String, ImageMask> masks,
      Map<String, Instant> maskSeen, List<FrameSkip> skips) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "llavaseg-feed-reader-" + System.currentTimeMillis());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new Thread(() -> {
      try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
        c.subscribe(List.of(Topics.IMAGE_ANSWERS, Topics.IMAGE_MASKS, Topics.CAMERA_FRAMES_SKIPPED));
        while (!readerStop) {
          for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
            switch (r.topic()) {
              case Topics.IMAGE_ANSWERS -> {
                ImageAnswer a = topics.answers().valueSerde().deserializer().deserialize(r.topic(), r.value());
                if (a.getQueryId().contains("/")) {
                  answers.put(a.getQueryId(), a);
                }
              }
              case Topics.IMAGE_MASKS -> {
                ImageMask m = topics.masks().valueSerde().deserializer().deserialize(r.topic(), r.value());
                if (m.getQueryId().contains("/")) {
                  masks.put(m.getQueryId(), m);
                  maskSeen.putIfAbsent(m.getQueryId(), Instant.now());
                }
              }
              default -> skips.add(topics.frameSkips().valueSerde().deserializer().deserialize(r.topic(), r.value()));
            }
          }
        }
      }
    }, "feed-reader");
  }

  private static String camera(int c) {
    return "camera-" + c;
  }

  /** The scene shifted {@code dx} pixels to the right, wrapping around: a panning camera. */
  static BufferedImage pan(BufferedImage scene, int dx) {
    int w = scene.getWidth();
    int h = scene.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int shift = Math.floorMod(dx, w);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        out.setRGB((x + shift) % w, y, scene.getRGB(x, y));
      }
    }
    return out;
  }

  private static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** The table printed at the end. */
  public static void print(Map<String, Object> s, PrintStream out) {
    out.println();
    out.printf("%-28s %s%n", "cameras x frames", s.get("cameras") + " x "
        + ((Integer) s.get("frames") / Math.max(1, (Integer) s.get("cameras"))));
    out.printf("%-28s %s%n", "frames skipped", s.get("skipped"));
    out.printf("%-28s %s / %s (expected %s)%n", "answers / masks", s.get("answers"), s.get("masks"), s.get("expected"));
    Map<?, ?> l = (Map<?, ?>) s.get("capture_to_mask_ms");
    out.printf(Locale.ROOT, "%-28s %.0f / %.0f / %.0f ms%n", "capture to mask p50/p95/p99", l.get("p50"), l.get("p95"),
        l.get("p99"));
  }
}
