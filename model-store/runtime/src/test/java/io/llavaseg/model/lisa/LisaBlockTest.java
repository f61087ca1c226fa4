package io.llavaseg.model.lisa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.llavaseg.model.reasoner.ReasonerChat;
import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.model.reasoner.TinyModels;
import io.llavaseg.model.reasoner.Vocabulary;
import io.llavaseg.model.segmenter.SegmenterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LisaBlockTest {
  private static final int SEG_SIZE = 32;

  private static LisaBlock tiny(NDManager m, Vocabulary vocab) {
    Engine.getInstance().setRandomSeed(5);
    ReasonerConfig rc = TinyModels.config(vocab);
    SegmenterConfig sc = new SegmenterConfig(SEG_SIZE, new int[] {4, 8, 16}, new int[] {4, 4}, 8, 16, 12);
    LisaBlock block = new LisaBlock(rc, sc);
    block.initializeAll(m);
    // FiLM weights start near zero: make them large enough that the prompt visibly steers the mask
    for (var p : block.segmenter().getParameters()) {
      if (p.getKey().contains("film") && p.getKey().endsWith("weight")) {
        p.getValue().getArray().muli(100f);
      }
    }
    return block;
  }

  private static Vocabulary vocab() {
    return TinyModels.vocab().withToken(LisaFolder.SEG_TOKEN);
  }

  /** The final states of a prompt and "It is <seg>": [logits of text(), state at the position that predicts <seg>]. */
  private static NDArray segState(LisaBlock block, ParameterStore ps, NDManager m, Vocabulary v, String prompt) {
    ReasonerConfig c = block.reasoner().config();
    int s = c.imageSize();
    NDList cache = block.reasoner().forward(ps, new NDList(m.ones(new Shape(1, 3, s, s)).mul(0.5f)), false);
    int[] words = v.encode(prompt);
    long[] ids = new long[words.length + 2];
    ids[0] = Vocabulary.BOS_ID;
    for (int i = 0; i < words.length; i++) {
      ids[i + 1] = words[i];
    }
    ids[ids.length - 1] = Vocabulary.SEP_ID;
    NDArray tokens = ReasonerChat.tokenInput(m, c, ids, null, 1, ids.length);
    NDList withState = block.reasoner().textWithState(ps, tokens, cache, null, false);
    NDList plain = block.reasoner().text(ps, tokens, cache, null, false);
    assertArrayEquals(plain.get(0).toFloatArray(), withState.get(0).toFloatArray(), 1e-5f,
        "textWithState computes the same logits as text");
    return withState.get(2).get(":, " + (ids.length - 1) + ", :"); // (1,d): the state after <sep>
  }

  @Test
  void shouldSteerTheMaskByTheSegStateOfTheReasoner() {
    Vocabulary v = vocab();
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      LisaBlock block = tiny(m, v);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray image = m.randomUniform(0f, 1f, new Shape(1, SegmenterConfig.INPUT_CHANNELS, SEG_SIZE, SEG_SIZE));
      NDArray red = segState(block, ps, m, v, "Describe the red star.");
      NDArray blue = segState(block, ps, m, v, "Is there a blue circle?");
      float[] a = block.maskLogits(ps, image, red, false).toFloatArray();
      float[] again = block.maskLogits(ps, image, red, false).toFloatArray();
      float[] b = block.maskLogits(ps, image, blue, false).toFloatArray();
      assertEquals(SEG_SIZE * SEG_SIZE, a.length);
      assertArrayEquals(a, again, 1e-6f, "the same state gives the same mask");
      double diff = 0;
      for (int i = 0; i < a.length; i++) {
        diff = Math.max(diff, Math.abs(a[i] - b[i]));
      }
      assertTrue(diff > 1e-3, "another question's <seg> state must change the mask, max difference " + diff);
    }
  }

  @Test
  void shouldWriteAndReadAVariantFolder(@TempDir Path dir) throws Exception {
    Vocabulary v = vocab();
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      LisaBlock block = tiny(m, v);
      LisaFolder.write(dir, block, v);
      assertTrue(LisaFolder.isFolder(dir));
      assertTrue(Files.readString(dir.resolve("vocab.txt")).strip().endsWith(LisaFolder.SEG_TOKEN));
      LisaFolder.Architecture a = LisaFolder.readArchitecture(dir);
      assertEquals(block.reasoner().config(), a.reasoner());
      assertEquals(block.segmenter().config(), a.segmenter());
      LisaBlock copy = new LisaBlock(a.reasoner(), a.segmenter());
      copy.initializeAll(m);
      LisaFolder.readWeights(dir, copy, m);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray image = m.randomUniform(0f, 1f, new Shape(1, SegmenterConfig.INPUT_CHANNELS, SEG_SIZE, SEG_SIZE));
      NDArray state = m.randomNormal(new Shape(1, a.reasoner().dModel()));
      assertArrayEquals(block.maskLogits(ps, image, state, false).toFloatArray(),
          copy.maskLogits(ps, image, state, false).toFloatArray(), 1e-6f);
    }
  }
}
