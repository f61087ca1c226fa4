package io.llavaseg.training.segmenter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.eval.ReasonSegWriter;
import io.llavaseg.model.BinaryMask;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Split;
import org.junit.jupiter.api.Test;

class MaskRasterTest {

  @Test
  void shouldDrawLisasMaskAsTheEvaluationDoesLargerThanThePixelCentreOne() {
    ShapeWorld world = ShapeWorld.of(Split.VAL);
    int checked = 0;
    long extra = 0;
    for (long i = 0; i < 40; i++) {
      Sample s = world.sample(i);
      if (s.targetIndex() < 0) {
        continue;
      }
      int w = s.image().getWidth();
      int h = s.image().getHeight();
      BinaryMask lisa = MaskRaster.LISA.mask(s.scene(), s.targetIndex(), w, h);
      BinaryMask centres = MaskRaster.PIXEL_CENTRES.mask(s.scene(), s.targetIndex(), w, h);
      assertArrayEquals(ReasonSegWriter.groundTruth(s).pixels(), lisa.pixels(), "the eval's ground truth, " + s.name());
      assertArrayEquals(s.mask().pixels(), centres.pixels(), "the generator's mask, " + s.name());
      // LISA truncates the points to integers (the outline moves up to a pixel up and left) and draws
      // the outline's pixels too: the masks differ, LISA's is larger
      for (int p = 0; p < w * h; p++) {
        extra += (lisa.pixels()[p] != 0 ? 1 : 0) - (centres.pixels()[p] != 0 ? 1 : 0);
      }
      checked++;
    }
    assertTrue(checked > 20, "targets checked: " + checked);
    assertTrue(extra > checked * 10L, "LISA's masks are larger in total by: " + extra);
  }
}
