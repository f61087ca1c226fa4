package io.llavaseg.ops.bench;

import io.llavaseg.topology.LlavasegService;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The batches the services' model stages ran so far, per stage: their count and the requests in
 * them, from {@code llavaseg_batch_size{stage,device}}. The difference of two readings gives the
 * mean batch size of what ran in between (retries of single requests included, as the device saw
 * them).
 */
record BatchSizes(Map<String, double[]> countAndSum) {

  static BatchSizes of(LlavasegService service) {
    return of(List.of(service));
  }

  static BatchSizes of(List<LlavasegService> services) {
    Map<String, double[]> out = new TreeMap<>();
    for (LlavasegService service : services) {
      for (var snapshot : service.metrics().scrape()) {
        if (snapshot instanceof HistogramSnapshot h && h.getMetadata().getName().equals("llavaseg_batch_size")) {
          for (var point : h.getDataPoints()) {
            double[] cs = out.computeIfAbsent(point.getLabels().get("stage"), k -> new double[2]);
            cs[0] += point.getCount();
            cs[1] += point.getSum();
          }
        }
      }
    }
    return new BatchSizes(out);
  }

  BatchSizes minus(BatchSizes before) {
    Map<String, double[]> out = new TreeMap<>();
    countAndSum.forEach((stage, cs) -> {
      double[] b = before.countAndSum.getOrDefault(stage, new double[2]);
      out.put(stage, new double[] {cs[0] - b[0], cs[1] - b[1]});
    });
    return new BatchSizes(out);
  }

  /** Mean requests per batch by stage (stages that ran no batch are left out). */
  Map<String, Double> means() {
    Map<String, Double> out = new TreeMap<>();
    countAndSum.forEach((stage, cs) -> {
      if (cs[0] > 0) {
        out.put(stage, cs[1] / cs[0]);
      }
    });
    return out;
  }
}
