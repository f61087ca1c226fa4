package io.llavaseg.ops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The end-to-end figure is the round of median ratio, wherever it falls in time. */
class BenchRoundsTest {
  private static Map<String, Object> round(double ratio) {
    return Map.of("e2e_over_raw", ratio);
  }

  @Test
  void shouldPickTheRoundOfMedianRatio() {
    assertEquals(2, Bench.medianIndex(List.of(round(0.9), round(0.5), round(0.7))));
    assertEquals(0, Bench.medianIndex(List.of(round(0.6))));
  }

  @Test
  void shouldPickTheLowerMiddleRoundOfAnEvenCount() {
    assertEquals(3, Bench.medianIndex(List.of(round(0.9), round(0.5), round(0.8), round(0.7))));
  }
}
