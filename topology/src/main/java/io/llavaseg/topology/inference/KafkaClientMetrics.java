package io.llavaseg.topology.inference;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Exposes a Kafka client's metrics (Kafka Streams' {@code KafkaStreams.metrics()}: stream thread,
 * task, processor node, state store, and the embedded consumers' and producers' metrics) as
 * Prometheus metrics named {@code kafka_<group>_<name>} (dashes become underscores), with the
 * metric's tags as labels: Kafka's cumulative {@code *-total} metrics as counters (exposed with
 * the {@code _total} suffix), the rest as gauges. Metrics whose value is not a number (versions,
 * ids) are skipped.
 */
public final class KafkaClientMetrics implements MultiCollector {
  private final Supplier<Map<MetricName, ? extends Metric>> metrics;

  public KafkaClientMetrics(Supplier<Map<MetricName, ? extends Metric>> metrics) {
    this.metrics = metrics;
  }

  @Override
  public MetricSnapshots collect() {
    Map<String, GaugeSnapshot.Builder> families = new LinkedHashMap<>();
    Map<String, CounterSnapshot.Builder> counters = new LinkedHashMap<>();
    Map<String, Set<Labels>> seen = new LinkedHashMap<>();
    for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
      Object value;
      try {
        value = e.getValue().metricValue();
      } catch (RuntimeException ex) {
        continue;
      }
      if (!(value instanceof Number n)) {
        continue;
      }
      MetricName mn = e.getKey();
      boolean counter = mn.name().endsWith("-total");
      String base = counter ? mn.name().substring(0, mn.name().length() - "-total".length()) : mn.name();
      String name = sanitize("kafka_" + mn.group() + "_" + base);
      List<String> keys = new ArrayList<>();
      List<String> values = new ArrayList<>();
      for (Map.Entry<String, String> tag : new java.util.TreeMap<>(mn.tags()).entrySet()) {
        keys.add(sanitize(tag.getKey()));
        values.add(tag.getValue() == null ? "" : tag.getValue());
      }
      Labels labels = Labels.of(keys, values);
      if (!seen.computeIfAbsent(name, k -> new HashSet<>()).add(labels)) {
        continue;
      }
      if (counter) {
        double v = n.doubleValue();
        counters.computeIfAbsent(name, k -> CounterSnapshot.builder().name(k).help(help(mn)))
            .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .value(Double.isFinite(v) && v >= 0 ? v : 0).labels(labels).build());
      } else {
        families.computeIfAbsent(name, k -> GaugeSnapshot.builder().name(k).help(help(mn)))
            .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(n.doubleValue()).labels(labels).build());
      }
    }
    List<MetricSnapshot> snapshots = new ArrayList<>();
    families.values().forEach(b -> snapshots.add(b.build()));
    counters.forEach((name, b) -> {
      if (!families.containsKey(name)) {
        snapshots.add(b.build());
      }
    });
    return new MetricSnapshots(snapshots);
  }

  private static String help(MetricName mn) {
    String d = mn.description();
    return d == null || d.isBlank() ? mn.group() + " " + mn.name() : d;
  }

  static String sanitize(String s) {
    String out = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return Character.isDigit(out.charAt(0)) ? "_" + out : out;
  }
}
