package io.llavaseg.topology.processor;

import io.llavaseg.topology.inference.InferenceMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor's Kafka Streams metrics (JMX group {@code stream-llavaseg-metrics}, tags {@code
 * thread-id} and {@code llavaseg-id=<stage>-<task>}): {@code inference-latency-avg/-max} (ms),
 * {@code inference-rate/-total}, {@code dead-letter-<CODE>-rate/-total}, {@code
 * duplicate-dropped-rate/-total}, dead letters also counted in Prometheus' {@code
 * llavaseg_dead_letters_total{stage,code}}. Sensors are made on first use and removed in {@link #close()}.
 */
final class StageMetrics {
  static final String SCOPE = "llavaseg";
  private static final Logger LOG = LoggerFactory.getLogger(StageMetrics.class);

  private final StreamsMetrics metrics;
  private final String stage;
  private final String entity;
  private final Map<String, Sensor> sensors = new HashMap<>();
  private final InferenceMetrics prometheus;

  /** Metrics of a processor that writes no dead letters. */
  StageMetrics(ProcessorContext<?, ?> context, String stage) {
    this(context, stage, null);
  }

  StageMetrics(ProcessorContext<?, ?> context, String stage, InferenceMetrics prometheus) {
    this.metrics = context.metrics();
    this.prometheus = prometheus;
    this.stage = stage;
    this.entity = stage + "-" + context.taskId();
  }

  /**
   * Records one record's inference time and warns when it exceeded the budget the Kafka timeouts
   * were sized from ({@code llavaseg.inference.timeout}).
   */
  void inference(Duration took, Duration budget, String queryId) {
    sensors.computeIfAbsent("inference", op ->
        metrics.addLatencyRateTotalSensor(SCOPE, entity, op, Sensor.RecordingLevel.INFO))
        .record(took.toNanos() / 1e6);
    if (took.compareTo(budget) > 0) {
      LOG.warn("{} of query {} took {} ms, over the {} ms budget (llavaseg.inference.timeout)",
          stage, queryId, took.toMillis(), budget.toMillis());
    }
  }

  void deadLetter(String code) {
    rateTotal("dead-letter-" + code);
    if (prometheus != null) {
      prometheus.deadLetter(stage, code);
    }
  }

  void duplicateDropped() {
    rateTotal("duplicate-dropped");
  }

  private void rateTotal(String operation) {
    sensors.computeIfAbsent(operation, op ->
        metrics.addRateTotalSensor(SCOPE, entity, op, Sensor.RecordingLevel.INFO)).record();
  }

  void close() {
    List<Sensor> all = new ArrayList<>(sensors.values());
    sensors.clear();
    all.forEach(metrics::removeSensor);
  }
}
