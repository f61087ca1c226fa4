package io.llavaseg.training.segmenter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llavaseg.model.BinaryMask;
import org.junit.jupiter.api.Test;

class MaskIouTest {

  @Test
  void shouldAverageImagesForGIoUAndPoolPixelsForCIoU() {
    MaskIou iou = new MaskIou();
    // image 1: 2 of 4 pixels overlap out of a union of 4 -> 0.5
    iou.add(new BinaryMask(2, 2, new byte[] {1, 1, 1, 0}), new BinaryMask(2, 2, new byte[] {1, 0, 1, 1}));
    // image 2: both empty -> 1.0, contributes nothing to cIoU
    iou.add(BinaryMask.empty(2, 2), BinaryMask.empty(2, 2));
    assertEquals(0.75, iou.gIoU(), 1e-9);
    assertEquals(2.0 / 4.0, iou.cIoU(), 1e-9);
    assertEquals(2, iou.count());
  }

  @Test
  void shouldScoreAMissedTargetZero() {
    MaskIou iou = new MaskIou();
    assertEquals(0.0, iou.add(BinaryMask.empty(2, 1), new BinaryMask(2, 1, new byte[] {1, 1})));
  }
}
