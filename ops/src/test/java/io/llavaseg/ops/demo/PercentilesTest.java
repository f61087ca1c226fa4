package io.llavaseg.ops.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void shouldUseNearestRank() {
    List<Double> values = new ArrayList<>();
    for (int i = 100; i >= 1; i--) {
      values.add((double) i);
    }
    Percentiles p = new Percentiles(values);
    assertEquals(50.0, p.get(50));
    assertEquals(95.0, p.get(95));
    assertEquals(99.0, p.get(99));
    assertEquals(100.0, p.get(100));
    assertEquals(1.0, p.get(0.1));
  }

  @Test
  void shouldBeNaNWhenEmpty() {
    assertTrue(Double.isNaN(new Percentiles(List.of()).get(50)));
  }
}
