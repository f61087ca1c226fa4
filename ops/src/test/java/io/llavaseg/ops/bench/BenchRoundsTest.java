package io.llavaseg.ops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The end-to-end figures are medians of the rounds, wherever the rounds fall in time. */
class BenchRoundsTest {
  private static Map<String, Object> round(double ratio) {
    return Map.of("e2e_over_raw", ratio);
  }

  @Test
  void shouldTakeTheMiddleRoundOfAnOddCount() {
    assertEquals(0.7, Bench.median(List.of(round(0.9), round(0.5), round(0.7)), "e2e_over_raw"), 1e-12);
    assertEquals(0.6, Bench.median(List.of(round(0.6)), "e2e_over_raw"), 1e-12);
  }

  @Test
  void shouldCompareABurstWithTheMeanOfTheRawPipelineBeforeAndAfterIt() {
    Map<String, Object> r = Bench.round(new Bench.RawBeside(60, 0.1), new LoadRun.Result(600, 600, 13.3, 45, null),
        new Bench.RawBeside(40, 0.2));
    assertEquals(50.0, (double) r.get("raw_reference_qps"), 1e-12);
    assertEquals(0.9, (double) r.get("e2e_over_raw"), 1e-12);
    assertEquals(0.2, (double) r.get("raw_after_background_cores"), 1e-12);
  }

  @Test
  void shouldTakeTheMeanOfTheTwoMiddleRoundsOfAnEvenCount() {
    assertEquals(0.75, Bench.median(List.of(round(0.9), round(0.5), round(0.8), round(0.7)), "e2e_over_raw"), 1e-12);
  }
}
