package io.llavaseg.ops.demo;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles of a sample of latencies. */
public final class Percentiles {
  private final double[] sorted;

  public Percentiles(Collection<Double> values) {
    this.sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  /** The p-th percentile (0 < p <= 100) by nearest rank; NaN for an empty sample. */
  public double get(double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public int count() {
    return sorted.length;
  }

  @Override
  public String toString() {
    return Arrays.toString(sorted);
  }
}
