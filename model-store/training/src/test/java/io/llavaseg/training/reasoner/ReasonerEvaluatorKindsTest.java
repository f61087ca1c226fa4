package io.llavaseg.training.reasoner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.eval.ReasonSegWriter;
import io.llavaseg.model.ImageChat;
import io.llavaseg.model.ModelId;
import io.llavaseg.model.Reasoner;
import io.llavaseg.model.ScriptedReasoner;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Split;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReasonerEvaluatorKindsTest {
  private static final String REPLY = "There are 3 triangles.";

  @Test
  void dialogueAloneDrawsOnlyDialogueQuestionsAndScoresEveryOne() {
    ShapeWorld world = ShapeWorld.of(Split.VAL);
    int count = 40;
    List<ReasonerEvaluator.Miss> misses = new ArrayList<>();
    ReasonerEvaluator.Report r = ReasonerEvaluator.evaluate(new ScriptedReasoner(prompt -> REPLY), PromptTemplates.DEFAULT, world, 0, count,
        List.of(QueryKind.DIALOGUE), misses::add);
    int right = 0;
    for (int i = 0; i < count; i++) {
      right += world.sample(i, QueryKind.DIALOGUE).answer().equals(REPLY) ? 1 : 0;
    }
    assertEquals(count, r.samples());
    assertEquals((double) right / count, r.dialogueAccuracy(), 1e-12);
    assertEquals(count - right, misses.size());
    assertTrue(misses.stream().allMatch(m -> m.kind().equals("dialogue")));
    assertEquals(count, r.dialogueByType().values().stream().mapToInt(ReasonerEvaluator.Rate::n).sum(), "every question typed");
    assertTrue(Double.isNaN(r.targetExact()), "no targeted kind drawn");
    assertTrue(Double.isNaN(r.absentNoneRate()), "no absent kind drawn");
  }

  @Test
  void theReasonerSeesEachImageAsTheTransformMakesIt() {
    ShapeWorld world = ShapeWorld.of(Split.VAL);
    List<BufferedImage> seen = new ArrayList<>();
    ScriptedReasoner scripted = new ScriptedReasoner(prompt -> REPLY);
    Reasoner recording = new Reasoner() {
      @Override
      public ImageChat open(BufferedImage image) {
        seen.add(image);
        return scripted.open(image);
      }

      @Override
      public ModelId modelId() {
        return scripted.modelId();
      }

      @Override
      public void close() {}
    };
    List<BufferedImage> made = new ArrayList<>();
    ReasonerEvaluator.evaluate(recording, PromptTemplates.DEFAULT, world, 0, 5, List.of(QueryKind.DIALOGUE), image -> {
      BufferedImage jpeg = ReasonSegWriter.jpegRoundTrip(image);
      made.add(jpeg);
      return jpeg;
    }, miss -> {});
    assertEquals(5, made.size());
    assertEquals(made, seen.stream().distinct().toList(), "the chain opens the transformed image, never the rendered one");
  }
}
