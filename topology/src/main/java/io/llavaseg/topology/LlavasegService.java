package io.llavaseg.topology;

import io.llavaseg.model.ModelHandle;
import io.llavaseg.model.ModelUnavailableException;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.Segmenter;
import io.llavaseg.schemas.registry.RegistryException;
import io.llavaseg.schemas.registry.RestSchemaRegistry;
import io.llavaseg.schemas.registry.SchemaRegistry;
import io.llavaseg.schemas.registry.WireFormatException;
import io.llavaseg.topology.inference.CpuThreads;
import io.llavaseg.topology.inference.DevicePlan;
import io.llavaseg.topology.inference.InferenceMetrics;
import io.llavaseg.topology.inference.KafkaClientMetrics;
import io.llavaseg.topology.inference.MallocSettings;
import io.llavaseg.topology.model.ModelProvider;
import io.llavaseg.topology.model.Models;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: loads the configured stages' models (once per process), connects to the
 * registry, builds the topology with {@link LlavasegTopology#build}, starts Kafka Streams, logs its
 * state changes, and on {@link #close} stops the streams first (processors release their workers),
 * then the model handles and the registry client. A stream thread that dies of a transient cause
 * (registry unreachable) is replaced, the record being read again after its transaction aborts; any
 * other uncaught error shuts the client down (state ERROR), so the process exits non-zero and its
 * supervisor restarts it. Does not create topics unless {@code llavaseg.topics.create=true}.
 */
public final class LlavasegService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LlavasegService.class);

  private final ServiceConfig config;
  private final KafkaStreams streams;
  private final List<AutoCloseable> resources;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean closed;

  private final PrometheusRegistry metrics;
  private final int metricsPort;

  private LlavasegService(ServiceConfig config, KafkaStreams streams, List<AutoCloseable> resources,
      PrometheusRegistry metrics, int metricsPort) {
    this.config = config;
    this.streams = streams;
    this.resources = resources;
    this.metrics = metrics;
    this.metricsPort = metricsPort;
  }

  /** The port of the Prometheus endpoint, -1 when it is off ({@code llavaseg.metrics.port=-1}). */
  public int metricsPort() {
    return metricsPort;
  }

  /** The registry behind the endpoint. */
  public PrometheusRegistry metrics() {
    return metrics;
  }

  @FunctionalInterface
  private interface HandleLoader<W extends AutoCloseable> {
    ModelHandle<W> load() throws IOException;
  }

  /** Loads one model instance onto a device, records its load time, and closes it with the service. */
  private static <W extends AutoCloseable> ModelHandle<W> load(List<AutoCloseable> resources, InferenceMetrics metrics,
      String device, HandleLoader<W> loader) throws IOException {
    long t0 = System.nanoTime();
    ModelHandle<W> handle = loader.load();
    resources.add(0, handle);
    double seconds = (System.nanoTime() - t0) / 1e9;
    ModelId id = handle.modelId();
    metrics.modelLoaded(id.name(), id.version(), device, seconds);
    metrics.watchArrays(id.name(), device, handle::managedArrays);
    LOG.info("model {} loaded on {} in {} ms", id, device, Math.round(seconds * 1000));
    return handle;
  }

  /** CUDA GPUs the DJL engine sees (0 when there is no engine or no CUDA). */
  public static int gpuCount() {
    try {
      return ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount();
    } catch (RuntimeException | LinkageError e) {
      return 0;
    }
  }

  /** Reads a properties file (UTF-8). */
  public static Properties load(Path file) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(in);
    }
    return props;
  }

  /** Loads the models, builds the topology and starts the streams; returns once started. */
  public static LlavasegService start(ServiceConfig config, ModelProvider provider) throws Exception {
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      if (config.createTopics()) {
        TopicSetup.createMissing(config.adminProperties(), config.topicPartitions(), config.topicReplication(),
            config.topicPrefix());
      }
      PrometheusRegistry registry = new PrometheusRegistry();
      InferenceMetrics metrics = new InferenceMetrics(registry);
      DevicePlan devices = DevicePlan.parse(config.inferenceDevices(), LlavasegService::gpuCount)
          .exclusive(config.exclusiveDevices());
      if (devices.devices().equals(List.of("cpu"))) {
        CpuThreads.apply(config.cpuThreads(), config.modelWorkers(1));
        MallocSettings.warnIfUnset();
      }
      Map<String, ModelHandle<Reasoner>> reasoners = new LinkedHashMap<>();
      Map<String, ModelHandle<Segmenter>> segmenters = new LinkedHashMap<>();
      for (String device : devices.devices()) {
        if (config.stages().contains(Stage.REASONING)) {
          reasoners.put(device, load(resources, metrics, device, () -> provider.reasoner(config, device)));
        }
        if (config.stages().contains(Stage.SEGMENTATION)) {
          segmenters.put(device, load(resources, metrics, device, () -> provider.segmenter(config, device)));
        }
      }
      SchemaRegistry schemaRegistry = RestSchemaRegistry.fromConfigs(config.serdeConfig());
      resources.add(0, schemaRegistry);
      Topics topics = Topics.withRegistry(schemaRegistry, config.serdeConfig(), config.topicPrefix());
      SchemaSetup.registerOutputSchemas(schemaRegistry, config, topics);
      Models models = new Models(
          reasoners.isEmpty() ? null : device -> reasoners.get(device).newWorker(),
          segmenters.isEmpty() ? null : device -> segmenters.get(device).newWorker(),
          provider.prompts(config), devices, metrics);
      Topology topology = LlavasegTopology.build(config, topics, models);
      LOG.info("stages {}; timeouts {}; topology:\n{}", config.stages(), config.timeouts(), topology.describe());
      KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties());
      resources.add(0, () -> streams.close(Duration.ofSeconds(60)));
      registry.register(new KafkaClientMetrics(streams::metrics));
      JvmMetrics.builder().register(registry);
      HTTPServer server = null;
      if (config.metricsPort() >= 0) {
        List<String> loaded = new ArrayList<>();
        reasoners.values().forEach(h -> loaded.add(h.modelId().toString()));
        segmenters.values().forEach(h -> loaded.add(h.modelId().toString()));
        int modelStages = (int) config.stages().stream().filter(st -> st != Stage.STANDING).count();
        Health health = new Health(streams::state, config.stages().stream().map(Stage::configName).toList(),
            modelStages, loaded, metrics::unavailable);
        server = HTTPServer.builder().hostname(config.metricsHost())
            .port(config.metricsPort()).registry(registry).registerHealthHandler(false).defaultHandler(health)
            .buildAndStart();
        resources.add(server);
        LOG.info("metrics at http://{}:{}/metrics, health at /health/live and /health/ready",
            config.metricsHost(), server.getPort());
      }
      LlavasegService service = new LlavasegService(config, streams, resources, registry,
          server == null ? -1 : server.getPort());
      streams.setStateListener(service::onStateChange);
      streams.setUncaughtExceptionHandler(LlavasegService::onUncaught);
      streams.start();
      return service;
    } catch (Exception | Error e) {
      closeAll(resources);
      throw e;
    }
  }

  public KafkaStreams streams() {
    return streams;
  }

  public ServiceConfig config() {
    return config;
  }

  /** Blocks until the streams reach NOT_RUNNING or ERROR. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  public boolean awaitStop(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void onStateChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
    LOG.info("streams state {} -> {}", oldState, newState);
    if (newState == KafkaStreams.State.NOT_RUNNING || newState == KafkaStreams.State.ERROR) {
      stopped.countDown();
    }
  }

  static StreamThreadExceptionResponse onUncaught(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if ((t instanceof WireFormatException w && w.isTransient())
          || (t instanceof RegistryException r && r.isTransient())) {
        LOG.warn("stream thread failed transiently (registry unavailable); replacing it", e);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
      }
      if (t instanceof DependencyUnavailableException d) {
        LOG.warn("stream thread stopped: {} unavailable ({}); replacing it, its records are retried from the last"
            + " commit", d.dependency(), t.getMessage());
        return StreamThreadExceptionResponse.REPLACE_THREAD;
      }
      if (t instanceof ModelUnavailableException) {
        LOG.warn("stream thread stopped: a model is unavailable ({}); replacing it, its records are retried "
            + "from the last commit", t.getMessage());
        return StreamThreadExceptionResponse.REPLACE_THREAD;
      }      if (t instanceof org.apache.kafka.common.errors.InvalidTxnStateException
          || t instanceof org.apache.kafka.common.errors.InvalidProducerEpochException
          || t instanceof org.apache.kafka.common.errors.ProducerFencedException) {
        // a paused instance (GC, SIGSTOP, a network partition) whose transaction the coordinator
        // aborted at its timeout, or that another instance fenced: Kafka Streams reports some of
        // these as a plain StreamsException rather than TaskMigratedException. Nothing was
        // committed; a new thread rejoins the group and its tasks are read again from the last commit.
        LOG.warn("stream thread's transaction was aborted or fenced while it was away ({}); replacing it",
            t.toString());
        return StreamThreadExceptionResponse.REPLACE_THREAD;
      }
    }
    LOG.error("stream thread failed; shutting the client down", e);
    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }

  /**
   * Stops the streams (up to 60 s; processors release their workers), then the registry client and
   * the model handles. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("closing the service");
    closeAll(resources);
    resources.clear();
    stopped.countDown();
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed", r, e);
      }
    }
  }
}
