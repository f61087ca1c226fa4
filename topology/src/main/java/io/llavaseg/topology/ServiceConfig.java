package io.llavaseg.topology;

import io.llavaseg.topology.image.ValidationLimits;
import io.llavaseg.topology.inference.BatchPolicy;
import io.llavaseg.topology.inference.BatchingQueue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The service's configuration: one properties file holding both the Kafka Streams settings (passed
 * through) and the {@code llavaseg.*} settings (read here). {@link #from} fills every missing key
 * with its documented default ({@code putIfAbsent}) and derives the poll and transaction timeouts
 * from the inference budget (see {@link KafkaTimeouts}); keys set in the file always win. The
 * defaults, each with its comment, are in the classpath resource {@value #DEFAULTS_RESOURCE}
 * ({@code topology/src/main/resources}), the configuration reference.
 */
public final class ServiceConfig {

  public static final String STAGES = "llavaseg.stages";
  public static final String DEDUP_WINDOW = "llavaseg.dedup.window";
  public static final String INFERENCE_TIMEOUT = "llavaseg.inference.timeout";
  public static final String RECORD_MAX_BYTES = "llavaseg.record.max-bytes";
  public static final String OUTPUT_MAX_BYTES = "llavaseg.output.max-bytes";
  public static final String IMAGE_MAX_BYTES = "llavaseg.image.max-bytes";
  public static final String IMAGE_MIN_SIDE = "llavaseg.image.min-side";
  public static final String IMAGE_MAX_SIDE = "llavaseg.image.max-side";
  public static final String QUESTION_MAX_CHARS = "llavaseg.question.max-chars";
  public static final String REFERENCE_ROOTS = "llavaseg.reference.roots";
  public static final String REFERENCE_HOSTS = "llavaseg.reference.hosts";
  public static final String MODEL_STORE = "llavaseg.model.store";
  public static final String REASONER_VERSION = "llavaseg.reasoner.version";
  public static final String SEGMENTER_VERSION = "llavaseg.segmenter.version";
  public static final String INFERENCE_DEVICES = "llavaseg.inference.devices";
  public static final String METRICS_PORT = "llavaseg.metrics.port";
  public static final String INFERENCE_ATTEMPTS = "llavaseg.inference.attempts";
  public static final String STANDING_MAX_AGE = "llavaseg.standing.max-age";
  public static final String STANDING_MAX_FPS = "llavaseg.standing.max-fps";
  public static final String METRICS_HOST = "llavaseg.metrics.host";
  public static final String PROMPTS_FILE = "llavaseg.prompts.file";
  public static final String BROKER_TRANSACTION_MAX_TIMEOUT = "llavaseg.broker.transaction.max.timeout";
  public static final String TOPICS_CREATE = "llavaseg.topics.create";
  public static final String TOPICS_PARTITIONS = "llavaseg.topics.partitions";
  public static final String TOPICS_REPLICATION = "llavaseg.topics.replication-factor";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

  /** The classpath resource holding every default, with comments: the configuration reference. */
  public static final String DEFAULTS_RESOURCE = "llavaseg-defaults.properties";

  /** The defaults, read from {@value #DEFAULTS_RESOURCE}. */
  public static final Map<String, String> DEFAULTS = defaults();

  private final Properties all;
  private final Set<Stage> stages;
  private final Duration dedupWindow;
  private final Duration inferenceTimeout;
  private final ValidationLimits limits;
  private final KafkaTimeouts timeouts;

  private ServiceConfig(Properties all) {
    this.all = all;
    this.stages = Stage.parseList(all.getProperty(STAGES));
    this.dedupWindow = Durations.parse(DEDUP_WINDOW, all.getProperty(DEDUP_WINDOW));
    if (dedupWindow.isZero()) {
      throw new IllegalArgumentException(DEDUP_WINDOW + " must be positive");
    }
    this.inferenceTimeout = Durations.parse(INFERENCE_TIMEOUT, all.getProperty(INFERENCE_TIMEOUT));
    this.limits = new ValidationLimits(
        intValue(RECORD_MAX_BYTES), intValue(IMAGE_MAX_BYTES), intValue(IMAGE_MIN_SIDE),
        intValue(IMAGE_MAX_SIDE), intValue(QUESTION_MAX_CHARS), paths(all.getProperty(REFERENCE_ROOTS)),
        Arrays.stream(all.getProperty(REFERENCE_HOSTS, "").split(",")).map(String::strip)
            .filter(h -> !h.isEmpty()).toList());
    this.timeouts = new KafkaTimeouts(
        intValue(ConsumerConfig.MAX_POLL_RECORDS_CONFIG),
        longValue(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
        longValue(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
    if (isExactlyOnce()) {
      timeouts.check(Durations.parse(BROKER_TRANSACTION_MAX_TIMEOUT,
          all.getProperty(BROKER_TRANSACTION_MAX_TIMEOUT)).toMillis());
    }
  }

  /**
   * Copies {@code props}, fills defaults and the derived timeouts where absent, and validates.
   *
   * @throws IllegalArgumentException naming the offending key
   */
  public static ServiceConfig from(Properties props) {
    Properties all = new Properties();
    all.putAll(props);
    Secrets.resolve(all);
    if (!all.containsKey(StreamsConfig.APPLICATION_ID_CONFIG)) {
      // One consumer group must run one topology: a single-stage instance gets its own default id.
      String stages = all.getProperty(STAGES, DEFAULTS.get(STAGES));
      Set<Stage> parsed = Stage.parseList(stages);
      String base = DEFAULTS.get(StreamsConfig.APPLICATION_ID_CONFIG);
      all.put(StreamsConfig.APPLICATION_ID_CONFIG,
          parsed.size() == 1 ? base + "-" + parsed.iterator().next().configName() : base);
    }
    DEFAULTS.forEach(all::putIfAbsent);
    Duration inference = Durations.parse(INFERENCE_TIMEOUT, all.getProperty(INFERENCE_TIMEOUT));
    int maxPollRecords = Integer.parseInt(all.getProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG).strip());
    int threads = Integer.parseInt(all.getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG).strip());
    KafkaTimeouts derived = KafkaTimeouts.derive(inference, maxPollRecords,
        KafkaTimeouts.worstWait(inference, threads, batchPolicy(all, Stage.REASONING), batchPolicy(all, Stage.SEGMENTATION)));
    all.putIfAbsent(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(derived.maxPollIntervalMs()));
    all.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(derived.transactionTimeoutMs()));
    return new ServiceConfig(all);
  }

  /** Every setting, defaults and derived values included (a copy). */
  public Properties properties() {
    Properties copy = new Properties();
    copy.putAll(all);
    return copy;
  }

  /** What {@code KafkaStreams} gets: everything except the {@code llavaseg.*} and registry keys. */
  public Properties streamsProperties() {
    Properties streams = new Properties();
    all.forEach((k, v) -> {
      String key = k.toString();
      if (!key.startsWith("llavaseg.") && !isSerdeKey(key)) {
        streams.put(key, v);
      }
    });
    return streams;
  }

  /**
   * What the service's own admin client gets (topic creation): the Kafka client settings an admin
   * client knows, bootstrap servers and security included, from {@link #streamsProperties()}.
   */
  public Properties adminProperties() {
    Properties admin = new Properties();
    java.util.Set<String> known = org.apache.kafka.clients.admin.AdminClientConfig.configNames();
    streamsProperties().forEach((k, v) -> {
      if (known.contains(k.toString())) {
        admin.put(k, v);
      }
    });
    return admin;
  }

  /**
   * The registry serde's keys ({@code schema.registry.*}, {@code basic.auth.*}, {@code
   * auto.register.schemas}, {@code use.latest.version}), as its {@code configure} expects them.
   */
  public Map<String, Object> serdeConfig() {
    Map<String, Object> serde = new LinkedHashMap<>();
    all.forEach((k, v) -> {
      if (isSerdeKey(k.toString())) {
        serde.put(k.toString(), v);
      }
    });
    return serde;
  }

  public String get(String key) {
    return all.getProperty(key);
  }

  public Set<Stage> stages() {
    return stages;
  }

  public Duration dedupWindow() {
    return dedupWindow;
  }

  public Duration inferenceTimeout() {
    return inferenceTimeout;
  }

  /** {@value #INFERENCE_DEVICES}: {@code cpu}, {@code auto} or a GPU list such as {@code gpu0,gpu1}. */
  public String inferenceDevices() {
    return all.getProperty(INFERENCE_DEVICES).strip();
  }

  /** {@code llavaseg.<stage>.workers}: worker threads (one predictor each); 0 = one per device. */
  public int workers(Stage stage, int devices) {
    String key = stageKey(stage, "workers");
    int w = nonNegative(key);
    return w == 0 ? devices : w;
  }

  /** {@code llavaseg.<stage>.batch.max-size} and {@code .max-delay}. */
  public BatchPolicy batchPolicy(Stage stage) {
    return batchPolicy(all, stage);
  }

  private static BatchPolicy batchPolicy(Properties all, Stage stage) {
    String sizeKey = stageKey(stage, "batch.max-size");
    String delayKey = stageKey(stage, "batch.max-delay");
    int size;
    try {
      size = Integer.parseInt(all.getProperty(sizeKey).strip());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(sizeKey + " must be a whole number >= 1, got '" + all.getProperty(sizeKey) + "'");
    }
    if (size < 1) {
      throw new IllegalArgumentException(sizeKey + " must be >= 1, got " + size);
    }
    return new BatchPolicy(size, Durations.parse(delayKey, all.getProperty(delayKey)));
  }

  static String stageKey(Stage stage, String suffix) {
    return "llavaseg." + stage.configName() + "." + suffix;
  }

  /**
   * How a stage's queue treats failing and hanging models: {@value #INFERENCE_ATTEMPTS} tries per
   * request; a caller waits at most W = D + ceil(S/B) * T (see {@link KafkaTimeouts}); a worker in
   * one batch for longer than T is replaced.
   */
  public BatchingQueue.FailurePolicy failurePolicy(Stage stage) {
    int attempts = nonNegative(INFERENCE_ATTEMPTS);
    if (attempts < 1) {
      throw new IllegalArgumentException(INFERENCE_ATTEMPTS + " must be >= 1, got " + attempts);
    }
    int threads = Integer.parseInt(all.getProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG).strip());
    Duration wait = KafkaTimeouts.worstWait(inferenceTimeout, threads, batchPolicy(stage));
    return new BatchingQueue.FailurePolicy(attempts, wait, inferenceTimeout);
  }

  /** {@value #STANDING_MAX_AGE}: a camera frame older than this on arrival is skipped (STALE). */
  public Duration standingMaxAge() {
    return Durations.parse(STANDING_MAX_AGE, all.getProperty(STANDING_MAX_AGE));
  }

  /** {@value #STANDING_MAX_FPS}: frames per second of capture time accepted per camera; 0 = all. */
  public double standingMaxFps() {
    String text = all.getProperty(STANDING_MAX_FPS);
    try {
      double fps = Double.parseDouble(text.strip());
      if (!(fps >= 0) || Double.isInfinite(fps)) {
        throw new NumberFormatException();
      }
      return fps;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(STANDING_MAX_FPS + " must be a number >= 0, got '" + text + "'");
    }
  }

  /** {@value #METRICS_PORT}: the Prometheus endpoint's port; 0 = any free port, -1 = no endpoint. */
  public int metricsPort() {
    String text = all.getProperty(METRICS_PORT);
    try {
      int port = Integer.parseInt(text.strip());
      if (port < -1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(METRICS_PORT + " must be a port, 0 (any free port) or -1 (off), got '" + text + "'");
    }
  }

  private int nonNegative(String key) {
    String text = all.getProperty(key);
    try {
      int v = Integer.parseInt(text.strip());
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + " must be a whole number >= 0, got '" + text + "'");
    }
  }

  /** Largest serialized output record ({@value #OUTPUT_MAX_BYTES}). */
  public int outputMaxBytes() {
    return intValue(OUTPUT_MAX_BYTES);
  }

  public ValidationLimits limits() {
    return limits;
  }

  public KafkaTimeouts timeouts() {
    return timeouts;
  }

  /** Whether the service creates missing topics at start ({@value #TOPICS_CREATE}). */
  public boolean createTopics() {
    return Boolean.parseBoolean(all.getProperty(TOPICS_CREATE).strip());
  }

  public int topicPartitions() {
    return intValue(TOPICS_PARTITIONS);
  }

  /** Empty means the broker's default.replication.factor. */
  public java.util.Optional<Short> topicReplication() {
    short r = Short.parseShort(all.getProperty(TOPICS_REPLICATION).strip());
    return r < 0 ? java.util.Optional.empty() : java.util.Optional.of(r);
  }

  public boolean isExactlyOnce() {
    return StreamsConfig.EXACTLY_ONCE_V2.equals(all.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
  }

  private static boolean isSerdeKey(String key) {
    return key.startsWith("schema.registry.") || key.startsWith("basic.auth.")
        || key.equals("auto.register.schemas") || key.equals("use.latest.version");
  }

  private int intValue(String key) {
    return (int) bounded(key, Integer.MAX_VALUE);
  }

  private long longValue(String key) {
    return bounded(key, Long.MAX_VALUE);
  }

  private long bounded(String key, long max) {
    String text = all.getProperty(key);
    try {
      long v = Long.parseLong(text.strip());
      if (v <= 0 || v > max) {
        throw new NumberFormatException("out of range");
      }
      return v;
    } catch (NumberFormatException | NullPointerException e) {
      throw new IllegalArgumentException(key + " must be a positive whole number, got '" + text + "'");
    }
  }

  private static List<Path> paths(String text) {
    return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Path::of).toList();
  }

  /** The resource file's entries in file order; {@value #MODEL_STORE} from the system property if set. */
  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    try (InputStream in = ServiceConfig.class.getResourceAsStream("/" + DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      Properties p = new Properties() {
        @Override
        public synchronized Object put(Object key, Object value) {
          d.put(key.toString(), value.toString());
          return super.put(key, value);
        }
      };
      p.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String store = System.getProperty(MODEL_STORE);
    if (store != null && !store.isBlank()) {
      d.put(MODEL_STORE, store);
    }
    return Collections.unmodifiableMap(d);
  }

}
