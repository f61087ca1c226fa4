package io.llavaseg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroundTruthTest {
  private static double[][] rect(double x0, double y0, double x1, double y1) {
    return new double[][] {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
  }

  private static int count(byte[] labels, int value) {
    int n = 0;
    for (byte b : labels) {
      n += (b & 0xff) == value ? 1 : 0;
    }
    return n;
  }

  @Test
  void smallIgnoreInsideLargeTargetIsLeftOutOfScoring() {
    byte[] l = GroundTruth.labels(
        List.of(new LabeledPolygon("ignore", rect(2, 2, 4, 4)), new LabeledPolygon("target", rect(0, 0, 8, 8))), 8, 8);
    assertEquals(60, count(l, 1));
    assertEquals(4, count(l, 255));
    assertEquals(255, l[2 * 8 + 2] & 0xff);
  }

  @Test
  void smallTargetInsideLargeIgnoreIsScoredBecauseSmallerShapesArePaintedLast() {
    byte[] l = GroundTruth.labels(
        List.of(new LabeledPolygon("target", rect(2, 2, 4, 4)), new LabeledPolygon("Ignore_region", rect(0, 0, 8, 8))),
        8, 8);
    assertEquals(4, count(l, 1));
    assertEquals(60, count(l, 255));
  }

  @Test
  void flagShapesAreSkipped() {
    byte[] l = GroundTruth.labels(List.of(new LabeledPolygon("FLAG", rect(0, 0, 8, 8))), 8, 8);
    assertEquals(0, count(l, 1) + count(l, 255));
  }
}
