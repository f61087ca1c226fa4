package io.llavaseg.topology.inference;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The service's own Prometheus metrics, in one registry (scraped at {@code /metrics} on {@code
 * llavaseg.metrics.port}, next to Kafka Streams' metrics and the JVM's):
 * <ul>
 *   <li>{@code llavaseg_request_seconds{stage}}: one request from submission to result (queueing,
 *       batch formation and inference);
 *   <li>{@code llavaseg_inference_seconds{stage,device}}: one batch's model time;
 *   <li>{@code llavaseg_batch_size{stage,device}}: requests per batch;
 *   <li>{@code llavaseg_queue_depth{stage}}: requests waiting for a worker;
 *   <li>{@code llavaseg_in_flight{stage}}: requests submitted and not yet answered;
 *   <li>{@code llavaseg_workers{stage,device}}: live inference workers per device;
 *   <li>{@code llavaseg_dead_letters_total{stage,code}}: dead letters by stable error code;
 *   <li>{@code llavaseg_model_unavailable_total{stage}}, {@code llavaseg_model_available{stage}}:
 *       records a stage's model could not answer for a reason that may pass (its server down,
 *       overloaded or too slow; the record is retried, never dead-lettered), and whether the stage's
 *       last request found the model answering (1) or not (0); readiness follows the latter;
 *   <li>{@code llavaseg_dependency_unavailable_total{dependency}}, {@code
 *       llavaseg_dependency_available{dependency}}: the same for what the stages depend on: the
 *       {@code image-store} of http(s) image references, the {@code schema-registry} (unreachable, or
 *       its circuit breaker open after a run of unknown schema ids) and {@code image-decoding} (the
 *       decode budget stayed full);
 *   <li>{@code llavaseg_frames_skipped_total{reason}}, {@code llavaseg_standing_queries_total}: the
 *       standing-query stage's skipped frames and the queries it made;
 *   <li>{@code llavaseg_model_load_seconds{model,version,device}}: time to load each model instance;
 *   <li>{@code llavaseg_ndarrays{model,device}}: NDArrays alive in each model instance's DJL memory
 *       manager and its workers' (steady under load when nothing leaks).
 * </ul>
 */
public final class InferenceMetrics {
  private record Watched(String model, String device, LongSupplier arrays) {}

  private final PrometheusRegistry registry;
  private final Histogram request;
  private final Histogram inference;
  private final Histogram batchSize;
  private final Gauge queueDepth;
  private final Gauge inFlight;
  private final Gauge workers;
  private final Counter deadLetters;
  private final Gauge modelLoad;
  private final Counter framesSkipped;
  private final Counter standingQueries;
  private final Counter modelUnavailable;
  private final Gauge modelAvailable;
  private final Counter dependencyUnavailable;
  private final Gauge dependencyAvailable;
  private final Set<String> unavailable = ConcurrentHashMap.newKeySet();
  private final List<Watched> watched = new CopyOnWriteArrayList<>();
  private GaugeWithCallback ndarrays;

  public InferenceMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    double[] seconds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    request = Histogram.builder().name("llavaseg_request_seconds")
        .help("One request from submission to result: queueing, batch formation and inference")
        .labelNames("stage").classicOnly().classicUpperBounds(seconds).register(registry);
    inference = Histogram.builder().name("llavaseg_inference_seconds")
        .help("Model time of one batch").labelNames("stage", "device")
        .classicOnly().classicUpperBounds(seconds).register(registry);
    batchSize = Histogram.builder().name("llavaseg_batch_size").help("Requests per inference batch")
        .labelNames("stage", "device").classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64).register(registry);
    queueDepth = Gauge.builder().name("llavaseg_queue_depth").help("Requests waiting for an inference worker")
        .labelNames("stage").register(registry);
    inFlight = Gauge.builder().name("llavaseg_in_flight").help("Requests submitted and not yet answered")
        .labelNames("stage").register(registry);
    workers = Gauge.builder().name("llavaseg_workers").help("Live inference workers (one predictor each)")
        .labelNames("stage", "device").register(registry);
    deadLetters = Counter.builder().name("llavaseg_dead_letters").help("Dead letters written, by stable error code")
        .labelNames("stage", "code").register(registry);
    modelLoad = Gauge.builder().name("llavaseg_model_load_seconds").help("Time to load one model instance")
        .labelNames("model", "version", "device").register(registry);
    framesSkipped = Counter.builder().name("llavaseg_frames_skipped")
        .help("Camera frames not asked their standing questions, by reason (STALE, RATE_LIMITED, NO_QUESTIONS)")
        .labelNames("reason").register(registry);
    standingQueries = Counter.builder().name("llavaseg_standing_queries")
        .help("Queries made from camera frames and standing questions").register(registry);
    modelUnavailable = Counter.builder().name("llavaseg_model_unavailable")
        .help("Records a stage's model could not answer for a reason that may pass (retried, not dead-lettered)")
        .labelNames("stage").register(registry);
    modelAvailable = Gauge.builder().name("llavaseg_model_available")
        .help("1 when the stage's last request found its model answering, 0 when the model was unavailable")
        .labelNames("stage").register(registry);
    dependencyUnavailable = Counter.builder().name("llavaseg_dependency_unavailable")
        .help("Records retried because a dependency (image-store) could not answer")
        .labelNames("dependency").register(registry);
    dependencyAvailable = Gauge.builder().name("llavaseg_dependency_available")
        .help("1 when the dependency answered the last request, 0 when it was unavailable")
        .labelNames("dependency").register(registry);
  }

  /** {@code dependency} could not answer a record now (it will be retried). */
  public void dependencyUnavailable(String dependency) {
    unavailable.add(dependency);
    dependencyUnavailable.labelValues(dependency).inc();
    dependencyAvailable.labelValues(dependency).set(0);
  }

  /** {@code dependency} answered. */
  public void dependencyAvailable(String dependency) {
    unavailable.remove(dependency);
    dependencyAvailable.labelValues(dependency).set(1);
  }

  /** The stage's model could not answer a record now (it will be retried). */
  public void modelUnavailable(String stage) {
    unavailable.add(stage);
    modelUnavailable.labelValues(stage).inc();
    modelAvailable.labelValues(stage).set(0);
  }

  /** The stage's model answered. */
  public void modelAvailable(String stage) {
    unavailable.remove(stage);
    modelAvailable.labelValues(stage).set(1);
  }

  /**
   * What was unavailable at its last request: stages whose model was ({@code reasoning}, {@code
   * segmentation}) and dependencies ({@code image-store}). Readiness is 503 while it is not empty.
   */
  public Set<String> unavailable() {
    return Set.copyOf(unavailable);
  }

  /** Metrics in a registry of their own (tests, tools that do not serve metrics). */
  public static InferenceMetrics standalone() {
    return new InferenceMetrics(new PrometheusRegistry());
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  void submitted(String stage) {
    inFlight.labelValues(stage).inc();
    queueDepth.labelValues(stage).inc();
  }

  void dequeued(String stage, int count) {
    queueDepth.labelValues(stage).dec(count);
  }

  void answered(String stage, double seconds) {
    inFlight.labelValues(stage).dec();
    request.labelValues(stage).observe(seconds);
  }

  void batch(String stage, String device, int size, double seconds) {
    batchSize.labelValues(stage, device).observe(size);
    inference.labelValues(stage, device).observe(seconds);
  }

  void workerStarted(String stage, String device) {
    workers.labelValues(stage, device).inc();
  }

  void workerStopped(String stage, String device) {
    workers.labelValues(stage, device).dec();
  }

  public void deadLetter(String stage, String code) {
    deadLetters.labelValues(stage, code).inc();
  }

  public void frameSkipped(String reason) {
    framesSkipped.labelValues(reason).inc();
  }

  public void standingQueries(int count) {
    standingQueries.inc(count);
  }

  public void modelLoaded(String model, String version, String device, double seconds) {
    modelLoad.labelValues(model, version, device).set(seconds);
  }

  /** Reports {@code arrays} (read at each scrape) as {@code llavaseg_ndarrays{model,device}}. */
  public synchronized void watchArrays(String model, String device, LongSupplier arrays) {
    watched.add(new Watched(model, device, arrays));
    if (ndarrays == null) {
      ndarrays = GaugeWithCallback.builder().name("llavaseg_ndarrays")
          .help("NDArrays alive in a model instance's DJL memory manager and its workers'")
          .labelNames("model", "device")
          .callback(cb -> {
            for (Watched w : watched) {
              long n = w.arrays().getAsLong();
              if (n >= 0) {
                cb.call(n, w.model(), w.device());
              }
            }
          })
          .register(registry);
    }
  }
}
