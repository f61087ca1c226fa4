package io.llavaseg.model.segmenter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import org.junit.jupiter.api.Test;

class SegmenterNetTest {

  @Test
  void shouldMapAnImageAndTwoBagsToOneLogitPerPixel() {
    SegmenterConfig cfg = TestFolders.small();
    int v = cfg.vocabSize();
    try (Model model = Model.newInstance("net", "PyTorch")) {
      SegmenterNet net = new SegmenterNet(cfg);
      model.setBlock(net);
      try (Trainer t = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
        t.initialize(new Shape(3, 5, 64, 64), new Shape(3, v), new Shape(3, v));
        NDManager m = t.getManager();
        NDArray x = m.randomNormal(new Shape(3, 5, 64, 64));
        NDArray bagA = m.zeros(new Shape(3, v));
        bagA.set(new ai.djl.ndarray.index.NDIndex(":, 5"), 1f);
        NDArray bagB = m.zeros(new Shape(3, v));
        bagB.set(new ai.djl.ndarray.index.NDIndex(":, 9"), 1f);
        ParameterStore ps = new ParameterStore(m, false);
        NDArray outA = net.forward(ps, new NDList(x, bagA, bagA), false).singletonOrThrow();
        NDArray outB = net.forward(ps, new NDList(x, bagB, bagB), false).singletonOrThrow();
        assertEquals(new Shape(3, 1, 64, 64), outA.getShape());
        assertArrayEquals(new long[] {3, 1, 64, 64}, net.getOutputShapes(new Shape[] {x.getShape()})[0].getShape());
        assertFalse(outA.contentEquals(outB), "the prompt conditions the mask");
        assertTrue(model.getBlock().getParameters().size() > 20);
      }
    }
  }

  @Test
  void shouldUpsampleByRepeatingEachCellTwiceInBothDirections() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
      NDArray up = SegmenterNet.upsample2(x);
      assertEquals(new Shape(1, 1, 4, 4), up.getShape());
      assertArrayEquals(
          new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, up.toFloatArray());
    }
  }

  @Test
  void shouldRefuseASizeThePoolingCannotDivide() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> new SegmenterConfig(98, new int[] {8, 16, 32}, new int[] {8, 8}, 16, 32, 10));
  }
}
