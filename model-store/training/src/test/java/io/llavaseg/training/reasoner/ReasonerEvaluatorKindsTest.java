package io.llavaseg.training.reasoner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.ScriptedReasoner;
import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.ShapeWorld;
import io.llavaseg.shapeworld.Split;
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
}
