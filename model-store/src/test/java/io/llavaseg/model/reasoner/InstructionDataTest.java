package io.llavaseg.model.reasoner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.model.cot.PromptTemplates;
import io.llavaseg.shapeworld.Location;
import io.llavaseg.shapeworld.QueryKind;
import io.llavaseg.shapeworld.Sample;
import io.llavaseg.shapeworld.SceneObject;
import io.llavaseg.shapeworld.ShapeWorld;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstructionDataTest {
  private final ShapeWorld world = new ShapeWorld(99);

  @Test
  void descriptionMatchesShapeWorldsOwnDescribeAnswers() {
    int checked = 0;
    for (long i = 0; i < 400 && checked < 5; i++) {
      Sample s = world.sample(i, QueryKind.DIALOGUE);
      if (s.answer().startsWith("There is 1 shape: ") || s.answer().contains(" shapes: ")) {
        assertEquals(s.answer(), InstructionData.description(s.scene()));
        checked++;
      }
    }
    assertTrue(checked > 0, "no describe question in 400 dialogue samples");
  }

  @Test
  void rowsUseTheServingPromptsAndEndWithTheStopToken() {
    List<String> texts = InstructionData.vocabularyTexts(world, 5, PromptTemplates.DEFAULT);
    Vocabulary v = Vocabulary.build(texts);
    ReasonerConfig config = ReasonerConfig.defaults(v.size());
    InstructionData data = new InstructionData(v, config, PromptTemplates.DEFAULT);
    Sample s = world.sample(3, QueryKind.PHRASE);
    InstructionData.Example e = data.instruct(s, new SplittableRandom(1));
    assertEquals(3, e.rows().size());
    InstructionData.Row target = e.rows().get(1);
    int[] t = target.tokens();
    assertEquals(Vocabulary.BOS_ID, t[0]);
    assertEquals(Vocabulary.SEP_ID, t[target.replyStart() - 1]);
    assertEquals(Vocabulary.EOS_ID, t[t.length - 1]);
    assertEquals(PromptTemplates.DEFAULT.targetPrompt(s.query()), v.decode(java.util.Arrays.copyOfRange(t, 1, target.replyStart() - 1),
        target.replyStart() - 2));
    assertEquals(s.target(), v.decode(java.util.Arrays.copyOfRange(t, target.replyStart(), t.length), t.length - target.replyStart()));
    InstructionData.Row attrs = e.rows().get(2);
    int[] a = attrs.tokens();
    assertEquals(s.attributes(), v.decode(java.util.Arrays.copyOfRange(a, attrs.replyStart(), a.length), a.length - attrs.replyStart()));
  }

  @Test
  void auxLabelsPutEachObjectInTheCellOfItsCentreWithItsLocation() {
    Sample s = world.sample(7);
    int grid = 6;
    int[] labels = InstructionData.auxLabels(s.scene(), grid);
    for (SceneObject o : s.scene().objects()) {
      int gx = (int) (o.cx() * grid / s.scene().width());
      int gy = (int) (o.cy() * grid / s.scene().height());
      int c = gy * grid + gx;
      assertEquals(1, labels[c * 5]);
      // a 6x6 grid lines up with the 3x3 location grid: the cell alone fixes the location
      assertEquals(Location.at(gx / 2, gy / 2).ordinal(), labels[c * 5 + 4]);
    }
  }
}
