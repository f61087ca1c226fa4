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

/** The count tokens depend on how many objects of each class the encoder saw, not on where. */
class CountTokensTest {
  private static final int RED = 0;
  private static final int BLUE = 1;
  private static final int CIRCLE = 2;

  @Test
  void countTokensAddUpOccupiedCellsPerClassWhereverTheObjectsAre() {
    Vocabulary v = TinyModels.vocab();
    ReasonerConfig config = TinyModels.config(v);
    try (Model model = TinyModels.model(config, 5); NDManager m = model.getNDManager().newSubManager()) {
      ReasonerBlock block = (ReasonerBlock) model.getBlock();
      ParameterStore ps = new ParameterStore(m, false);
      int n = config.visualTokens();
      NDArray twoRedHere = block.countTokens(ps, auxLogits(m, n, new int[] {0, 5}, new int[] {RED, RED}), false);
      NDArray twoRedThere = block.countTokens(ps, auxLogits(m, n, new int[] {3, 14}, new int[] {RED, RED}), false);
      NDArray threeRed = block.countTokens(ps, auxLogits(m, n, new int[] {0, 5, 9}, new int[] {RED, RED, RED}), false);
      NDArray twoRedOneBlue = block.countTokens(ps, auxLogits(m, n, new int[] {0, 5, 9}, new int[] {RED, RED, BLUE}), false);
      assertEquals(new Shape(1, ReasonerConfig.COUNT_TOKENS, config.dModel()), twoRedHere.getShape());
      assertEquals(0f, maxDiff(twoRedHere, twoRedThere), 1e-4f, "the same counts in other cells");
      int all = 0;
      int red = 1 + RED;
      int blue = 1 + BLUE;
      int circle = 1 + ReasonerConfig.AUX_CLASSES[1] + CIRCLE;
      assertTrue(maxDiff(token(twoRedHere, all), token(threeRed, all)) > 1e-3, "2 vs 3 objects");
      assertTrue(maxDiff(token(twoRedHere, red), token(threeRed, red)) > 1e-3, "2 vs 3 red");
      assertEquals(0f, maxDiff(token(twoRedHere, blue), token(threeRed, blue)), 1e-4f, "no blue either way");
      assertEquals(0f, maxDiff(token(threeRed, all), token(twoRedOneBlue, all)), 1e-4f, "3 objects either way");
      assertEquals(0f, maxDiff(token(twoRedHere, red), token(twoRedOneBlue, red)), 1e-4f, "2 red either way");
      assertTrue(maxDiff(token(twoRedHere, blue), token(twoRedOneBlue, blue)) > 1e-3, "0 vs 1 blue");
      assertEquals(0f, maxDiff(token(threeRed, circle), token(twoRedOneBlue, circle)), 1e-4f, "3 circles either way");
      assertTrue(maxDiff(token(twoRedHere, circle), token(threeRed, circle)) > 1e-3, "2 vs 3 circles");
      assertTrue(maxDiff(token(twoRedHere, circle), token(twoRedHere, all)) > 1e-3, "a class's own embedding tells the tokens apart");
    }
  }

  @Test
  void theImagePrefixEndsWithTheCountTokens() {
    Vocabulary v = TinyModels.vocab();
    ReasonerConfig config = TinyModels.config(v);
    try (Model model = TinyModels.model(config, 6); NDManager m = model.getNDManager().newSubManager()) {
      ReasonerBlock block = (ReasonerBlock) model.getBlock();
      ParameterStore ps = new ParameterStore(m, false);
      NDList prefix = block.imagePrefix(ps, block.encodeImages(ps, m.randomUniform(-1, 1, new Shape(1, 3, 32, 32)), false), false);
      assertEquals(config.visualTokens() + ReasonerConfig.COUNT_TOKENS, config.prefixTokens());
      assertEquals(config.prefixTokens(), prefix.get(0).getShape().get(2), "cached positions");
    }
  }

  @Test
  void thePointerChoosesAmongCellsAndCountTokensOnlyWithTheCountPointer() {
    Vocabulary v = TinyModels.vocab();
    for (boolean countPointer : new boolean[] {true, false}) {
      ReasonerConfig config = TinyModels.config(v).withCountPointer(countPointer);
      try (Model model = TinyModels.model(config, 6); NDManager m = model.getNDManager().newSubManager()) {
        ReasonerBlock block = (ReasonerBlock) model.getBlock();
        ParameterStore ps = new ParameterStore(m, false);
        NDList vision = block.encodeImages(ps, m.randomUniform(-1, 1, new Shape(1, 3, 32, 32)), false);
        NDArray keys = block.pointerKeys(block.imagePrefix(ps, vision, false));
        NDArray cells = block.visualEmbeddings(ps, vision, false);
        assertEquals(config.visualTokens() + (countPointer ? ReasonerConfig.COUNT_TOKENS : 0) + 1, config.pointerKeys(),
            "cells, count tokens, the nothing key");
        assertEquals(config.pointerKeys(), keys.getShape().get(1));
        assertEquals(0f, maxDiff(keys.get(":, 0:" + config.visualTokens()), cells), 1e-5f, "the cells first");
        if (countPointer) {
          NDArray counts = block.countTokens(ps, vision.get(1), false);
          assertEquals(0f, maxDiff(keys.get(":, " + config.visualTokens() + ":" + (config.pointerKeys() - 1)), counts), 1e-5f,
              "then the count tokens");
          assertEquals(config.visualTokens() + 3, config.countKey(3));
        }
      }
    }
  }

  /** Aux logits (1,N,K) with objects of one shape (circle) and the given colours in the given cells, sure of everything. */
  private static NDArray auxLogits(NDManager m, int n, int[] cells, int[] colours) {
    int k = ReasonerConfig.auxOutputs();
    float[] logits = new float[n * k];
    for (int c = 0; c < n; c++) {
      logits[c * k] = 20; // empty
    }
    for (int i = 0; i < cells.length; i++) {
      int at = cells[i] * k;
      logits[at] = 0;
      logits[at + 1] = 20; // occupied
      logits[at + 2 + colours[i]] = 20;
      logits[at + 2 + ReasonerConfig.AUX_CLASSES[1] + CIRCLE] = 20;
    }
    return m.create(logits, new Shape(1, n, k));
  }

  private static NDArray token(NDArray tokens, int index) {
    return tokens.get(":, " + index + ", :");
  }

  private static float maxDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }
}
