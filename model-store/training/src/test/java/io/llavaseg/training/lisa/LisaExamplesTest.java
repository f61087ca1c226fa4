package io.llavaseg.training.lisa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.llavaseg.model.lisa.LisaBlock;
import io.llavaseg.model.lisa.LisaFolder;
import io.llavaseg.model.reasoner.ReasonerConfig;
import io.llavaseg.model.reasoner.Vocabulary;
import io.llavaseg.model.segmenter.SegmenterConfig;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Split;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LisaExamplesTest {
  private static final List<String> TEXTS = List.of("It is . What is the red star ? There are 2 shapes : a small"
      + " red circle and a large blue star . Yes , there is none");

  private static Vocabulary vocab() {
    return Vocabulary.build(TEXTS).withToken(LisaFolder.SEG_TOKEN);
  }

  private static ReasonerConfig tinyReasoner(Vocabulary v) {
    return new ReasonerConfig(32, new int[] {8, 16}, 32, 2, 2, 64, 64, v.size(), true, true, true, true, true, true);
  }

  private static SegmenterConfig tinySegmenter() {
    return new SegmenterConfig(32, new int[] {4, 8, 16}, new int[] {4, 4}, 8, 16, 12);
  }

  @Test
  void shouldReplyWithSegAndAMaskToATargetedQueryAndWithoutToDialogue() {
    Vocabulary v = vocab();
    LisaExamples examples = new LisaExamples(v, tinyReasoner(v), tinySegmenter());
    ShapeWorld world = ShapeWorld.of(Split.TRAIN);
    SplittableRandom rng = new SplittableRandom(3);
    LisaExample phrase = examples.of(world.sample(11, QueryKind.PHRASE), rng);
    assertTrue(phrase.segments());
    assertEquals(examples.segId(), phrase.tokens()[phrase.segAt() + 1], "segAt is the position that predicts <seg>");
    assertTrue(phrase.segAt() >= phrase.replyStart() - 1);
    assertNotNull(phrase.segInput());
    float on = 0;
    for (float x : phrase.segTarget()) {
      on += x;
    }
    assertTrue(on > 0, "a targeted query's mask is not empty");
    for (int p = phrase.replyStart() - 1; p < phrase.tokens().length - 1; p++) {
      assertTrue(phrase.pointer()[p] >= 0, "every reply position has a pointer label");
    }
    for (QueryKind k : List.of(QueryKind.DIALOGUE, QueryKind.ABSENT, QueryKind.AMBIGUOUS)) {
      LisaExample e = examples.of(world.sample(12, k), rng);
      assertFalse(e.segments(), k + " replies without <seg>");
      assertNull(e.segTarget());
      for (int t : e.tokens()) {
        assertTrue(t != examples.segId());
      }
    }
  }

  @Test
  void shouldCarryTheMaskLossThroughTheSegStateIntoTheReasoner() {
    Vocabulary v = vocab();
    ReasonerConfig rc = tinyReasoner(v);
    SegmenterConfig sc = tinySegmenter();
    LisaExamples examples = new LisaExamples(v, rc, sc);
    ShapeWorld world = ShapeWorld.of(Split.TRAIN);
    SplittableRandom rng = new SplittableRandom(4);
    List<LisaExample> batch = List.of(examples.of(world.sample(21, QueryKind.PHRASE), rng),
        examples.of(world.sample(22, QueryKind.DIALOGUE), rng), examples.of(world.sample(23, QueryKind.KNOWLEDGE), rng));
    // a parameter outside a loss's graph gets a gradient of exactly zero; one inside gets a nonzero one
    // (or NaN: this engine's multi-threaded backward sometimes gives NaN, which training skips)
    float[] mask = gradients(rc, sc, batch, 2);
    assertTrue(mask[0] != 0, "the mask loss must reach the reasoner's last layer norm through the <seg> state");
    assertTrue(mask[1] != 0, "the mask loss must reach the projection");
    float[] text = gradients(rc, sc, batch, 0);
    assertTrue(text[0] != 0, "the reply's loss reaches the reasoner");
    assertEquals(0f, text[1], "the reply's loss does not reach the projection of <seg>");
  }

  /** {finalLn, segProjection} gradient sums after backward on loss {@code which} (0 text, 1 pointer, 2 mask) alone. */
  private static float[] gradients(ReasonerConfig rc, SegmenterConfig sc, List<LisaExample> batch, int which) {
    Engine.getInstance().setRandomSeed(6);
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      LisaBlock block = new LisaBlock(rc, sc);
      block.initializeAll(m);
      ParameterStore ps = new ParameterStore(m, false);
      List<Parameter> trainable = LisaTrainer.trainable(block);
      assertFalse(trainable.stream().anyMatch(p -> block.reasoner().vision().getParameters().values().contains(p)),
          "the vision encoder is frozen");
      try (NDManager sm = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDList losses = LisaTrainer.losses(block, ps, batch, sm);
        assertTrue(losses.get(2).getFloat() > 0, "two examples segment: a mask loss");
        gc.backward(losses.get(which));
      }
      float[] out = new float[2];
      for (var p : block.getParameters()) {
        if (!p.getValue().requiresGradient()) {
          continue;
        }
        NDArray g = p.getValue().getArray().getGradient();
        if (p.getKey().contains("finalLn")) {
          out[0] += g.abs().sum().getFloat();
        } else if (p.getKey().contains("segProjection")) {
          out[1] += g.abs().sum().getFloat();
        }
      }
      return out;
    }
  }
}
