package io.llavaseg.topology;

import io.llavaseg.topology.image.ValidationLimits;
import java.nio.file.Path;
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
 * annotated defaults are in {@code llavaseg-defaults.properties} next to this class's resources.
 */
public final class ServiceConfig {

  public static final String STAGES = "llavaseg.stages";
  public static final String DEDUP_WINDOW = "llavaseg.dedup.window";
  public static final String INFERENCE_TIMEOUT = "llavaseg.inference.timeout";
  public static final String RECORD_MAX_BYTES = "llavaseg.record.max-bytes";
  public static final String IMAGE_MAX_BYTES = "llavaseg.image.max-bytes";
  public static final String IMAGE_MIN_SIDE = "llavaseg.image.min-side";
  public static final String IMAGE_MAX_SIDE = "llavaseg.image.max-side";
  public static final String QUESTION_MAX_CHARS = "llavaseg.question.max-chars";
  public static final String REFERENCE_ROOTS = "llavaseg.reference.roots";
  public static final String MODEL_STORE = "llavaseg.model.store";
  public static final String REASONER_VERSION = "llavaseg.reasoner.version";
  public static final String SEGMENTER_VERSION = "llavaseg.segmenter.version";
  public static final String DEVICE = "llavaseg.device";
  public static final String PROMPTS_FILE = "llavaseg.prompts.file";
  public static final String BROKER_TRANSACTION_MAX_TIMEOUT = "llavaseg.broker.transaction.max.timeout";
  public static final String TOPICS_CREATE = "llavaseg.topics.create";
  public static final String TOPICS_PARTITIONS = "llavaseg.topics.partitions";
  public static final String TOPICS_REPLICATION = "llavaseg.topics.replication-factor";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

  /** Documented defaults (also listed, with comments, in {@code llavaseg-defaults.properties}). */
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
        intValue(IMAGE_MAX_SIDE), intValue(QUESTION_MAX_CHARS), paths(all.getProperty(REFERENCE_ROOTS)));
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
    DEFAULTS.forEach(all::putIfAbsent);
    Duration inference = Durations.parse(INFERENCE_TIMEOUT, all.getProperty(INFERENCE_TIMEOUT));
    int maxPollRecords = Integer.parseInt(all.getProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG).strip());
    KafkaTimeouts derived = KafkaTimeouts.derive(inference, maxPollRecords);
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

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(StreamsConfig.APPLICATION_ID_CONFIG, "llavaseg");
    d.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
    d.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    d.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
    d.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10");
    d.put(SCHEMA_REGISTRY_URL, "http://127.0.0.1:8081/apis/ccompat/v7");
    d.put(STAGES, "reasoning,segmentation");
    d.put(DEDUP_WINDOW, "1h");
    d.put(INFERENCE_TIMEOUT, "30s");
    d.put(RECORD_MAX_BYTES, "1000000");
    d.put(IMAGE_MAX_BYTES, Integer.toString(8 * 1024 * 1024));
    d.put(IMAGE_MIN_SIDE, "64");
    d.put(IMAGE_MAX_SIDE, "4096");
    d.put(QUESTION_MAX_CHARS, "1000");
    d.put(REFERENCE_ROOTS, "");
    d.put(MODEL_STORE, System.getProperty("llavaseg.model.store", "model-store"));
    d.put(REASONER_VERSION, "v1");
    d.put(SEGMENTER_VERSION, "v1");
    d.put(DEVICE, "cpu");
    d.put(PROMPTS_FILE, "");
    d.put(BROKER_TRANSACTION_MAX_TIMEOUT, "15m");
    d.put(TOPICS_CREATE, "false");
    d.put(TOPICS_PARTITIONS, "3");
    d.put(TOPICS_REPLICATION, "-1");
    return java.util.Collections.unmodifiableMap(d);
  }
}
