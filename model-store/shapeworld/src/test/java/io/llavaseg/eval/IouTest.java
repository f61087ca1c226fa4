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
    assertEquals(2 / (4 + 1e-5), iou.value()); // LISA: intersection / (union + 1e-5)
    assertEquals(0.5, iou.value(), 1e-5);
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
    assertEquals((2 / (4 + 1e-5) + 0 + 1) / 3, s.giou(), 1e-15); // about (0.5 + 0 + 1) / 3
    assertEquals(2 / (5 + 1e-10), s.ciou(), 1e-15); // (2 + 0 + 0) / (4 + 1 + 0), LISA's epsilon
    assertEquals(0.5, s.giou(), 1e-5);
    assertEquals(0.4, s.ciou(), 1e-9);
  }

  @Test
  void handCheckedExampleWithIgnorePixelsAndAnEmptyUnion() {
    // image A, 3x2: ground truth  1 1 255 / 0 255 0, prediction  1 0 1 / 1 1 0
    // scored pixels (not 255): (0,0) gt 1 pred 1, (1,0) gt 1 pred 0, (0,1) gt 0 pred 1, (2,1) gt 0 pred 0
    // -> intersection 1, union 3; the prediction at the two ignore pixels counts for nothing
    Iou a = Iou.of(labels(1, 1, 255, 0, 255, 0), new BinaryMask(3, 2, new byte[] {1, 0, 1, 1, 1, 0}));
    assertEquals(1, a.intersection());
    assertEquals(3, a.union());
    // image B: all ground truth ignored or background, prediction only inside the ignore region:
    // union 0, a "no-object target", which LISA scores 0 / (0 + 1e-5) + 1.0 = 1
    Iou b = Iou.of(labels(255, 0, 0, 255, 0, 0), new BinaryMask(3, 2, new byte[] {1, 0, 0, 1, 0, 0}));
    assertEquals(0, b.intersection());
    assertEquals(0, b.union());
    assertEquals(1.0, b.value());
    // image C: a target of 2 pixels predicted exactly
    Iou c = Iou.of(labels(0, 1, 1, 0, 0, 0), new BinaryMask(3, 2, new byte[] {0, 1, 1, 0, 0, 0}));
    Scores s = new Scores();
    s.add(a);
    s.add(b);
    s.add(c);
    // gIoU = (1/3 + 1 + 1) / 3 = 7/9 (up to LISA's epsilon); cIoU = (1 + 0 + 2) / (3 + 0 + 2) = 0.6
    assertEquals((1 / (3 + 1e-5) + 1 + 2 / (2 + 1e-5)) / 3, s.giou(), 1e-15);
    assertEquals(7.0 / 9, s.giou(), 1e-5);
    assertEquals(0.6, s.ciou(), 1e-9);
    assertEquals(3, s.intersection());
    assertEquals(5, s.union());
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
