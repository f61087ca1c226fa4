package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.topology.inference.InferenceMetrics;
import io.llavaseg.topology.inference.KafkaClientMetrics;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

/** The format checker rejects broken expositions, and our metrics (own and Kafka's) pass it. */
class TextExpositionCheckTest {

  @Test
  void rejectsBrokenExpositions() {
    assertFalse(TextExpositionCheck.problems("garbage here {\n").isEmpty());
    assertFalse(TextExpositionCheck.problems("# TYPE a counter\nb_total 1\n").isEmpty(), "undeclared family");
    assertFalse(TextExpositionCheck.problems("# TYPE a gauge\na_total 1\n").isEmpty(), "_total on a gauge");
    assertFalse(TextExpositionCheck.problems("# TYPE a gauge\na{x=\"1} 1\n").isEmpty(), "bad labels");
    assertFalse(TextExpositionCheck.problems(
        "# TYPE h histogram\nh_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n").isEmpty(), "not cumulative");
    assertTrue(TextExpositionCheck.problems(
        "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_count 2\nh_sum 3.5\n")
        .isEmpty());
  }

  @Test
  void ourMetricsAndKafkasWriteAValidExposition() throws Exception {
    InferenceMetrics m = InferenceMetrics.standalone();
    m.deadLetter("reasoning", "IMAGE_UNDECODABLE");
    m.modelLoaded("shapeworld-reasoner", "v1", "cpu", 1.25);
    Map<MetricName, KafkaMetric> kafka = new LinkedHashMap<>();
    MetricName processTotal = new MetricName("process-total", "stream-thread-metrics", "records processed",
        Map.of("thread-id", "t-1"));
    kafka.put(processTotal, new KafkaMetric(new Object(), processTotal, new CumulativeSum(), new MetricConfig(),
        Time.SYSTEM));
    MetricName version = new MetricName("version", "app-info", "", Map.of());
    kafka.put(version, new KafkaMetric(new Object(), version,
        (org.apache.kafka.common.metrics.Gauge<String>) (c, now) -> "4.2.2", new MetricConfig(), Time.SYSTEM));
    m.registry().register(new KafkaClientMetrics(() -> kafka));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, m.registry().scrape());
    String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(List.of(), TextExpositionCheck.problems(text), text);
    assertTrue(text.contains("llavaseg_dead_letters_total{code=\"IMAGE_UNDECODABLE\",stage=\"reasoning\"} 1.0"), text);
    assertTrue(text.contains("kafka_stream_thread_metrics_process_total{thread_id=\"t-1\"} 0.0"), text);
    assertFalse(text.contains("app_info"), "string-valued metrics are skipped");
    MetricsScrape.assertValid(text, List.of("llavaseg_", "kafka_"));
  }
}
