package io.llavaseg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.BinaryMask;
import org.junit.jupiter.api.Test;

/** Hand-computed metric cases on 1x4 images. */
class IouTest {
  private static BinaryMask mask(int... px) {
    byte[] b = new byte[px.length];
    for (int i = 0; i < px.length; i++) {
      b[i] = (byte) px[i];
    }
    return new BinaryMask(px.length, 1, b);
  }

  private static byte[] labels(int... px) {
    byte[] b = new byte[px.length];
    for (int i = 0; i < px.length; i++) {
      b[i] = (byte) px[i];
    }
    return b;
  }

  @Test
  void partialOverlapIsIntersectionOverUnion() {
    Iou iou = Iou.of(labels(1, 1, 1, 0), mask(0, 1, 1, 1));
    assertEquals(2, iou.intersection());
    assertEquals(4, iou.union());
    assertEquals(0.5, iou.value());
  }

  @Test
  void bothEmptyScoresOneAndAddsNothingToTheUnion() {
    Iou iou = Iou.of(labels(0, 0, 0, 0), mask(0, 0, 0, 0));
    assertEquals(1.0, iou.value());
    assertEquals(0, iou.union());
  }

  @Test
  void emptyPredictionOfAnObjectScoresZero() {
    assertEquals(0.0, Iou.of(labels(0, 1, 0, 0), mask(0, 0, 0, 0)).value());
  }

  @Test
  void ignorePixelsAreRemovedFromPredictionAndGroundTruth() {
    // pixel 0 ignored (predicted foreground there does not count), pixel 3 ignored too
    Iou iou = Iou.of(labels(255, 1, 1, 255), mask(1, 1, 0, 1));
    assertEquals(1, iou.intersection());
    assertEquals(2, iou.union());
  }

  @Test
  void anImageWhoseOnlyForegroundIsIgnoredCountsAsBothEmpty() {
    assertEquals(1.0, Iou.of(labels(255, 255, 0, 0), mask(1, 1, 0, 0)).value());
  }

  @Test
  void giouAveragesPerImageWhileCiouPoolsPixels() {
    Scores s = new Scores();
    s.add(Iou.of(labels(1, 1, 1, 1), mask(1, 1, 0, 0))); // 2/4
    s.add(Iou.of(labels(1, 0, 0, 0), mask(0, 0, 0, 0))); // 0/1
    s.add(Iou.of(labels(0, 0, 0, 0), mask(0, 0, 0, 0))); // both empty: 1
    assertEquals(0.5, s.giou(), 1e-12); // (0.5 + 0 + 1) / 3
    assertEquals(0.4, s.ciou(), 1e-12); // (2 + 0 + 0) / (4 + 1 + 0)
  }

  @Test
  void ciouIsUndefinedWhenNoImageHasAnyForeground() {
    Scores s = new Scores();
    s.add(Iou.of(labels(0, 0), mask(0, 0)));
    assertEquals(1.0, s.giou());
    assertTrue(Double.isNaN(s.ciou()));
    assertTrue(Double.isNaN(new Scores().giou()));
  }
}
