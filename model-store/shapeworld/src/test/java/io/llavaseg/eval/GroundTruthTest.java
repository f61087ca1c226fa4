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

  // OpenCV's polylines + fillPoly cover a rectangle's outline: rect(2, 2, 4, 4) is 3x3 pixels and
  // rect(0, 0, 8, 8) is the whole 8x8 image (its right and bottom outline fall outside, clipped)

  @Test
  void smallIgnoreInsideLargeTargetIsLeftOutOfScoring() {
    byte[] l = GroundTruth.labels(
        List.of(new LabeledPolygon("ignore", rect(2, 2, 4, 4)), new LabeledPolygon("target", rect(0, 0, 8, 8))), 8, 8);
    assertEquals(64 - 9, count(l, 1));
    assertEquals(9, count(l, 255));
    assertEquals(255, l[2 * 8 + 2] & 0xff);
  }

  @Test
  void smallTargetInsideLargeIgnoreIsScoredBecauseSmallerShapesArePaintedLast() {
    byte[] l = GroundTruth.labels(
        List.of(new LabeledPolygon("target", rect(2, 2, 4, 4)), new LabeledPolygon("Ignore_region", rect(0, 0, 8, 8))),
        8, 8);
    assertEquals(9, count(l, 1));
    assertEquals(64 - 9, count(l, 255));
  }

  @Test
  void pointsAreTruncatedToInt32LikeNumpy() {
    // 1.9 -> 1, 4.99 -> 4, -0.9 -> 0: the 4x4 square (1..4, 1..4) with its outline
    byte[] l = GroundTruth.labels(List.of(new LabeledPolygon("target",
        new double[][] {{1.9, 1.2}, {4.99, 1.7}, {4.5, 4.99}, {1.1, 4.2}})), 8, 8);
    assertEquals(16, count(l, 1));
    assertEquals(1, l[1 * 8 + 1]);
    assertEquals(1, l[4 * 8 + 4]);
    assertEquals(0, l[5 * 8 + 5]);
  }

  @Test
  void equalAreasAreDrawnLaterShapeFirstAsNumpysArgsortReversed() {
    // np.argsort([9, 9])[::-1] == [1, 0]: the ignore (second) is drawn first, the target over it
    byte[] l = GroundTruth.labels(
        List.of(new LabeledPolygon("target", rect(2, 2, 4, 4)), new LabeledPolygon("ignore", rect(2, 2, 4, 4))), 8, 8);
    assertEquals(9, count(l, 1));
    assertEquals(0, count(l, 255));
  }

  @Test
  void flagShapesAreSkipped() {
    byte[] l = GroundTruth.labels(List.of(new LabeledPolygon("FLAG", rect(0, 0, 8, 8))), 8, 8);
    assertEquals(0, count(l, 1) + count(l, 255));
  }
}
