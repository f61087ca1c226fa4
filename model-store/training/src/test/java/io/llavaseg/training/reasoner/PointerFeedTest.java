package io.llavaseg.training.reasoner;

import io.llavaseg.model.reasoner.ReasonerChat;

import io.llavaseg.model.reasoner.ReasonerBlock;
import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.model.reasoner.TinyModels;
import io.llavaseg.model.reasoner.Vocabulary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pointer feed ({@link ReasonerConfig#pointerFeed}): what goes in, where it reaches, what training feeds. */
class PointerFeedTest {

  @Test
  void theKeyATokenComesInWithChangesItsOwnAndLaterOutputsOnly() {
    Vocabulary v = TinyModels.vocab();
    ReasonerConfig config = TinyModels.config(v);
    try (Model model = TinyModels.model(config, 11); NDManager m = model.getNDManager().newSubManager()) {
      ReasonerBlock block = (ReasonerBlock) model.getBlock();
      ParameterStore ps = new ParameterStore(m, false);
      NDList prefix = block.imagePrefix(ps, block.encodeImages(ps, m.randomUniform(-1, 1, new Shape(1, 3, 32, 32)), false), false);
      long[] ids = {2, 7, 9, 11, 4, 13};
      long none = config.nothingKey();
      long[] a = {none, none, none, 5, 0, 2};
      long[] b = a.clone();
      b[3] = 20; // another cell for token 3
      NDList oa = block.text(ps, ReasonerChat.tokenInput(m, config, ids, a, 1, 6), prefix, false);
      NDList ob = block.text(ps, ReasonerChat.tokenInput(m, config, ids, b, 1, 6), prefix, false);
      assertEquals(0f, oa.head().get("0, 0:3").sub(ob.head().get("0, 0:3")).abs().max().getFloat(), 0f, "before it");
      assertTrue(oa.head().get("0, 3:").sub(ob.head().get("0, 3:")).abs().max().getFloat() > 1e-4, "from it on");
      assertEquals(new Shape(1, 6, config.pointerKeys()), oa.get(1).getShape(), "the pointer's scores follow the logits");
      assertEquals(2 * config.layers() + 1, ReasonerBlock.cacheAfter(oa, config).size(), "then the cache");
      // (B,T) tokens are fed the nothing key, as prompt tokens are
      NDArray plain = block.text(ps, m.create(ids, new Shape(1, 6)), prefix, false).head();
      NDArray nothing = block.text(ps, ReasonerChat.tokenInput(m, config, ids, null, 1, 6), prefix, false).head();
      assertEquals(0f, plain.sub(nothing).abs().max().getFloat(), 0f);
    }
  }

  @Test
  void aZeroFeedLeavesTheModelAsItWasWithoutOne() {
    Vocabulary v = TinyModels.vocab();
    ReasonerConfig with = TinyModels.config(v);
    ReasonerConfig without = with.withPointerFeed(false);
    float[] image = TinyModels.randomPixels(12);
    long[] ids = {2, 7, 9, 11, 4};
    try (Model a = TinyModels.zeroReadoutModel(with, 12); Model b = TinyModels.zeroReadoutModel(without, 12)) {
      assertArrayEquals(TinyModels.logits(b, image, ids, null), TinyModels.logits(a, image, ids, new long[] {1, 2, 3, 4, 5}),
          1e-5f);
    }
  }

  @Test
  void aModelWithoutTheFeedRefusesGroundedTokens() {
    Vocabulary v = TinyModels.vocab();
    ReasonerConfig without = TinyModels.config(v).withPointerFeed(false);
    try (Model model = TinyModels.model(without, 13); NDManager m = model.getNDManager().newSubManager()) {
      ReasonerBlock block = (ReasonerBlock) model.getBlock();
      ParameterStore ps = new ParameterStore(m, false);
      NDList prefix = block.imagePrefix(ps, block.encodeImages(ps, m.randomUniform(-1, 1, new Shape(1, 3, 32, 32)), false), false);
      NDArray grounded = m.create(new long[] {2, 0, 7, 0}, new Shape(1, 2, 2));
      assertThrows(IllegalArgumentException.class, () -> block.text(ps, grounded, prefix, false));
      assertThrows(IllegalStateException.class, without::nothingKey);
    }
  }

  @Test
  void trainingFeedsEachReplyTokenTheLabelOfThePositionThatPredictedIt() {
    InstructionFixture f = InstructionFixture.of(99);
    ReasonerConfig config = f.config();
    int descriptions = 0;
    for (long i = 0; descriptions < 5; i++) {
      Sample s = f.world().sample(i, QueryKind.DIALOGUE);
      if (!s.answer().equals(InstructionData.description(s.scene()))) {
        continue;
      }
      descriptions++;
      InstructionData.Row row = f.data().instruct(s, new SplittableRandom(1)).rows().get(0);
      int len = row.tokens().length - 1;
      long[] fed = f.batch().fedKeys(row, len);
      for (int p = 0; p < row.replyStart(); p++) {
        assertEquals(config.nothingKey(), fed[p], "prompt token " + p);
      }
      Set<Long> cells = new HashSet<>();
      for (int p = row.replyStart(); p < len; p++) {
        int label = row.cellAt(p - 1);
        assertEquals(label >= 0 ? label : config.nothingKey(), fed[p], s.answer() + " at " + p);
        if (fed[p] < config.visualTokens()) {
          cells.add(fed[p]);
        }
      }
      Set<Long> objects = new HashSet<>();
      s.scene().objects().forEach(o -> objects.add((long) InstructionData.cellOf(s.scene(), o, config.grid())));
      assertEquals(objects, cells, "every listed object's cell is fed: " + s.answer());
      // "There are 5 shapes:" is fed the count token of all objects, the words after each separator nothing
      assertEquals(config.countKey(ReasonerConfig.COUNT_ALL), fed[row.replyStart()], s.answer());
      assertTrue(java.util.Arrays.stream(fed, row.replyStart(), len).anyMatch(k -> k == config.nothingKey()));
    }
  }
}
