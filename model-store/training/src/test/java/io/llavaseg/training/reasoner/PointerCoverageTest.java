package io.llavaseg.training.reasoner;

import io.llavaseg.model.reasoner.ReasonerChat;
import io.llavaseg.model.reasoner.Vocabulary;

import io.llavaseg.model.reasoner.PointerCoverage;
import io.llavaseg.model.reasoner.ReasonerBlock;
import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.model.reasoner.TinyModels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.llavaseg.shapeworld.QueryKind;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PointerCoverageTest {

  @Test
  void aKeyLeftForAnotherIsMaskedTheNothingKeyNever() {
    ReasonerConfig config = TinyModels.config(TinyModels.vocab());
    PointerCoverage c = new PointerCoverage(config);
    int none = config.nothingKey();
    for (int key : new int[] {3, 3, none, 5, 5, none, none, 7}) {
      c.chose(key);
    }
    assertTrue(c.isLeft(3));
    assertTrue(c.isLeft(5));
    assertFalse(c.isLeft(7), "the current key");
    assertFalse(c.isLeft(none));
    float[] mask = c.mask();
    assertEquals(ReasonerBlock.NEG, mask[3]);
    assertEquals(0f, mask[7]);
    assertEquals(0f, mask[none]);
  }

  @Test
  void everyTrainingReplyFollowsTheRule() {
    InstructionFixture f = InstructionFixture.of(99);
    ReasonerConfig config = f.config();
    int rows = 0;
    int descriptions = 0;
    int sharedCell = 0;
    for (QueryKind kind : QueryKind.values()) {
      for (long i = 0; i < (kind == QueryKind.DIALOGUE ? 2000 : 100); i++) {
        io.llavaseg.shapeworld.Sample s = f.world().sample(i, kind);
        boolean describes = s.answer().equals(InstructionData.description(s.scene()));
        descriptions += describes ? 1 : 0;
        for (InstructionData.Row row : f.data().instruct(s, new SplittableRandom(i)).rows()) {
          int len = row.tokens().length - 1;
          long[] fed = f.batch().fedKeys(row, len + 1); // the label of every reply position, shifted by one
          PointerCoverage c = new PointerCoverage(config);
          for (int p = row.replyStart(); p <= len; p++) {
            int key = (int) fed[p];
            if (c.isLeft(key)) {
              // the one exception: a description of two objects whose centres share a grid cell
              long there = s.scene().objects().stream()
                  .filter(o -> InstructionData.cellOf(s.scene(), o, config.grid()) == key).count();
              assertTrue(describes, kind + " row returns to key " + key + ": " + s.answer());
              assertTrue(there >= 2, kind + " row returns to key " + key + " of one object: " + s.answer());
              sharedCell++;
              break;
            }
            c.chose(key);
          }
          rows++;
        }
      }
    }
    assertTrue(rows > 8 * 100 * 2, "rows checked: " + rows);
    // and that exception is rare (the 1.1% the v7 card cites): these seeded samples hold 366
    // descriptions, 4 of them of two objects sharing a cell, which the rule makes wrong
    assertEquals(366, descriptions);
    assertEquals(4, sharedCell);
  }

  @Test
  void theMaskKeepsThePointerAndItsReadoutOffTheKeysLeft() {
    Vocabulary v = TinyModels.vocab();
    ReasonerConfig config = TinyModels.config(v);
    try (Model model = TinyModels.model(config, 14); NDManager m = model.getNDManager().newSubManager()) {
      ReasonerBlock block = (ReasonerBlock) model.getBlock();
      ParameterStore ps = new ParameterStore(m, false);
      NDList prefix = block.imagePrefix(ps, block.encodeImages(ps, m.randomUniform(-1, 1, new Shape(1, 3, 32, 32)), false), false);
      NDArray tokens = ReasonerChat.tokenInput(m, config, new long[] {2, 7, 9}, null, 1, 3);
      NDList free = block.text(ps, tokens, prefix, false);
      long best = free.get(1).get("0, -1").argMax().getLong();
      float[] mask = new float[config.pointerKeys()];
      mask[(int) best] = ReasonerBlock.NEG;
      NDList masked = block.text(ps, tokens, prefix, m.create(mask, new Shape(1, mask.length)), false);
      assertTrue(masked.get(1).get("0, -1").argMax().getLong() != best, "the pointer chooses another key");
      assertTrue(masked.head().sub(free.head()).abs().max().getFloat() > 1e-5f, "and the logits read another key");
      // through forward(), the mask is the array after the cache
      NDList in = new NDList(tokens);
      in.addAll(prefix);
      in.add(m.create(mask, new Shape(1, mask.length)));
      NDList viaForward = block.forward(ps, in, false);
      assertEquals(0f, viaForward.head().sub(masked.head()).abs().max().getFloat(), 1e-6f);
    }
  }
}
