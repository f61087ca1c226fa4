package io.llavaseg.topology;

import io.llavaseg.model.backend.BackendSetting;
import io.llavaseg.schemas.registry.RegistryConfig;
import io.llavaseg.topology.image.ValidationLimits;
import io.llavaseg.topology.inference.BatchPolicy;
import io.llavaseg.topology.inference.BatchingQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's configuration: one properties file holding the Kafka Streams and client settings
 * (passed through to Kafka unchanged), the registry serde's settings (defined by {@link
 * RegistryConfig}) and the {@code llavaseg.*} settings, each defined once in {@link #CONFIG_DEF}
 * with its type, default, validator, importance and documentation; code reads the typed getters.
 * {@code docs/configuration.md} is generated from the definitions by {@link ConfigReference}.
 *
 * <p>{@link #from} resolves secrets ({@link Secrets}), validates every {@code llavaseg.*} value (a
 * bad one throws a {@link ConfigException} naming the key and the value), warns about unknown
 * {@code llavaseg.*} keys (typos), fills the Kafka settings of {@link #KAFKA_DEFAULTS} and {@value
 * #SCHEMA_REGISTRY_URL} where absent ({@code putIfAbsent}), and derives the poll and transaction
 * timeouts from the inference budget (see {@link KafkaTimeouts}); keys set in the file always win.
 */
public final class ServiceConfig extends AbstractConfig {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceConfig.class);

  /** The prefix of the keys defined here; an unknown key with it is reported as a probable typo. */
  public static final String PREFIX = "llavaseg.";

  public static final String STAGES = "llavaseg.stages";
  public static final String STAGES_FUSED = "llavaseg.stages.fused";
  public static final String DEDUP_WINDOW = "llavaseg.dedup.window";
  public static final String INFERENCE_TIMEOUT = "llavaseg.inference.timeout";
  public static final String RECORD_MAX_BYTES = "llavaseg.record.max-bytes";
  public static final String RECORD_MAX_KEY_BYTES = "llavaseg.record.max-key-bytes";
  public static final String RECORD_MAX_HEADER_BYTES = "llavaseg.record.max-header-bytes";
  public static final String OUTPUT_MAX_BYTES = "llavaseg.output.max-bytes";
  public static final String OUTPUT_COMMIT_DELAY = "llavaseg.output.commit-delay";
  public static final String IMAGE_MAX_BYTES = "llavaseg.image.max-bytes";
  public static final String IMAGE_MIN_SIDE = "llavaseg.image.min-side";
  public static final String IMAGE_MAX_SIDE = "llavaseg.image.max-side";
  public static final String QUESTION_MAX_CHARS = "llavaseg.question.max-chars";
  public static final String REFERENCE_ROOTS = "llavaseg.reference.roots";
  public static final String REFERENCE_HOSTS = "llavaseg.reference.hosts";
  public static final String REFERENCE_ALLOW_PRIVATE = "llavaseg.reference.allow-private-addresses";
  public static final String IMAGE_DECODE_BUDGET = "llavaseg.image.decode-budget-bytes";
  public static final String IMAGE_DECODE_WAIT = "llavaseg.image.decode-wait";
  public static final String REGISTRY_BREAKER_THRESHOLD = "llavaseg.registry.unknown-schema.breaker-threshold";
  public static final String IMAGE_STORE_BREAKER_THRESHOLD = "llavaseg.image-store.breaker-threshold";
  public static final String BREAKER_OPEN_FOR = "llavaseg.breaker.open-for";
  public static final String MODEL_STORE = "llavaseg.model.store";
  public static final String REASONER_VERSION = "llavaseg.reasoner.version";
  public static final String SEGMENTER_VERSION = "llavaseg.segmenter.version";
  public static final String REASONER_BACKEND = "llavaseg.reasoner.backend";
  public static final String SEGMENTER_BACKEND = "llavaseg.segmenter.backend";
  public static final String INFERENCE_DEVICES = "llavaseg.inference.devices";
  public static final String INFERENCE_EXCLUSIVE_DEVICES = "llavaseg.inference.exclusive-devices";
  public static final String INFERENCE_CPU_THREADS = "llavaseg.inference.cpu-threads";
  public static final String REASONING_WORKERS = "llavaseg.reasoning.workers";
  public static final String SEGMENTATION_WORKERS = "llavaseg.segmentation.workers";
  public static final String REASONING_BATCH_MAX_SIZE = "llavaseg.reasoning.batch.max-size";
  public static final String REASONING_BATCH_MAX_DELAY = "llavaseg.reasoning.batch.max-delay";
  public static final String SEGMENTATION_BATCH_MAX_SIZE = "llavaseg.segmentation.batch.max-size";
  public static final String SEGMENTATION_BATCH_MAX_DELAY = "llavaseg.segmentation.batch.max-delay";
  public static final String METRICS_PORT = "llavaseg.metrics.port";
  public static final String INFERENCE_ATTEMPTS = "llavaseg.inference.attempts";
  public static final String STANDING_MAX_AGE = "llavaseg.standing.max-age";
  public static final String STANDING_MAX_FPS = "llavaseg.standing.max-fps";
  public static final String STANDING_MAX_FANOUT_BYTES = "llavaseg.standing.max-fanout-bytes";
  public static final String METRICS_HOST = "llavaseg.metrics.host";
  public static final String PROMPTS_FILE = "llavaseg.prompts.file";
  public static final String BROKER_TRANSACTION_MAX_TIMEOUT = "llavaseg.broker.transaction.max.timeout";
  public static final String TOPICS_CREATE = "llavaseg.topics.create";
  public static final String TOPICS_PARTITIONS = "llavaseg.topics.partitions";
  public static final String TOPICS_PREFIX = "llavaseg.topics.prefix";
  public static final String TOPICS_REPLICATION = "llavaseg.topics.replication-factor";
  public static final String SCHEMA_REGISTRY_URL = RegistryConfig.URL;

  /**
   * The default of {@value #MODEL_STORE} when the JVM system property of the same name is unset
   * ({@code ops/llavaseg} and the container image set it).
   */
  public static final String MODEL_STORE_FALLBACK = "model-store";

  /** {@code reasoner} and {@code segmenter}: the model kinds' folders under the model store. */
  public static final String REASONER_KIND = "reasoner";
  public static final String SEGMENTER_KIND = "segmenter";

  /**
   * The default {@code state.dir}: a folder of the service's own under the working directory, not
   * Kafka's default in the OS temp directory, which the OS may clear under a running instance.
   */
  public static final String DEFAULT_STATE_DIR = "llavaseg-state";

  /** The default {@code application.id}; a single-stage instance gets {@code llavaseg-<stage>}. */
  public static final String DEFAULT_APPLICATION_ID = "llavaseg";

  /** The default {@value #SCHEMA_REGISTRY_URL}: a local registry's Confluent-compatible API. */
  public static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://127.0.0.1:8081/apis/ccompat/v7";

  /**
   * Kafka settings the service sets where the file does not ({@code putIfAbsent}), in this order,
   * each with why (the value's documentation in {@code docs/configuration.md}). {@code
   * application.id} (see {@link #DEFAULT_APPLICATION_ID}) and the derived {@code
   * max.poll.interval.ms} and {@code transaction.timeout.ms} are filled as well, see {@link #from}.
   */
  public static final Map<String, String> KAFKA_DEFAULTS = orderedMap(
      StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092",
      StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
      StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2",
      ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2",
      StreamsConfig.POLL_MS_CONFIG, "5",
      StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000",
      StreamsConfig.STATE_DIR_CONFIG, DEFAULT_STATE_DIR);

  /** The documentation of the pass-through keys the service fills (for {@link ConfigReference}). */
  static final Map<String, String> PASS_THROUGH_DOCS = orderedMap(
      StreamsConfig.APPLICATION_ID_CONFIG,
      "Consumer group and prefix of internal topics (the dedup store's changelog). Instances with the same id"
          + " share the work, so they must run the same stages. Default " + DEFAULT_APPLICATION_ID
          + "; an instance running a single stage defaults to " + DEFAULT_APPLICATION_ID + "-<stage> instead.",
      StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "The Kafka brokers.",
      StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
      "exactly_once_v2 needs brokers >= 2.5 and, with the default replication of the transaction log, at least 3"
          + " brokers (a single-broker development cluster sets transaction.state.log.replication.factor=1).",
      StreamsConfig.NUM_STREAM_THREADS_CONFIG,
      "Stream threads per instance (S). A thread does the host work of its records (deserialization, image"
          + " decoding, outputs) and keeps up to llavaseg.<stage>.batch.max-in-flight requests at the models, so a"
          + " batch does not need one thread per request: two threads fill batches of 32. Threads only get work if"
          + " the input topics have enough partitions.",
      StreamsConfig.STATE_DIR_CONFIG,
      "Where the dedup store's local state lives: a folder of the service's own (relative to the working"
          + " directory), not the OS temp directory Kafka uses by default, which the OS may clear. The Kubernetes"
          + " files mount a volume at /var/lib/llavaseg/state.",
      ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
      "Records per poll (R). Keep it small: slow inference per record must fit the derived poll and transaction"
          + " timeouts.",
      StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
      "The longest a stream thread goes without committing (one transaction under exactly_once_v2). The model"
          + " stages and the camera fan-out ask for a commit as soon as they forwarded outputs, so their results do"
          + " not wait for it; what does: dead letters of validation, skipped stale frames, and the accepted"
          + " records' in-flight store (a crash re-runs at most this much work). Kafka's exactly-once default is 100;"
          + " 1000 cuts transactions without delaying answers.",
      StreamsConfig.POLL_MS_CONFIG,
      "How long an idle stream thread blocks in poll: results that came back meanwhile are forwarded after at most"
          + " this (plus the 5 ms drain punctuation), so it bounds the latency the wait adds (Kafka's default 100).",
      ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
      "Derived unless set: max(300000, 2*R*W + 60000), where W, the longest wait of one record, is the maximum"
          + " over the stages of D + ceil(S*M/B)*T (T = llavaseg.inference.timeout, S = num.stream.threads,"
          + " M = batch max-in-flight, B = batch max-size, D = batch max-delay). 540040 with the defaults.",
      ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
      "Derived unless set: max(60000, 2*R*W + 60000) (see max.poll.interval.ms); must not exceed the brokers'"
          + " transaction.max.timeout.ms (llavaseg.broker.transaction.max.timeout). 540040 with the defaults.",
      SCHEMA_REGISTRY_URL,
      "Schema registry base URL(s) (Confluent REST API; Apicurio's /apis/ccompat/v7 works). The registry client's"
          + " other keys are in the next table.");

  /** Every {@code llavaseg.*} key, with {@value #MODEL_STORE} defaulting as {@link #modelStoreDefault()} says. */
  public static final ConfigDef CONFIG_DEF = configDef(modelStoreDefault());

  private final Properties all;
  private final Set<String> unknownKeys;
  private final Set<Stage> stages;
  private final ValidationLimits limits;
  private final KafkaTimeouts timeouts;

  private ServiceConfig(Map<String, Object> originals) {
    super(CONFIG_DEF, originals, false);
    Set<String> unknown = new TreeSet<>();
    for (String key : originals.keySet()) {
      if (key.startsWith(PREFIX) && !CONFIG_DEF.names().contains(key)) {
        unknown.add(key);
        LOG.warn("unknown setting {}={} is ignored (a typo? every llavaseg.* key is in docs/configuration.md)",
            key, Secrets.shown(key, String.valueOf(originals.get(key))));
      }
    }
    this.unknownKeys = Collections.unmodifiableSet(unknown);
    this.stages = Stage.parseList(String.join(",", getList(STAGES)));
    if (getInt(IMAGE_MAX_SIDE) < getInt(IMAGE_MIN_SIDE)) {
      throw new ConfigException(IMAGE_MAX_SIDE, getInt(IMAGE_MAX_SIDE), "must be >= " + IMAGE_MIN_SIDE
          + " (" + getInt(IMAGE_MIN_SIDE) + ")");
    }
    this.limits = new ValidationLimits(getInt(RECORD_MAX_BYTES), getInt(IMAGE_MAX_BYTES), getInt(IMAGE_MIN_SIDE),
        getInt(IMAGE_MAX_SIDE), getInt(QUESTION_MAX_CHARS), getList(REFERENCE_ROOTS).stream()
            .filter(s -> !s.isBlank()).map(Path::of).toList(),
        getList(REFERENCE_HOSTS).stream().filter(h -> !h.isBlank()).toList(), getInt(RECORD_MAX_KEY_BYTES),
        getInt(RECORD_MAX_HEADER_BYTES), getBoolean(REFERENCE_ALLOW_PRIVATE),
        InstanceGuards.of(getInt(REGISTRY_BREAKER_THRESHOLD), getInt(IMAGE_STORE_BREAKER_THRESHOLD),
            duration(BREAKER_OPEN_FOR), getLong(IMAGE_DECODE_BUDGET), duration(IMAGE_DECODE_WAIT)));

    Properties props = new Properties();
    props.putAll(originals);
    // every llavaseg.* value, defaults included, so properties() (run --print-config) shows them all
    for (String name : CONFIG_DEF.names()) {
      Object value = values().get(name);
      if (value != null) {
        props.putIfAbsent(name, ConfigDef.convertToString(value, typeOf(name)));
      }
    }
    props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, stages.size() == 1
        ? DEFAULT_APPLICATION_ID + "-" + stages.iterator().next().configName() : DEFAULT_APPLICATION_ID);
    KAFKA_DEFAULTS.forEach(props::putIfAbsent);
    props.putIfAbsent(SCHEMA_REGISTRY_URL, DEFAULT_SCHEMA_REGISTRY_URL);
    int maxPollRecords = positiveInt(props, ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
    int threads = positiveInt(props, StreamsConfig.NUM_STREAM_THREADS_CONFIG);
    Duration inference = inferenceTimeout();
    KafkaTimeouts derived;
    try {
      derived = KafkaTimeouts.derive(inference, maxPollRecords, KafkaTimeouts.worstWait(inference, threads,
          batchPolicy(Stage.REASONING, threads), batchPolicy(Stage.SEGMENTATION, threads)));
    } catch (ArithmeticException e) {
      throw new ConfigException(INFERENCE_TIMEOUT, getString(INFERENCE_TIMEOUT),
          "the derived Kafka timeouts overflow (with max.poll.records " + maxPollRecords + ")");
    }
    props.putIfAbsent(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(derived.maxPollIntervalMs()));
    props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(derived.transactionTimeoutMs()));
    this.all = props;
    this.timeouts = new KafkaTimeouts(maxPollRecords,
        positiveInt(props, ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
        positiveInt(props, ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
    if (isExactlyOnce()) {
      try {
        timeouts.check(duration(BROKER_TRANSACTION_MAX_TIMEOUT).toMillis());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, timeouts.transactionTimeoutMs(),
            e.getMessage());
      }
    }
    // the registry client's keys fail here, at start, rather than at the first serde
    RegistryConfig.from(serdeConfig());
  }

  /**
   * Copies {@code props}, resolves its secrets, validates, fills the defaults and the derived
   * timeouts where absent.
   *
   * @throws ConfigException naming the offending key and value
   */
  public static ServiceConfig from(Properties props) {
    Properties copy = new Properties();
    copy.putAll(props);
    try {
      Secrets.resolve(copy);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    Map<String, Object> resolved = new LinkedHashMap<>();
    copy.forEach((k, v) -> resolved.put(String.valueOf(k), v)); // non-string values pass through as before
    return new ServiceConfig(resolved);
  }

  /** The configuration of an empty properties file: every default. */
  public static ServiceConfig defaults() {
    return from(new Properties());
  }

  /**
   * The default of {@value #MODEL_STORE}: the JVM system property {@value #MODEL_STORE} when set
   * (the container image runs with {@code -Dllavaseg.model.store=/models}; {@code ops/llavaseg}
   * passes the repository's {@code model-store}), else {@value #MODEL_STORE_FALLBACK} under the
   * working directory. The one place the system property is read.
   */
  static String modelStoreDefault() {
    String store = System.getProperty(MODEL_STORE);
    return store == null || store.isBlank() ? MODEL_STORE_FALLBACK : store.strip();
  }

  /** The definitions, with {@code modelStore} as the default of {@value #MODEL_STORE}. */
  static ConfigDef configDef(String modelStore) {
    Definitions d = new Definitions();
    d.group("Stages");
    d.define(STAGES, Type.LIST, "reasoning,segmentation", ConfigValidators.STAGES, Importance.HIGH,
        "Which stages this instance runs. reasoning: image-queries -> image-answers and image-queries-reasoned;"
            + " segmentation: image-queries-reasoned -> image-masks; standing (opt-in): camera-frames and the"
            + " compacted camera-queries -> image-queries.");
    d.define(STAGES_FUSED, Type.BOOLEAN, true, null, Importance.MEDIUM,
        "With both reasoning and segmentation in llavaseg.stages: true runs them in one sub-topology, a reasoned"
            + " query handed to the segmentation step inside its task, so that it is not written to"
            + " image-queries-reasoned and read back, and one transaction takes it from its answer to its mask's"
            + " acceptance; the instance still reads image-queries-reasoned (records an earlier deployment left"
            + " there). false: two sub-topologies that meet through image-queries-reasoned, as instances running"
            + " one stage each do. Instances sharing an application.id must agree.");

    d.group("Models");
    d.define(MODEL_STORE, Type.STRING, modelStore, new NonEmptyString(), Importance.HIGH,
        "Root of the model folders <store>/reasoner/<version>/ and <store>/segmenter/<version>/. Default: the JVM"
            + " system property llavaseg.model.store when set (ops/llavaseg sets the repository's model-store, the"
            + " container image /models), else " + MODEL_STORE_FALLBACK + " under the working directory.");
    d.define(REASONER_BACKEND, Type.STRING, "djl", new NonEmptyString(), Importance.HIGH,
        "How the reasoner runs: djl (the model folder <store>/reasoner/<version>, in-process), openai (an MLLM behind"
            + " an OpenAI-compatible server: vLLM, Ollama, llama.cpp, ops/llavaseg serve), or a third party's backend"
            + " (a jar registered for java.util.ServiceLoader). On this build: " + names(ModelBackends.reasoners()
                .stream().map(b -> b.name()).toList()) + ".");
    d.define(SEGMENTER_BACKEND, Type.STRING, "djl", new NonEmptyString(), Importance.HIGH,
        "How the segmenter runs: djl (the model folder <store>/segmenter/<version>, in-process), sam2 (a SAM 2"
            + " TorchScript folder <store>/segmenter/<version> through DJL's Sam2Translator, prompted with the"
            + " reasoner's box or the location's cell centre), or a third party's backend. On this build: "
            + names(ModelBackends.segmenters().stream().map(b -> b.name()).toList()) + ".");
    d.define(REASONER_VERSION, Type.STRING, "v11", new NonEmptyString(), Importance.HIGH,
        "The reasoner's folder under <store>/reasoner/.");
    d.define(SEGMENTER_VERSION, Type.STRING, "v3", new NonEmptyString(), Importance.HIGH,
        "The segmenter's folder under <store>/segmenter/ (for sam2, e.g. sam2-hiera-tiny).");
    d.define(PROMPTS_FILE, Type.STRING, "", null, Importance.LOW,
        "Chain-of-thought prompts (prompt.answer, prompt.target, prompt.attributes, replies); empty = the reasoner"
            + " backend's own: for djl the folder's prompts.properties, else the built-in defaults. For a real MLLM:"
            + " ops/config/prompts-real-mllm.properties.");

    for (var b : ModelBackends.reasoners()) {
      defineBackend(d, REASONER_KIND, b.name(), b.settings());
    }
    for (var b : ModelBackends.segmenters()) {
      defineBackend(d, SEGMENTER_KIND, b.name(), b.settings());
    }

    d.group("Inference: devices, workers, dynamic batching");
    d.define(INFERENCE_DEVICES, Type.STRING, "cpu", ConfigValidators.DEVICES, Importance.HIGH,
        "Where the models run: cpu, auto (every CUDA GPU the engine sees, else cpu, said in the log) or a list such"
            + " as gpu0,gpu1. One model instance per device per process.");
    d.define(INFERENCE_EXCLUSIVE_DEVICES, Type.BOOLEAN, false, null, Importance.MEDIUM,
        "Whether the workers of both stages pinned to one device take turns on it: a worker waits for the device"
            + " to be free before it forms its batch, so the requests that arrive while the other stage's batch runs"
            + " join the next batch. For a device that runs one batch at a time (a GPU shared by both models);"
            + " false = each worker forms and runs its batch as soon as it is free itself (on the CPU the stages"
            + " overlap).");
    d.define(INFERENCE_CPU_THREADS, Type.INT, 0, Range.atLeast(0), Importance.MEDIUM,
        "PyTorch's intra-op threads when the models run on the CPU (one setting for the process); 0 = the cores"
            + " divided between the model workers on the CPU, at least 1, so that two workers on two cores run two"
            + " threads, not four that wait for each other (docs/performance.md). DJL's ai.djl.pytorch.num_threads,"
            + " if set, wins.");
    for (Stage stage : List.of(Stage.REASONING, Stage.SEGMENTATION)) {
      d.define(stageKey(stage, "workers"), Type.INT, 0, Range.atLeast(0), Importance.MEDIUM,
          "Worker threads of the " + stage.configName() + " stage, each with its own predictor, assigned to the"
              + " devices round-robin; 0 = one per device.");
    }
    String batching = " Dynamic batching (DJL Serving's semantics): a batch closes when it holds max-size"
        + " requests or max-delay after its worker could take its first request (when it was queued, or when the"
        + " worker came back from its previous batch).";
    d.define(REASONING_BATCH_MAX_SIZE, Type.INT, 8, Range.atLeast(1), Importance.MEDIUM,
        "Largest batch of the reasoning stage (1 = no batching)." + batching + " The reasoner batches the whole"
            + " chain of thought (image encoding and every decoding step).");
    d.define(REASONING_BATCH_MAX_DELAY, Type.STRING, "10ms", new ConfigValidators.DurationAtLeast(Duration.ZERO),
        Importance.MEDIUM, "Longest wait of a reasoning worker for more requests once it has one.");
    d.define(SEGMENTATION_BATCH_MAX_SIZE, Type.INT, 8, Range.atLeast(1), Importance.MEDIUM,
        "Largest batch of the segmentation stage (1 = no batching)." + batching);
    d.define(SEGMENTATION_BATCH_MAX_DELAY, Type.STRING, "5ms", new ConfigValidators.DurationAtLeast(Duration.ZERO),
        Importance.MEDIUM, "Longest wait of a segmentation worker for more requests once it has one.");
    for (Stage stage : List.of(Stage.REASONING, Stage.SEGMENTATION)) {
      d.define(stageKey(stage, "batch.max-in-flight"), Type.INT, 0, Range.atLeast(0), Importance.MEDIUM,
          "M: requests one stream thread may have at the " + stage.configName() + " model at once; the records"
              + " wait in a changelogged in-flight store (exactly once across crashes) and their outputs are"
              + " forwarded as results come back, in order. 0 = 4*ceil(max-size/S): four batches across the threads (two"
              + " per thread with two), full ones waiting while one runs. 1 = wait for each result before the next record.");
    }

    d.group("Inference budget and Kafka timeouts");
    d.define(INFERENCE_TIMEOUT, Type.STRING, "30s", new ConfigValidators.DurationAtLeast(Duration.ofMillis(1)),
        Importance.HIGH,
        "T: upper bound of one inference batch in one stage (reasoning: the whole chain of thought). Not an"
            + " interrupt: a slower record is logged as a warning, and a worker busy with one batch for longer is"
            + " abandoned and replaced on the same device. It sizes max.poll.interval.ms and transaction.timeout.ms.");
    d.define(INFERENCE_ATTEMPTS, Type.INT, 2, Range.atLeast(1), Importance.MEDIUM,
        "Tries per request when the model throws: the first in its batch, the rest alone; then the query becomes a"
            + " dead letter REASONING_FAILED / SEGMENTATION_FAILED. A request waits at most W = D + ceil(S*M/B)*T for"
            + " its result (then INFERENCE_TIMEOUT).");
    d.define(BROKER_TRANSACTION_MAX_TIMEOUT, Type.STRING, "15m",
        new ConfigValidators.DurationAtLeast(Duration.ofSeconds(1)), Importance.MEDIUM,
        "The brokers' transaction.max.timeout.ms; under exactly_once_v2 start-up fails if transaction.timeout.ms"
            + " exceeds it.");

    d.group("Metrics");
    d.define(METRICS_PORT, Type.INT, 0, Range.between(-1, 65535), Importance.MEDIUM,
        "Port of the Prometheus endpoint http://<host>:<port>/metrics (llavaseg_*, kafka_*, jvm_*) and of"
            + " /health/ready; 0 = any free port (logged at start), -1 = no endpoint.");
    d.define(METRICS_HOST, Type.STRING, "0.0.0.0", new NonEmptyString(), Importance.LOW,
        "Address the endpoint listens on (0.0.0.0 = every interface).");

    d.group("Standing queries");
    d.define(STANDING_MAX_AGE, Type.STRING, "10s", new ConfigValidators.DurationAtLeast(Duration.ofMillis(1)),
        Importance.LOW, "A camera frame older than this on arrival (and at reasoning) is skipped (STALE).");
    d.define(STANDING_MAX_FPS, Type.DOUBLE, 5.0, ConfigValidators.FINITE_NON_NEGATIVE, Importance.LOW,
        "Frames per second of capture time accepted per camera (more are skipped, RATE_LIMITED); 0 = no limit.");
    d.define(STANDING_MAX_FANOUT_BYTES, Type.LONG, 64L << 20, Range.atLeast(1), Importance.LOW,
        "Most bytes one frame may fan out to: questions x the frame record's size (each query repeats an inline"
            + " image). A frame over it is skipped (FANOUT_TOO_LARGE) instead of writing, say, 500 copies of a 900 kB"
            + " frame in one transaction; send such frames as image references (claim checks).");

    d.group("Deduplication");
    d.define(DEDUP_WINDOW, Type.STRING, "1h", new ConfigValidators.DurationAtLeast(Duration.ofMillis(1)),
        Importance.MEDIUM,
        "A query_id already accepted within this window (of record time, either side) is dropped; stored in the"
            + " persistent window store query-dedup-store (retention = the window).");

    d.group("Input and output limits");
    d.define(RECORD_MAX_BYTES, Type.INT, 1_000_000, Range.atLeast(1), Importance.LOW,
        "Largest serialized image-queries value; leaves headroom under max.request.size (1 MiB) for the reasoned"
            + " record, which repeats the query. Larger images travel as references (claim checks).");
    d.define(RECORD_MAX_KEY_BYTES, Type.INT, ValidationLimits.DEFAULT_MAX_KEY_BYTES, Range.atLeast(1), Importance.LOW,
        "Longest accepted record key (the source id), in bytes; a longer one becomes a dead letter KEY_TOO_LARGE.");
    d.define(RECORD_MAX_HEADER_BYTES, Type.INT, ValidationLimits.DEFAULT_MAX_HEADER_BYTES, Range.atLeast(0),
        Importance.LOW, "Most bytes of record headers (keys and values) accepted; headers are copied to every output,"
            + " so more become a dead letter HEADERS_TOO_LARGE (sent without the headers).");
    d.define(OUTPUT_MAX_BYTES, Type.INT, 1_000_000, Range.atLeast(1), Importance.LOW,
        "Largest serialized output record; a larger one becomes a dead letter OUTPUT_TOO_LARGE. Must stay under"
            + " the producer's max.request.size: under exactly_once_v2 a send refused for size poisons the"
            + " transaction, so the size is checked before sending.");
    d.define(OUTPUT_COMMIT_DELAY, Type.STRING, "5ms", new ConfigValidators.DurationAtLeast(Duration.ZERO),
        Importance.LOW, "How long after a stream thread first forwarded model outputs not yet committed it asks for"
            + " a commit (one transaction under exactly_once_v2): the outputs of every batch whose results reach"
            + " the thread meanwhile share that transaction. Longer: fewer transactions (less broker work per"
            + " query), outputs visible to read_committed consumers later by up to as much. commit.interval.ms"
            + " still bounds it.");
    d.define(IMAGE_MAX_BYTES, Type.INT, 8_388_608, Range.atLeast(1), Importance.LOW,
        "Largest encoded image (inline, or read through a reference).");
    d.define(IMAGE_MIN_SIDE, Type.INT, 64, Range.atLeast(1), Importance.LOW,
        "Smallest accepted width and height in pixels (read from the header before decoding).");
    d.define(IMAGE_MAX_SIDE, Type.INT, 4096, Range.atLeast(1), Importance.LOW,
        "Largest accepted width and height in pixels (read from the header before decoding); >= min-side.");
    d.define(QUESTION_MAX_CHARS, Type.INT, 1000, Range.atLeast(1), Importance.LOW, "Longest accepted question.");
    d.define(REFERENCE_ROOTS, Type.LIST, "", null, Importance.MEDIUM,
        "Comma-separated directories under which file:// image references may point; empty = such references are"
            + " refused (REFERENCE_NOT_ALLOWED). Symlinks are resolved before the check.");
    d.define(REFERENCE_HOSTS, Type.LIST, "", null, Importance.MEDIUM,
        "Comma-separated hosts (host or host:port) from which http:// and https:// references may be fetched (GET,"
            + " no redirects, 5 s to connect, 10 s to read, at most llavaseg.image.max-bytes, then the sha256 is"
            + " checked); empty = refused. An allow-list, never any host: it is what stops server-side request"
            + " forgery.");
    d.define(REFERENCE_ALLOW_PRIVATE, Type.BOOLEAN, false, null, Importance.MEDIUM,
        "Whether http(s) references may reach loopback (127/8, ::1), link-local (169.254/16, fe80::/10), private"
            + " (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) and wildcard (0.0.0.0) addresses. The allowed"
            + " host's name is resolved once, every address it resolves to is checked, and the connection goes to"
            + " a checked address, so a DNS answer that changes (DNS rebinding) cannot point it at the instance"
            + " itself or the metadata service. false refuses them (REFERENCE_ADDRESS_REFUSED); set true when the"
            + " image store is on the private network (an in-cluster object store).");
    d.define(IMAGE_DECODE_BUDGET, Type.LONG, 0L, Range.atLeast(0), Importance.LOW,
        "Bytes of decoded pixels this instance decodes at once, over all stream threads and stages; each decode"
            + " takes width x height x bytes per pixel (read from the header, plus the RGB copy) for its duration."
            + " A decode that does not fit waits (llavaseg.image.decode-wait), then the record is retried (the"
            + " image-decoding dependency is unavailable: readiness 503); an image larger than the whole budget is"
            + " IMAGE_DECODE_TOO_LARGE. 0 = a quarter of the maximum heap.");
    d.define(IMAGE_DECODE_WAIT, Type.STRING, "10s", new ConfigValidators.DurationAtLeast(Duration.ZERO),
        Importance.LOW, "Longest wait of a decode for its share of llavaseg.image.decode-budget-bytes.");

    d.group("Dependencies: circuit breakers");
    d.define(REGISTRY_BREAKER_THRESHOLD, Type.INT, InstanceGuards.DEFAULT_BREAKER_THRESHOLD, Range.atLeast(1),
        Importance.LOW,
        "Records in a row, with none deserialized in between, whose schema id the registry does not know (or that"
            + " could not reach it) before the registry is taken to have lost its state: from then on such a"
            + " record is retried (schema-registry unavailable, readiness 503) instead of becoming a dead letter"
            + " UNKNOWN_SCHEMA_ID, until a record deserializes again. The records before the threshold are dead"
            + " letters, as an isolated unknown id (one bad producer) is.");
    d.define(IMAGE_STORE_BREAKER_THRESHOLD, Type.INT, InstanceGuards.DEFAULT_BREAKER_THRESHOLD, Range.atLeast(1),
        Importance.LOW,
        "http(s) references in a row whose image store stayed unavailable through its retries (429, 5xx, no"
            + " connection) before the store's breaker opens: further references fail fast (retried later,"
            + " never dead letters) until a probe after llavaseg.breaker.open-for gets an answer.");
    d.define(BREAKER_OPEN_FOR, Type.STRING, "5s", new ConfigValidators.DurationAtLeast(Duration.ZERO),
        Importance.LOW, "How long an open circuit breaker waits before its first half-open probe; it doubles with"
            + " every failed probe, up to a minute.");

    d.group("Topics");
    d.define(TOPICS_CREATE, Type.BOOLEAN, false, null, Importance.MEDIUM,
        "Create missing topics at start (image-queries, image-queries-reasoned, image-answers, image-masks,"
            + " image-queries-dlq); off by default, production clusters manage their topics.");
    d.define(TOPICS_PARTITIONS, Type.INT, 8, Range.atLeast(1), Importance.LOW, "Partitions of created topics.");
    d.define(TOPICS_PREFIX, Type.STRING, "", ConfigValidators.TOPIC_PREFIX, Importance.MEDIUM,
        "Put before every topic name the service reads and writes (e.g. 'team-a.' gives team-a.image-queries), for"
            + " clusters shared by several teams or environments; internal topics are named after application.id.");
    d.define(TOPICS_REPLICATION, Type.SHORT, (short) -1, ConfigValidators.REPLICATION, Importance.LOW,
        "Replication factor of created topics; -1 = the broker's default.replication.factor.");
    return d.def;
  }

  /** A backend's settings, in a group of their own. */
  private static void defineBackend(Definitions d, String kind, String backend, List<BackendSetting> settings) {
    if (settings.isEmpty()) {
      return;
    }
    d.group("Backend: " + kind + " " + backend + " (" + PREFIX + kind + ".backend=" + backend + ")");
    for (BackendSetting s : settings) {
      String key = ModelBackends.key(kind, backend, s);
      switch (s.type()) {
        case STRING -> d.define(key, Type.STRING, s.defaultValue(), null, Importance.MEDIUM, s.doc());
        case PASSWORD -> d.define(key, Type.PASSWORD, s.defaultValue(), null, Importance.MEDIUM, s.doc());
        case INT -> d.define(key, Type.INT, s.defaultValue(), Range.atLeast(0), Importance.MEDIUM, s.doc());
        case BOOLEAN -> d.define(key, Type.BOOLEAN, s.defaultValue(), null, Importance.MEDIUM, s.doc());
        case DURATION -> d.define(key, Type.STRING, s.defaultValue(), new ConfigValidators.DurationAtLeast(Duration.ZERO),
            Importance.MEDIUM, s.doc());
      }
    }
  }

  private static String names(List<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  /** {@link ConfigDef#define} with a group and the order within it, for the reference's sections. */
  private static final class Definitions {
    final ConfigDef def = new ConfigDef();
    String group;
    int order;

    void group(String name) {
      group = name;
      order = 0;
    }

    void define(String name, Type type, Object dflt, ConfigDef.Validator validator, Importance importance,
        String doc) {
      def.define(name, type, dflt, validator, importance, doc, group, ++order, Width.NONE, name);
    }
  }

  /** Every setting, defaults and derived values included (a copy). */
  public Properties properties() {
    Properties copy = new Properties();
    copy.putAll(all);
    return copy;
  }

  /** The {@code llavaseg.*} keys given that no definition knows (each logged as a warning). */
  public Set<String> unknownKeys() {
    return unknownKeys;
  }

  /** What {@code KafkaStreams} gets: everything except the {@code llavaseg.*} and registry keys. */
  public Properties streamsProperties() {
    Properties streams = new Properties();
    all.forEach((k, v) -> {
      String key = k.toString();
      if (!key.startsWith(PREFIX) && !isSerdeKey(key)) {
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
    Set<String> known = AdminClientConfig.configNames();
    streamsProperties().forEach((k, v) -> {
      if (known.contains(k.toString())) {
        admin.put(k, v);
      }
    });
    return admin;
  }

  /**
   * The registry serde's keys ({@code schema.registry.*}, {@code basic.auth.*}, {@code
   * auto.register.schemas}, {@code use.latest.version}; see {@link RegistryConfig}), as its {@code
   * configure} expects them.
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

  /** {@code application.id}: as given, else {@value #DEFAULT_APPLICATION_ID}[-stage]. */
  public String applicationId() {
    return all.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
  }

  public Set<Stage> stages() {
    return stages;
  }

  /**
   * Whether reasoning hands its queries to segmentation inside the task ({@value #STAGES_FUSED}, and
   * this instance runs both stages).
   */
  public boolean fusedStages() {
    return getBoolean(STAGES_FUSED) && stages.contains(Stage.REASONING) && stages.contains(Stage.SEGMENTATION);
  }

  public Duration dedupWindow() {
    return duration(DEDUP_WINDOW);
  }

  public Duration inferenceTimeout() {
    return duration(INFERENCE_TIMEOUT);
  }

  /** {@value #MODEL_STORE}: the root of the model folders. */
  public Path modelStore() {
    return Path.of(getString(MODEL_STORE));
  }

  public String reasonerVersion() {
    return getString(REASONER_VERSION);
  }

  public String segmenterVersion() {
    return getString(SEGMENTER_VERSION);
  }

  /** {@code <model store>/reasoner/<reasoner version>}. */
  public Path reasonerDir() {
    return modelStore().resolve(REASONER_KIND).resolve(reasonerVersion());
  }

  /** {@code <model store>/segmenter/<segmenter version>}. */
  public Path segmenterDir() {
    return modelStore().resolve(SEGMENTER_KIND).resolve(segmenterVersion());
  }

  /** {@value #REASONER_BACKEND}. */
  public String reasonerBackend() {
    return getString(REASONER_BACKEND);
  }

  /** {@value #SEGMENTER_BACKEND}. */
  public String segmenterBackend() {
    return getString(SEGMENTER_BACKEND);
  }

  /**
   * The values of a backend's settings, parsed as their {@link BackendSetting.Type} says (a duration
   * as {@link Duration}, a password as its text), by setting name. A setting this configuration does
   * not define (a backend not found by {@link ModelBackends}, e.g. a test's) takes its default.
   */
  public Map<String, Object> backendSettings(String kind, String backend, List<BackendSetting> settings) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (BackendSetting s : settings) {
      String key = ModelBackends.key(kind, backend, s);
      Object v = CONFIG_DEF.names().contains(key) ? values().get(key) : s.defaultValue();
      if (v instanceof org.apache.kafka.common.config.types.Password p) {
        v = p.value();
      }
      if (s.type() == BackendSetting.Type.DURATION && v != null) {
        v = Durations.parse(key, v.toString());
      }
      if (v != null) {
        values.put(s.name(), v);
      }
    }
    return values;
  }

  /**
   * The model stages whose backend runs the model in another process ({@code remote()}: a server),
   * by the configured backends; empty when a backend is not on the classpath (the provider reports it).
   */
  public Set<Stage> remoteModelStages() {
    Set<Stage> remote = new java.util.HashSet<>();
    ModelBackends.reasoners().stream().filter(b -> b.name().equals(reasonerBackend()) && b.remote())
        .findAny().ifPresent(b -> remote.add(Stage.REASONING));
    ModelBackends.segmenters().stream().filter(b -> b.name().equals(segmenterBackend()) && b.remote())
        .findAny().ifPresent(b -> remote.add(Stage.SEGMENTATION));
    return remote;
  }

  /** {@value #PROMPTS_FILE}, if set. */
  public Optional<Path> promptsFile() {
    String file = getString(PROMPTS_FILE);
    return file == null || file.isBlank() ? Optional.empty() : Optional.of(Path.of(file));
  }

  /** {@value #INFERENCE_EXCLUSIVE_DEVICES}: whether the workers on one device take turns ({@code DeviceTurns}). */
  public boolean exclusiveDevices() {
    return getBoolean(INFERENCE_EXCLUSIVE_DEVICES);
  }

  /** {@value #INFERENCE_CPU_THREADS}: PyTorch's intra-op threads on the CPU; 0 = cores over CPU workers. */
  public int cpuThreads() {
    return getInt(INFERENCE_CPU_THREADS);
  }

  /** {@value #INFERENCE_DEVICES}: {@code cpu}, {@code auto} or a GPU list such as {@code gpu0,gpu1}. */
  public String inferenceDevices() {
    return getString(INFERENCE_DEVICES);
  }

  /** {@code llavaseg.<stage>.workers}: worker threads (one predictor each); 0 = one per device. */
  public int workers(Stage stage, int devices) {
    int w = getInt(stageKey(stage, "workers"));
    return w == 0 ? devices : w;
  }

  /** Model workers of this instance's stages on {@code devices} devices (each a worker thread with a predictor). */
  public int modelWorkers(int devices) {
    int n = 0;
    for (Stage stage : List.of(Stage.REASONING, Stage.SEGMENTATION)) {
      n += stages().contains(stage) ? workers(stage, devices) : 0;
    }
    return n;
  }

  /** {@code num.stream.threads}, the default filled in. */
  public int streamThreads() {
    return positiveInt(all, StreamsConfig.NUM_STREAM_THREADS_CONFIG);
  }

  /** {@code llavaseg.<stage>.batch.max-size}, {@code .max-delay} and {@code .max-in-flight}. */
  public BatchPolicy batchPolicy(Stage stage) {
    return batchPolicy(stage, streamThreads());
  }

  private BatchPolicy batchPolicy(Stage stage, int streamThreads) {
    int size = getInt(stageKey(stage, "batch.max-size"));
    int inFlight = getInt(stageKey(stage, "batch.max-in-flight"));
    return new BatchPolicy(size, duration(stageKey(stage, "batch.max-delay")),
        inFlight == 0 ? BatchPolicy.defaultInFlight(size, streamThreads) : inFlight);
  }

  static String stageKey(Stage stage, String suffix) {
    return PREFIX + stage.configName() + "." + suffix;
  }

  /**
   * How a stage's queue treats failing and hanging models: {@value #INFERENCE_ATTEMPTS} tries per
   * request; a request waits at most W = D + ceil(S*M/B) * T (see {@link KafkaTimeouts}); a worker in
   * one batch for longer than T is replaced.
   */
  public BatchingQueue.FailurePolicy failurePolicy(Stage stage) {
    int threads = streamThreads();
    Duration wait = KafkaTimeouts.worstWait(inferenceTimeout(), threads, batchPolicy(stage));
    return new BatchingQueue.FailurePolicy(getInt(INFERENCE_ATTEMPTS), wait, inferenceTimeout());
  }

  /** {@value #STANDING_MAX_AGE}: a camera frame older than this on arrival is skipped (STALE). */
  public long standingMaxFanoutBytes() {
    return getLong(STANDING_MAX_FANOUT_BYTES);
  }

  public Duration standingMaxAge() {
    return duration(STANDING_MAX_AGE);
  }

  /** {@value #STANDING_MAX_FPS}: frames per second of capture time accepted per camera; 0 = all. */
  public double standingMaxFps() {
    return getDouble(STANDING_MAX_FPS);
  }

  /** {@value #METRICS_PORT}: the Prometheus endpoint's port; 0 = any free port, -1 = no endpoint. */
  public int metricsPort() {
    return getInt(METRICS_PORT);
  }

  /** {@value #METRICS_HOST}: the address the endpoint listens on. */
  public String metricsHost() {
    return getString(METRICS_HOST);
  }

  /** {@value #OUTPUT_COMMIT_DELAY}: how long forwarded outputs wait for company before a commit is asked for. */
  public Duration outputCommitDelay() {
    return duration(OUTPUT_COMMIT_DELAY);
  }

  /** Largest serialized output record ({@value #OUTPUT_MAX_BYTES}). */
  public int outputMaxBytes() {
    return getInt(OUTPUT_MAX_BYTES);
  }

  public ValidationLimits limits() {
    return limits;
  }

  public KafkaTimeouts timeouts() {
    return timeouts;
  }

  /** Whether the service creates missing topics at start ({@value #TOPICS_CREATE}). */
  public boolean createTopics() {
    return getBoolean(TOPICS_CREATE);
  }

  /** {@value #TOPICS_PREFIX}: what goes before every topic name. */
  public String topicPrefix() {
    return getString(TOPICS_PREFIX);
  }

  public int topicPartitions() {
    return getInt(TOPICS_PARTITIONS);
  }

  /** Empty means the broker's default.replication.factor. */
  public Optional<Short> topicReplication() {
    short r = getShort(TOPICS_REPLICATION);
    return r < 0 ? Optional.empty() : Optional.of(r);
  }

  public boolean isExactlyOnce() {
    return StreamsConfig.EXACTLY_ONCE_V2.equals(all.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
  }

  private Duration duration(String key) {
    return Durations.parse(key, getString(key)); // validated by ConfigValidators.DurationAtLeast
  }

  private static boolean isSerdeKey(String key) {
    return key.startsWith("schema.registry.") || key.startsWith("basic.auth.")
        || key.equals(RegistryConfig.AUTO_REGISTER) || key.equals(RegistryConfig.USE_LATEST_VERSION)
        || key.equals(RegistryConfig.KEY_SUBJECT_NAME_STRATEGY) || key.equals(RegistryConfig.VALUE_SUBJECT_NAME_STRATEGY);
  }

  /** A pass-through Kafka value the service computes with: a whole number in [1, 2^31-1]. */
  private static int positiveInt(Properties props, String key) {
    Object text = props.get(key);
    long v = ((Number) ConfigDef.parseType(key, text, Type.LONG)).longValue();
    if (v < 1 || v > Integer.MAX_VALUE) {
      throw new ConfigException(key, text, "must be a whole number in [1, " + Integer.MAX_VALUE + "]");
    }
    return (int) v;
  }

  private static Map<String, String> orderedMap(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }
}
