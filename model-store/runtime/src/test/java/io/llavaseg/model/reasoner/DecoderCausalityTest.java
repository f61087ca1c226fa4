package io.llavaseg.model.reasoner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class DecoderCausalityTest {

  @Test
  void changingALaterTokenLeavesEarlierOutputsUnchangedInTrainingMode() {
    Vocabulary v = TinyModels.vocab();
    try (Model model = TinyModels.model(TinyModels.config(v), 3); NDManager m = model.getNDManager().newSubManager()) {
      ReasonerBlock block = (ReasonerBlock) model.getBlock();
      ParameterStore ps = new ParameterStore(m, false);
      NDArray image = m.randomUniform(-1, 1, new Shape(2, 3, 32, 32));
      NDList prefix = block.imagePrefix(ps, block.encodeImages(ps, image, true), true);
      long[] a = {2, 7, 9, 11, 4, 13, 8, 10, 2, 6, 5, 12, 4, 9, 3, 7};
      long[] b = a.clone();
      b[6] = 17; // row 0, position 6
      b[8 + 7] = 19; // row 1, position 7 (last)
      NDArray la = block.text(ps, m.create(a, new Shape(2, 8)), prefix, true).head();
      NDArray lb = block.text(ps, m.create(b, new Shape(2, 8)), prefix, true).head();
      assertEquals(0f, la.get("0, 0:6").sub(lb.get("0, 0:6")).abs().max().getFloat(), 0f, "row 0 before the change");
      assertEquals(0f, la.get("1, 0:7").sub(lb.get("1, 0:7")).abs().max().getFloat(), 0f, "row 1 before the change");
      assertTrue(la.get("0, 6:").sub(lb.get("0, 6:")).abs().max().getFloat() > 1e-4, "the changed position and later ones do change");
    }
  }

  @Test
  void visualPrefixOfOneImageDoesNotDependOnTheOtherImagesInTheBatchAtInference() {
    Vocabulary v = TinyModels.vocab();
    try (Model model = TinyModels.model(TinyModels.config(v), 4); NDManager m = model.getNDManager().newSubManager()) {
      ReasonerBlock block = (ReasonerBlock) model.getBlock();
      ParameterStore ps = new ParameterStore(m, false);
      NDArray images = m.randomUniform(-1, 1, new Shape(2, 3, 32, 32));
      NDList both = block.imagePrefix(ps, block.encodeImages(ps, images, false), false);
      NDArray first = images.get("0:1");
      NDList one = block.imagePrefix(ps, block.encodeImages(ps, first, false), false);
      assertEquals(0f, both.get(0).get("0:1").sub(one.get(0)).abs().max().getFloat(), 1e-5f);
    }
  }
}
